// The one interface every vendor implements (vendors/<vendor>/index.ts): everything Pushline knows about a
// vendor, behind one object the registry (vendors/index.ts) hands out. The shared code never names a vendor:
// it asks the vendor's module (channel factory, render, upload validation, token check, receipt fields and
// parsers, test push, answer table, statistics platform number). docs/internals/adding-a-vendor.md.
import type { CertificateInput } from '../../certificates/input.js';
import type { CertificateErrorKey } from '../../certificates/messages.js';
import type { CertificateWithSecrets, ValidatedCertificate } from '../../certificates/store.js';
import type { CertificateInfo, CertificateKind, Vendor } from '../../certificates/types.js';
import type { TextParams } from '../../fill-text.js';
import type { VendorAnswerEntry } from '../answers/vendor-answers.js';
import type { ChannelContext } from '../channels/context.js';
import type { SharedChannelState } from '../channels/shared-state.js';
import type { PushContent } from '../render/content.js';
import type { MessageRef, RetractionReason } from '../render/message-ref.js';
import type { VendorRenderer } from '../render/vendor-renderer.js';
import type { Channel, VendorRequest } from '../types.js';
import type { ParsedReceipt } from './common/receipt-parsers.js';

/** The request type a vendor's renderer builds and its channel sends (push/types.ts VendorRequest). */
export type RequestOf<V extends Vendor> = Extract<VendorRequest, { vendor: V }>;

/** Why a token is refused: a text of CERTIFICATE_ERROR_TEXTS (certificates/messages.ts) and its values. */
export interface TokenProblem {
  key: CertificateErrorKey;
  params?: TextParams;
}

export interface VendorModule<V extends Vendor = Vendor> {
  readonly vendor: V;
  /** The certificate kinds it takes: only APNs has VoIP certificates. */
  readonly kinds: readonly CertificateKind[];
  /** The `System` of a trace (Tencent's field): APNS, Android or Web. */
  readonly system: 'APNS' | 'Android' | 'Web';
  /** Its PushPlatform number in webhooks and statistics (docs/statistics.md); never reuse one. */
  readonly pushPlatform: number;
  /** Its channel keeps connections open (HTTP/2): a starting node opens them before the first push. */
  readonly warmable: boolean;
  /** One request carries many device tokens (the channel groups identical requests). */
  readonly multiTokenRequests: boolean;
  /**
   * The credential several certificates may share (an APNs signing key), whose channels then run on one send
   * worker; undefined: the certificate's own.
   */
  sharedCredential?(cert: CertificateWithSecrets): string | undefined;
  /**
   * Whether one certificate's batches may be split over every send worker: for a vendor whose work per push
   * is the sender's own CPU and whose credential holds nothing that must not exist twice (Web Push encrypts
   * every message for its subscription, and each worker signs its own VAPID JWTs). Absent: one worker.
   */
  spreadOverWorkers?: boolean;
  /** Builds the channel of one certificate. `shared` holds what channels of several certificates share. */
  createChannel(cert: CertificateWithSecrets, ctx: ChannelContext, shared: SharedChannelState): Channel;
  /** Builds its payload from a message's content (push/render/index.ts fits the texts once). */
  readonly renderer: VendorRenderer<RequestOf<V>>;
  /** Whether a push adds one to the badge of this certificate's devices; absent: always. */
  countsTowardBadge?(content: PushContent, cert: CertificateInfo): boolean;
  /** Checks the credential fields of an upload; throws CertificateInputError naming the field at fault. */
  validateCredential(input: CertificateInput): ValidatedCertificate;
  /** The token as it is stored and compared (APNs: hex in lower case); absent: as the device reported it. */
  normalizeToken?(token: string): string;
  /** Why `token` cannot be a device token of this vendor; undefined when it can. */
  tokenProblem(token: string): TokenProblem | undefined;
  /**
   * The request with the PushID added where the app and the vendor's receipt find it (outcomes/
   * receipt-fields.ts). Requests are shared between devices: copy every level changed.
   */
  withReceiptFields(request: RequestOf<V>, pushId: string, callbackUrl?: string): RequestOf<V>;
  /** Its messages carry the delivery-receipt URL (callbackUrl above), resolved per app by CertificateChannels. */
  readonly receiptUrlPerMessage: boolean;
  /** Parses a delivery receipt it POSTs to /v3/offline_push_report/<vendor>; absent: it sends none. */
  readonly parseReceipts?: (raw: string) => ParsedReceipt[];
  /** The plain alert of `pushline cert test` and the console's test button, with the certificate's defaults. */
  testRequest(cert: CertificateInfo, text: string): RequestOf<V>;
  /**
   * Badge-only pushes (render/badge-update.ts), where the vendor has them: whether this certificate can send
   * one, and the request setting the badge to `badge` (a whole number >= 0). Absent: no badge-only push.
   */
  readonly badgeUpdate?: {
    support(cert: CertificateInfo): 'ok' | 'no-badge-class' | 'voip';
    request(cert: CertificateInfo, badge: number): RequestOf<V>;
  };
  /**
   * The request that retracts a delivered notification (render/retraction.ts), or undefined where this
   * certificate cannot (VoIP...). Absent: the vendor has no way to.
   */
  retractionRequest?(
    cert: CertificateInfo,
    target: { msgKey: string; threadId: string; ref: MessageRef },
    reason: RetractionReason,
  ): RequestOf<V> | undefined;
  /** Its retraction addresses the conversation's tag: one per device clears every message of it. */
  readonly retractsByConversation?: boolean;
  /** Its answer codes: outcome, meaning and action (push/answers/vendor-answers.ts holds the data). */
  readonly answers: Readonly<Record<string, VendorAnswerEntry>>;
}
