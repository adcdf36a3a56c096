// Render: one message + one certificate -> the vendor request a channel sends. The vendor-independent
// content and the size fitting are done once per (message, certificate); each device then only costs
// building a few small objects with its badge (prepareRender), which is what fan-out needs. Each vendor's
// payload is built by its module's renderer (VendorModule.renderer, push/vendors/<vendor>/render.ts).
import type { CertificateInfo } from '../../certificates/types.js';
import { RECEIPT_FIELDS_RESERVE_BYTES } from '../outcomes/receipt-fields.js';
import type { VendorRequest } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import { type BadgeState, badgeNumber, countsTowardBadge, MAX_BADGE } from './badge.js';
import { type PushContent, pushContent, type RenderMessage, titleFallback } from './content.js';
import { fitText, type TextFields } from './fit.js';
import { ELLIPSIS } from './truncate.js';
import type { VendorRenderer } from './vendor-renderer.js';

export type { BadgeState } from './badge.js';
export type { RenderMessage } from './content.js';

export const RENDER_FAILURES = {
  'ext-too-large':
    'OfflinePushInfo.Ext is too large for the vendor payload even with the texts shortened to nothing.',
  'payload-too-large':
    'The payload is over the vendor limit even with the texts shortened (long image URL...).',
} as const;
export type RenderFailure = keyof typeof RENDER_FAILURES;

export type RenderResult =
  | {
      ok: true;
      request: VendorRequest;
      /** The notification body as sent (after any shortening), for traces. */
      text: string;
      title?: string;
      /** The badge this push brings the device to (in the payload where the vendor has a badge field). */
      badge?: number;
      /** Whether the engine should count this push toward the instance's badge. */
      countsTowardBadge: boolean;
      truncated: boolean;
      /** UNIX ms after which the push must not go (PushTask.notAfter). */
      notAfter?: number;
    }
  | { ok: false; reason: RenderFailure; detail: string };

/**
 * Renders for one device of the prepared (message, certificate). Devices with the same badge number get the
 * same result, request included (a page of a fan-out then carries a handful of requests, not one per device:
 * push/queue/sql-packs.ts stores each once), and requests share their unchanging sub-objects (click action,
 * Ext holder...): treat results as read-only and add the token in a new object.
 */
export type DeviceRenderer = (badge?: BadgeState) => RenderResult;

export function prepareRender(message: RenderMessage, certificate: CertificateInfo): DeviceRenderer {
  const content = pushContent(message);
  if (!content.defaultTitle) content.defaultTitle = titleFallback(certificate, message.appName);
  return prepareContent(content, certificate);
}

/** Renders one push; for many devices of one message prefer prepareRender. */
export function render(input: {
  message: RenderMessage;
  certificate: CertificateInfo;
  badge?: BadgeState;
}): RenderResult {
  return prepareRender(input.message, input.certificate)(input.badge);
}

function prepareContent(content: PushContent, certificate: CertificateInfo): DeviceRenderer {
  const renderer = vendorModule(certificate.vendor).renderer as VendorRenderer;
  const counts = countsTowardBadge(content, certificate);
  // Room for the PushID and receipt fields the channel adds to every request (outcomes/receipt-fields.ts).
  const maxBytes = renderer.maxBytes(certificate) - RECEIPT_FIELDS_RESERVE_BYTES;
  // Sized with the largest badge, so any real badge fits without measuring again.
  const build = renderer.prepare(content, certificate);
  const size = (texts: TextFields) => renderer.size(build(texts, counts ? MAX_BADGE : undefined));
  const fit = fitText(renderer.texts(content), {
    size,
    maxBytes,
    fieldLimits: renderer.fieldLimits,
    titleRequired: renderer.titleRequired,
  });
  if (!fit.ok) {
    const failure = tooLarge(renderer, content, certificate, maxBytes);
    return () => failure;
  }
  const { fields, truncated } = fit;
  const notAfter = content.expiresAtMs;
  const byBadge = new Map<number | undefined, RenderResult>();
  return (state) => {
    const badge = badgeNumber(state, counts);
    let result = byBadge.get(badge);
    if (!result) {
      result = {
        ok: true,
        request: build(fields, badge),
        text: fields.body,
        title: fields.title || undefined,
        badge,
        countsTowardBadge: counts,
        truncated,
        notAfter,
      };
      byBadge.set(badge, result);
    }
    return result;
  };
}

/** Why nothing fits: Ext when the payload would fit without it, else the other fields. */
function tooLarge(
  renderer: VendorRenderer,
  content: PushContent,
  certificate: CertificateInfo,
  maxBytes: number,
): RenderResult {
  const minimal: TextFields = { title: '', subtitle: '', body: ELLIPSIS };
  const withoutExt = renderer.size(
    renderer.prepare({ ...content, ext: undefined }, certificate)(minimal, MAX_BADGE),
  );
  if (content.ext !== undefined && withoutExt <= maxBytes) {
    return {
      ok: false,
      reason: 'ext-too-large',
      detail: `Ext is ${Buffer.byteLength(content.ext)} bytes; the ${certificate.vendor} payload allows ${maxBytes} bytes in all`,
    };
  }
  return {
    ok: false,
    reason: 'payload-too-large',
    detail: `the ${certificate.vendor} payload is over ${maxBytes} bytes even with the texts shortened (image URLs?)`,
  };
}
