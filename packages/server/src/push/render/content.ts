// Everything a notification shows, worked out once per message and independent of the vendor: the
// text, titles, Ext, sounds, images, lifetime. Vendor renderers only place these values.
import { createHash } from 'node:crypto';
import type { CertificateInfo } from '../../certificates/types.js';
import type { AndroidInfo, ApnsInfo, MsgBody, OfflinePushInfo } from '../../messaging/message-types.js';
import { type MessageRef, messageRef } from './message-ref.js';
import { contentText, pushText, textUnderTitle } from './text.js';

/** The message as render needs it; filled by the engine from messaging (and signaling for calls). */
export interface RenderMessage {
  /** `call` renders a call invitation (VoIP on APNs VoIP certificates, high priority elsewhere). */
  kind: 'message' | 'call';
  chatType: 'c2c' | 'group';
  sender: { userId: string; nick?: string };
  group?: { id: string; name?: string };
  body: MsgBody;
  offlinePushInfo?: OfflinePushInfo;
  /** Seconds the message may wait for delivery (MsgLifeTime); absent = the vendor default. */
  msgLifeTime?: number;
  /** When the message was sent, UNIX ms. */
  now: number;
  /** UNIX ms after which the push is pointless (call invitations: invite time + timeout). */
  expiresAt?: number;
  /** Call pushes (signaling/): the invitation's ID and envelope; `clear` replaces the ringing one. */
  call?: { inviteId: string; action: 'ring' | 'clear'; signaling: Record<string, unknown> };
  /** A chat message's MsgKey: its notification carries an identifier a recall can retract it by. */
  msgKey?: string;
  /**
   * A push task (all members, a list, tags): the sender is whoever the operator named, so without a
   * nickname the title is the app's display name rather than a raw user ID (or nothing).
   */
  task?: boolean;
  /** The app's display name (its `displayName` setting, else its name): the title of last resort. */
  appName?: string;
}

/** What every vendor needs to ring, and later replace or clear, one call's notification. */
export interface CallContent {
  action: 'ring' | 'clear';
  inviteId: string;
  /** The signaling envelope, for the app to show the call (and hand to addInvitedSignaling). */
  signaling: Record<string, unknown>;
  /** APNs apns-collapse-id, FCM collapse_key, Meizu notifyKey: the same for the ring and its follow-up. */
  collapseId: string;
  /** Huawei/Honor/Xiaomi/OPPO notify ID (a positive 31-bit integer derived from the invite ID). */
  notifyId: number;
}

export interface PushContent {
  kind: 'message' | 'call';
  /** The full notification text ("nick: text", "nick (group): text"). */
  text: string;
  /** The text under `defaultTitle`: `text` without the sender or group the title already shows. */
  titledText: string;
  /** OfflinePushInfo.Title, when set. */
  title?: string;
  /**
   * What Android vendors and Web Push show without a Title: the group's name or ID, the sender's nick
   * (or ID, for chat messages). Absent when none applies: the certificate's or the app's display name is
   * used then (titleFallback).
   */
  defaultTitle?: string;
  apnsTitle?: string;
  apnsSubtitle?: string;
  ext?: string;
  /** APNs sound file (with extension); undefined = silent ("push.no_sound"). */
  apnsSound?: string;
  /** Android sound resource name (without extension), when one was asked for. */
  androidSound?: string;
  apns: ApnsInfo;
  android: AndroidInfo;
  /** One notification thread/tag per conversation: "c2c_<sender>" or "group_<group ID>". */
  threadId: string;
  /** Seconds the vendor may hold the push, when the message says. */
  ttlSeconds?: number;
  /** UNIX seconds after which the push must not be delivered, when the message says. */
  expiresAtSeconds?: number;
  /** The same in UNIX ms. */
  expiresAtMs?: number;
  call?: CallContent;
  /** Chat messages: the notification's collapse ID and notify ID, for a recall's retraction (retraction.ts). */
  messageRef?: MessageRef;
}

export const NO_SOUND = 'push.no_sound';
export const CALL_SOUND_IOS = 'phone_ringing.mp3';
export const CALL_SOUND_ANDROID = 'phone_ringing';

export function pushContent(message: RenderMessage): PushContent {
  const info = message.offlinePushInfo;
  // "If OfflinePushInfo has been filled in, the offline push settings in TIMCustomElem are ignored."
  const custom = info ? undefined : message.body.find((e) => e.MsgType === 'TIMCustomElem')?.MsgContent;
  const apns = info?.ApnsInfo ?? {};
  const android = info?.AndroidInfo ?? {};
  const isCall = message.kind === 'call';
  // Only the invitation rings; its follow-ups (cancel, timeout) replace it silently.
  const ringing = isCall && message.call?.action !== 'clear';

  const groupName = message.group ? message.group.name || message.group.id : undefined;
  const textContext = { chatType: message.chatType, senderNick: message.sender.nick, groupName };
  const content = contentText(message.body, info);
  const text = pushText(textContext, content);

  const requestedApnsSound =
    apns.Sound || custom?.Sound || (ringing ? CALL_SOUND_IOS : isCall ? NO_SOUND : 'default');
  const expiresAtMs = earliest(
    message.msgLifeTime !== undefined ? message.now + message.msgLifeTime * 1000 : undefined,
    message.expiresAt,
  );

  return {
    kind: message.kind,
    text,
    titledText: textUnderTitle(textContext, content),
    title: info?.Title || undefined,
    defaultTitle: conversationTitle(message, groupName),
    apnsTitle: apns.Title || info?.Title || undefined,
    apnsSubtitle: apns.SubTitle || undefined,
    ext: info ? info.Ext || undefined : custom?.Ext || undefined,
    apnsSound: requestedApnsSound === NO_SOUND ? undefined : requestedApnsSound,
    androidSound: android.Sound || (ringing ? CALL_SOUND_ANDROID : undefined),
    apns,
    android,
    threadId: message.call
      ? callCollapseId(message.call.inviteId)
      : message.group
        ? `group_${message.group.id}`
        : `c2c_${message.sender.userId}`,
    ttlSeconds:
      expiresAtMs === undefined ? undefined : Math.max(0, Math.ceil((expiresAtMs - message.now) / 1000)),
    expiresAtSeconds: expiresAtMs === undefined ? undefined : Math.ceil(expiresAtMs / 1000),
    expiresAtMs,
    ...(message.msgKey !== undefined && !message.call ? { messageRef: messageRef(message.msgKey) } : {}),
    ...(message.call
      ? {
          call: {
            ...message.call,
            collapseId: callCollapseId(message.call.inviteId),
            notifyId: callNotifyId(message.call.inviteId),
          },
        }
      : {}),
  };
}

function conversationTitle(message: RenderMessage, groupName: string | undefined): string | undefined {
  if (message.chatType === 'group' && groupName) return groupName;
  return message.sender.nick || (message.task ? undefined : message.sender.userId) || undefined;
}

/**
 * The title of last resort, so that vendors which refuse a notification without a title (Xiaomi, OPPO,
 * vivo, Meizu) never see one: the certificate's display name, else the app's.
 */
export function titleFallback(certificate: CertificateInfo, appName?: string): string {
  return certificate.defaults.displayName || appName || certificate.name || certificate.appIdentifier;
}

/** At most 64 bytes (APNs): invite IDs are 32 hex characters. */
export const callCollapseId = (inviteId: string): string => `call_${inviteId}`.slice(0, 64);

export function callNotifyId(inviteId: string): number {
  return createHash('sha256').update(inviteId).digest().readUInt32BE(0) & 0x7fffffff;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
