import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { loginPolicySchema } from '../devices/login-policy.js';
import { customTagsSchema } from './profile-tags.js';

/** Characters of a display name; vendors shorten titles further (Meizu: 32). */
export const DISPLAY_NAME_MAX = 64;

/** A display name; an empty one (a cleared console field) means "none". */
export const displayNameSchema = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().max(DISPLAY_NAME_MAX).optional(),
);

/**
 * The callbacks an app switches on one by one (messaging/callbacks.ts): the message callbacks and the group
 * lifecycle notifications. State.StateChange and Push.* are always sent to a callback URL.
 */
export const SWITCHABLE_CALLBACKS = [
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'Group.CallbackBeforeSendMsg',
  'Group.CallbackAfterSendMsg',
  'Group.CallbackAfterCreateGroup',
  'Group.CallbackAfterNewMemberJoin',
  'Group.CallbackAfterMemberExit',
  'Group.CallbackAfterGroupDestroyed',
] as const;
export type GroupEventCallback =
  | 'Group.CallbackAfterCreateGroup'
  | 'Group.CallbackAfterNewMemberJoin'
  | 'Group.CallbackAfterMemberExit'
  | 'Group.CallbackAfterGroupDestroyed';
export type SwitchableCallback = (typeof SWITCHABLE_CALLBACKS)[number];

/** Default time a before-send callback may take (Tencent: 2 s). */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 2000;

/** Tencent's token is 1 to 128 characters. */
export const callbackTokenSchema = z.string().min(1).max(128);

/** A new random callback token (64 hex characters). */
export function newCallbackToken(): string {
  return randomBytes(32).toString('hex');
}

// Per-app settings. Unknown keys are kept so that newer nodes' settings survive older nodes' writes.
export const appSettingsSchema = z
  .object({
    /** Where webhooks (State.StateChange, Push.OfflinePush, ...) are POSTed; empty = none. */
    callbackUrl: z.string().url().or(z.literal('')).default(''),
    /**
     * The callback authentication token (Tencent's 回调鉴权 Token): every callback carries
     * `Sign = sha256(token + RequestTime)` (webhooks/sign.ts). Apps get one when created; absent = no Sign.
     */
    callbackToken: callbackTokenSchema.optional(),
    /** The callbacks that are switched on (SWITCHABLE_CALLBACKS); absent = none. */
    callbackCommands: z.array(z.enum(SWITCHABLE_CALLBACKS)).optional(),
    /** How long a before-send callback may take; absent = 2000 ms (Tencent's fixed 2 s). */
    callbackTimeoutMs: z.number().int().min(100).max(30_000).optional(),
    /**
     * What a before-send callback that times out, cannot be reached or answers nonsense does to the
     * message: `allow` (sent as is; the default) or `refuse` (error 80003 to the sender).
     */
    callbackFailurePolicy: z.enum(['allow', 'refuse']).optional(),
    /** Multi-device login policy (devices/login-policy.ts); absent = the default policy. */
    loginPolicy: loginPolicySchema.optional(),
    /**
     * The global do-not-disturb feature switch (Tencent: "must first be enabled in the console"). Off:
     * im_msg_db_logic/admin_set_do_not_disturb is refused. Absent = on.
     */
    dndEnabled: z.boolean().optional(),
    /**
     * The title of a notification that has no title of its own and no sender or group to name (a push
     * task sent without From_Account, or from an account without a nickname). Absent = the app's name.
     * A certificate's own `displayName` wins (docs/push-payloads.md#title).
     */
    displayName: displayNameSchema,
    /**
     * The custom profile fields the app declared (Tencent: configured in its console before use): each
     * `Tag_Profile_Custom_<name>` with its type. Absent = none; others are refused (apps/profiles.ts).
     */
    profileCustomTags: customTagsSchema.optional(),
    /**
     * Tencent's C2C friend check: a one-to-one message goes through only between accounts that are friends
     * both ways (else 20009, 20010 or 20011; sns/guard.ts). Absent = off.
     */
    c2cFriendCheck: z.boolean().optional(),
  })
  .passthrough();

export type AppSettings = z.infer<typeof appSettingsSchema>;

export function parseAppSettings(input: unknown): AppSettings {
  return appSettingsSchema.parse(input ?? {});
}

/** Parsed settings by their stored JSON text, for the send path (a few apps; bounded all the same). */
const storedSettings = new Map<string, Readonly<AppSettings>>();
const STORED_SETTINGS_KEPT = 256;

/**
 * The settings of an app row's `settings` column. Every push read and validated them again (JSON and zod:
 * 0.7 % of the main thread at 500 sends/s); the parsed value is kept per text, so an edit is seen at once.
 * The result is shared: read it, do not change it.
 */
export function storedAppSettings(text: string): Readonly<AppSettings> {
  let settings = storedSettings.get(text);
  if (!settings) {
    settings = Object.freeze(parseAppSettings(JSON.parse(text)));
    if (storedSettings.size >= STORED_SETTINGS_KEPT) storedSettings.clear();
    storedSettings.set(text, settings);
  }
  return settings;
}

/** Whether the app's global do-not-disturb feature is on (it is unless switched off). */
export function dndFeatureEnabled(settings: AppSettings): boolean {
  return settings.dndEnabled !== false;
}

/** Whether one-to-one messages need a two-way friendship (the app's C2C friend check). */
export function c2cFriendCheckEnabled(settings: AppSettings): boolean {
  return settings.c2cFriendCheck === true;
}

/** Whether the app switched on this callback (and has somewhere to send it). */
export function callbackEnabled(settings: AppSettings, command: SwitchableCallback): boolean {
  return settings.callbackUrl !== '' && (settings.callbackCommands ?? []).includes(command);
}
