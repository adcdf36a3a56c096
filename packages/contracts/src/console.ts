// Shapes of the console JSON API: what packages/server/src/http/console/* answers and what the console
// (packages/console) reads. The server types its answers with them, so a change on one side that the
// other does not follow fails `tsc -b`.
import type { Message } from './troubleshoot-texts.js';

// Session and console users (session.ts, users.ts).
export type ConsoleRole = 'admin' | 'member';

export interface ConsoleUser {
  id: number;
  username: string;
  role: ConsoleRole;
  apps: number[];
}

export interface SessionInfo {
  user: ConsoleUser;
  csrfToken: string;
}

// Apps (apps.ts).
export interface AppSettings {
  callbackUrl: string;
  [key: string]: unknown;
}

export interface AppSummary {
  sdkAppId: number;
  name: string;
  adminIdentifier: string;
  settings: AppSettings;
  createdAt: number;
}

export interface AppDetails extends AppSummary {
  secretKeyMasked: string;
}

/**
 * An error as the console API sends it next to the English: a key of the server's CONSOLE_API_ERROR_TEXTS
 * (packages/server/src/http/console/error-messages.ts, whose ErrorText narrows `key` to those keys) and values.
 */
export interface ErrorTextRef {
  key: string;
  params?: Record<string, string | number>;
}

// Push certificates (certificates.ts).
export interface CertificateInfo {
  id: number;
  sdkAppId: number;
  vendor: string;
  kind: 'alert' | 'voip';
  name: string;
  environment?: 'development' | 'production';
  appIdentifier: string;
  publicFields: Record<string, string>;
  maskedSecrets: Record<string, string>;
  /** Per-certificate settings (channel, click action, display name...); kept on edits. */
  defaults?: { displayName?: string; [key: string]: unknown };
  expiresAt: number | null;
  expiringSoon: boolean;
  status: 'active' | 'paused';
  pausedReason: string | null;
  /** While paused: whether pushes that keep arriving are held for the resume or discarded. */
  pausedMode: 'hold' | 'discard' | null;
  /** When a vendor first accepted a push of the current credential (UNIX ms); null while untested. */
  verifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A test push's result (certificates.ts test). */
export interface PushOutcome {
  kind: 'sent' | 'invalid-token' | 'retry' | 'rejected' | 'credential-error';
  code?: string;
  vendorId?: string;
  detail?: string;
}

export interface CertificateSummary {
  id: number;
  name: string;
  vendor: string;
  kind: string;
  environment: string | null;
  status: string;
}

// Users and devices (users.ts).
export interface BindingView {
  tokenType: number;
  token: string;
  reportedAt: number;
  certificateId: number;
  certificate: CertificateSummary | null;
}

export interface InstanceView {
  instanceId: string;
  platform: string;
  state: 'Online' | 'PushOnline' | 'Offline';
  background: boolean;
  badgeBase: number;
  loggedInAt: number;
  lastSeenAt: number;
  bindings: BindingView[];
}

export interface UserDevices {
  userId: string;
  account: { nick: string; kickedAt: number | null } | null;
  unreadTotal: number;
  instances: InstanceView[];
}

// Overview (overview.ts).
export type AlertTextKey =
  | 'certificateExpiring'
  | 'certificateExpired'
  | 'certificatePausedDiscard'
  | 'certificatePausedHold'
  | 'deadLetters'
  | 'webhookFailures';

export interface Alert {
  kind: 'certificate-expiring' | 'certificate-paused' | 'dead-letters' | 'webhook-failures';
  severity: 'warning' | 'error';
  /** In English, for scripts: the console writes `text` in its language. */
  message: string;
  /**
   * The same as a key of the console's `overviewAlert` texts and its values, so that the console writes it in
   * its language; `because` is a second line in the words of a vendor or a callback server (as they said it).
   */
  text: { key: AlertTextKey; params: Record<string, string | number>; because?: string };
  certificateId?: number;
}

export interface OverviewData {
  devices: { vendor: string; Online: number; PushOnline: number; Offline: number }[];
  pushes: {
    series: readonly string[];
    hours: ({ hour: number } & Record<string, number>)[];
  };
  queue: { ready: number; delayed: number; leased: number; held: number; dead: number };
  certificates: { total: number; active: number };
  alerts: Alert[];
}

// Troubleshooter (troubleshoot.ts, troubleshoot-checks.ts).
export type CheckStatus = 'ok' | 'problem' | 'warning' | 'info';

/** A check: English text fields (REST and CLI readers), and the same texts as message keys (the console). */
export interface TroubleshootCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** What Pushline found, in plain words (one line per finding). */
  detail: string;
  /** What to do about it (problems and warnings). */
  fix?: string;
  /** The texts above as message keys: the console renders these in its language. */
  messages: { title: Message; detail: Message[]; fix?: Message };
}

/** One push's result, in English and as message keys. */
export interface PushExplanation {
  status: CheckStatus;
  text: string;
  fix?: string;
  messages: { text: Message; fix?: Message };
}

/** A recent push to the user, as the troubleshooter shows it. */
export interface PushSummary {
  pushId: string;
  msgKey: string | null;
  taskId: string | null;
  createdAt: number;
  instanceId: string | null;
  vendor: string | null;
  certificateId: number | null;
  token: string | null;
  skipReason: string | null;
  /** The last vendor answer stage (sent, invalid-token, rejected, credential-error, failed, retry) and code. */
  answer: { stage: string; code: string | null; at: number } | null;
  retries: { code: string | null; at: number }[];
  receipt: 'delivered' | 'undelivered' | 'clicked' | null;
}

/** A recent push with its result explained. */
export interface TroubleshootPush extends PushSummary {
  explanation: PushExplanation;
}

export interface TroubleshootResult {
  userId: string;
  checks: TroubleshootCheck[];
  pushes: TroubleshootPush[];
}
