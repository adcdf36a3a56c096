// The one interface every vendor payload builder implements (vendors/<vendor>.ts). The shared code in
// index.ts works out the content, fits the texts to the vendor's limits once, then builds per device.
import type { CertificateInfo, ClickAction } from '../../certificates/types.js';
import type { VendorRequest } from '../types.js';
import type { PushContent } from './content.js';
import type { FieldLimits, TextFields } from './fit.js';

/** Builds the request for one device from the (fitted) texts and the device's badge. */
export type RequestBuilder<R extends VendorRequest = VendorRequest> = (
  texts: TextFields,
  badge?: number,
) => R;

export interface VendorRenderer<R extends VendorRequest = VendorRequest> {
  /** Byte limit of the serialized request, as `size` measures it. */
  maxBytes(certificate: CertificateInfo): number;
  fieldLimits?: FieldLimits;
  /** The vendor refuses a notification with an empty title: shortening keeps at least an ellipsis. */
  titleRequired?: boolean;
  /** The texts this vendor shows, before fitting. */
  texts(content: PushContent): TextFields;
  /**
   * Works out everything that does not depend on the texts or the badge once per (message,
   * certificate); the builder it returns runs per device and only assembles small objects.
   */
  prepare(content: PushContent, certificate: CertificateInfo): RequestBuilder<R>;
  /** What the vendor counts against `maxBytes`. */
  size(request: R): number;
}

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Android vendors (and Web Push) always show a title: the message's Title with the full text ("nick: text"),
 * else the sender (C2C) or group name as the title with the text not repeating it (docs/push-payloads.md).
 */
export const androidTexts = (content: PushContent): TextFields =>
  content.title !== undefined
    ? { title: content.title, body: content.text }
    : { title: content.defaultTitle, body: content.titledText };

export const clickActionOf = (certificate: CertificateInfo): ClickAction =>
  certificate.defaults.clickAction ?? { type: 'open_app' };

/** Ext travels to Android apps under the `ext` key (TIMPush reads it there). */
export const extJson = (ext: string): string => JSON.stringify({ ext });

/** A copy without the undefined values, so vendors (and goldens) see only the fields that are set. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  // Copying instead of `delete` keeps objects in V8's fast mode: this runs per device in fan-outs.
  const out: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) out[key] = object[key];
  return out as T;
}
