// The push text rules of docs/internals/tencent-im.md#push-text-rules: each element gives a piece of text,
// the pieces are joined with no separator, OfflinePushInfo.Desc overrides the lot, and the sender (and group)
// are put in front: C2C "nick: text", group "nick (group name): text", "(group name): text" without a nick.
import type { MsgBody, MsgElement, OfflinePushInfo } from '../../messaging/message-types.js';

/** Placeholders for elements that carry no text of their own (English, like Tencent's en push text). */
export const ELEMENT_PLACEHOLDERS = {
  TIMLocationElem: '[Location]',
  TIMFaceElem: '[Face]',
  TIMImageElem: '[Image]',
  TIMSoundElem: '[Voice]',
  TIMFileElem: '[File]',
  TIMVideoFileElem: '[Video]',
  TIMRelayElem: '[Chat History]',
} as const;

/** The text one element contributes to a push. */
export function elementText(element: MsgElement): string {
  switch (element.MsgType) {
    case 'TIMTextElem':
      return element.MsgContent.Text;
    case 'TIMCustomElem':
      return element.MsgContent.Desc ?? '';
    case 'TIMRelayElem':
      // A forwarded chat history shows its title ("Chat History of Alice and Bob") when it has one.
      return element.MsgContent.Title || ELEMENT_PLACEHOLDERS.TIMRelayElem;
    default:
      return ELEMENT_PLACEHOLDERS[element.MsgType];
  }
}

/** True when the body is a single custom element whose own Desc is missing or empty. */
export function isLoneCustomWithoutDesc(body: MsgBody): boolean {
  const only = body.length === 1 ? body[0] : undefined;
  return only?.MsgType === 'TIMCustomElem' && !only.MsgContent.Desc;
}

/**
 * The content part of the push text (without sender and group): OfflinePushInfo.Desc when set and
 * non-empty, else the element texts concatenated in order with no separator.
 */
export function contentText(body: MsgBody, offlinePushInfo: OfflinePushInfo | undefined): string {
  if (offlinePushInfo?.Desc) return offlinePushInfo.Desc;
  let text = '';
  for (const element of body) text += elementText(element);
  return text;
}

export interface TextContext {
  chatType: 'c2c' | 'group';
  /** The sender's nickname; without one the sender part is left out (never the raw user ID). */
  senderNick?: string;
  /** The group's name, or its ID when it has no name. */
  groupName?: string;
}

/**
 * The full notification text. The separator is ": " as in the reference's display-format rules
 * ("nickname: push text"); the APNs sample there ("Nickname:helloworld") is not followed.
 */
export function pushText(context: TextContext, content: string): string {
  const nick = context.senderNick || '';
  if (context.chatType === 'c2c' || !context.groupName) return nick ? `${nick}: ${content}` : content;
  const group = `(${context.groupName})`;
  return nick ? `${nick} ${group}: ${content}` : `${group}: ${content}`;
}

/**
 * The notification text under a title that already names the conversation (Android vendors and Web Push
 * show the sender's nick for C2C and the group's name for groups as the title): the part the title shows
 * is not repeated. C2C "text"; group "nick: text" (the title names the group, not who wrote).
 */
export function textUnderTitle(context: TextContext, content: string): string {
  const nick = context.senderNick || '';
  if (context.chatType === 'group' && context.groupName && nick) return `${nick}: ${content}`;
  return content;
}
