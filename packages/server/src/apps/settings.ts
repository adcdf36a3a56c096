import { z } from 'zod';
import { loginPolicySchema } from '../gateway/login-policy.js';

/** Characters of a display name; vendors shorten titles further (Meizu: 32). */
export const DISPLAY_NAME_MAX = 64;

/** A display name; an empty one (a cleared console field) means "none". */
export const displayNameSchema = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().max(DISPLAY_NAME_MAX).optional(),
);

// Per-app settings. Unknown keys are kept so that newer nodes' settings survive older nodes' writes.
export const appSettingsSchema = z
  .object({
    /** Where webhooks (State.StateChange, Push.OfflinePush, ...) are POSTed; empty = none. */
    callbackUrl: z.string().url().or(z.literal('')).default(''),
    /** Multi-device login policy (gateway/login-policy.ts); absent = the default policy. */
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
  })
  .passthrough();

export type AppSettings = z.infer<typeof appSettingsSchema>;

export function parseAppSettings(input: unknown): AppSettings {
  return appSettingsSchema.parse(input ?? {});
}

/** Whether the app's global do-not-disturb feature is on (it is unless switched off). */
export function dndFeatureEnabled(settings: AppSettings): boolean {
  return settings.dndEnabled !== false;
}
