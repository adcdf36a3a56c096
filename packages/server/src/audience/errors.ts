// Tencent's error codes of the push service (all_member_push/*, timpush/*),
// docs/internals/tencent-im.md#tags-and-attributes and Tencent's im_push / im_add_tag / im_set_attr
// documentation. The audience code throws AudienceError; the v4 layer answers it as {ErrorCode, ErrorInfo}.

import { fillText, type TextParams } from '../fill-text.js';
import { AUDIENCE_ERROR_TEXTS, type AudienceErrorKey } from './messages.js';

export const PushErrorCode = {
  /** JSON format wrong: a field of the wrong type, a required field missing. */
  Format: 90001,
  /** MsgBody elements do not match the message format. */
  MsgBodyFormat: 90002,
  /** MsgRandom missing or not an integer (im_push). */
  MsgRandom: 90005,
  /** MsgBody is not an array. */
  MsgBodyNotArray: 90007,
  /** More accounts in one request than allowed. */
  TooManyAccounts: 90018,
  /** A tag is longer than 50 bytes. */
  TagTooLong: 90020,
  /** TagsOr and TagsAnd name the same tag. */
  TagRepeated: 90022,
  /** MsgLifeTime is more than 7 days. */
  LifeTime: 90026,
  /** More than 10 tags in a condition or in one add request (or more than 100 on one user). */
  TooManyTags: 90032,
  /** An attribute name or value that is not valid (unknown name, too long, bad number). */
  InvalidAttribute: 90033,
  /** Tag conditions and attribute conditions in one Condition. */
  TagsAndAttrsMixed: 90039,
  /** An empty tag. */
  EmptyTag: 90040,
} as const;

export class AudienceError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The message as a key of AUDIENCE_ERROR_TEXTS (messages.ts), for readers in other languages. */
    readonly text?: { key: AudienceErrorKey; params?: TextParams },
  ) {
    super(message);
  }

  /** An error whose message is a text of AUDIENCE_ERROR_TEXTS. */
  static keyed(code: number, key: AudienceErrorKey, params?: TextParams): AudienceError {
    return new AudienceError(
      code,
      fillText(AUDIENCE_ERROR_TEXTS[key], params),
      params ? { key, params } : { key },
    );
  }
}

/** Limits of tags and attributes (Tencent's, kept so that a Tencent client behaves the same). */
export const AudienceLimits = {
  /** Bytes in a tag, an attribute name or an attribute value. */
  maxTagBytes: 50,
  maxAttrNameBytes: 50,
  maxAttrValueBytes: 50,
  /** Accounts in one tag/attribute request. */
  maxAccountsPerRequest: 100,
  /** Tags for one user in one im_add_tag / im_remove_tag request, and tags in one condition list. */
  maxTagsPerRequest: 10,
  /** Tags one user may hold. */
  maxTagsPerUser: 100,
  /** Attribute numbers "0".."9". */
  attrSlots: 10,
} as const;

export function byteLength(s: string): number {
  return Buffer.byteLength(s);
}
