// The one interface every vendor payload builder implements (vendors/<vendor>.ts). The shared code in
// index.ts works out the content, fits the texts to the vendor's limits once, then builds per device.
import type { CertificateInfo, ClickAction } from '../certificates/types.js';
import type { VendorRequest } from '../types.js';
import type { PushContent } from './content.js';
import type { FieldLimits, TextFields } from './fit.js';

export interface BuildInput {
  content: PushContent;
  certificate: CertificateInfo;
  /** The texts after fitting (possibly shortened). */
  texts: TextFields;
  /** The badge number, when the payload carries one. */
  badge?: number;
}

export interface VendorRenderer<R extends VendorRequest = VendorRequest> {
  /** Byte limit of the serialized request, as `size` measures it. */
  maxBytes(certificate: CertificateInfo): number;
  fieldLimits?: FieldLimits;
  /** The texts this vendor shows, before fitting. */
  texts(content: PushContent): TextFields;
  build(input: BuildInput): R;
  /** What the vendor counts against `maxBytes`. */
  size(request: R): number;
}

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Android vendors always show a title: the message's Title, else the sender or group. */
export const androidTexts = (content: PushContent): TextFields => ({
  title: content.title ?? content.defaultTitle,
  body: content.text,
});

export const clickActionOf = (certificate: CertificateInfo): ClickAction =>
  certificate.defaults.clickAction ?? { type: 'open_app' };

/** Ext travels to Android apps under the `ext` key (TIMPush reads it there). */
export const extJson = (ext: string): string => JSON.stringify({ ext });

/** Drops undefined values so goldens and vendors see only the fields that are set. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}
