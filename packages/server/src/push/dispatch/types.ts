// The dispatcher's vocabulary, shared by the dispatcher, its settlement and whoever records outcomes.
import type { PushOutcome, PushTask } from '../types.js';

/** `paused` holds the certificate's jobs until it is resumed; `discarding` drops them. */
export type CertificateState = 'active' | 'paused' | 'discarding' | 'missing';

/** What dispatch needs from the channels: one send per certificate, and whether a certificate may send. */
export interface DispatchChannels {
  /** One outcome per task, in order. The tasks all belong to `certificateId`. */
  send(certificateId: number, tasks: PushTask[]): Promise<PushOutcome[]>;
  /** Called once per certificate and batch; may cache. */
  certificateStatus(certificateId: number): Promise<CertificateState>;
}

/** A channel's outcome, or what dispatch decided without sending. */
export type DispatchOutcome =
  | PushOutcome
  | { kind: 'expired' } // notAfter passed before it could go
  | { kind: 'call-ended' } // a ringing push whose invitation ended before it could go
  | { kind: 'recalled' } // a chat message's push whose message was recalled before it could go
  | { kind: 'no-certificate' } // the certificate was deleted
  | { kind: 'certificate-paused' } // held without sending
  | { kind: 'certificate-discarded' }; // dropped: its certificate is paused to discard

export interface OutcomeInfo {
  jobId: string;
  /** 1 for the first send attempt. */
  attempt: number;
  /** What happened to the job. */
  action: 'done' | 'retry' | 'dead-letter' | 'hold';
  /** For `retry`: when the job comes back. */
  delayMs?: number;
}

/** The last vendor answer recorded for a push, as the crash-replay check reads it back. */
export interface RecordedAnswer {
  /** The recorded stage: sent, retry, invalid-token, rejected, credential-error or failed. */
  stage: string;
  code: string | null;
}
