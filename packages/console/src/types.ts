// Shapes of the console JSON API (packages/server/src/http/console/).
import type { Message } from '../../server/src/http/console/troubleshoot-messages';

export interface ConsoleUser {
  id: number;
  username: string;
  role: 'admin' | 'member';
  apps: number[];
}

export interface SessionInfo {
  user: ConsoleUser;
  csrfToken: string;
}

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
export interface OverviewData {
  devices: { vendor: string; Online: number; PushOnline: number; Offline: number }[];
  pushes: {
    series: string[];
    hours: ({ hour: number } & Record<string, number>)[];
  };
  queue: { ready: number; delayed: number; leased: number; held: number; dead: number };
  certificates: { total: number; active: number };
  alerts: {
    kind: string;
    severity: 'warning' | 'error';
    /** English, for scripts: the console writes `text` in its language. */
    message: string;
    /** A key of the `overviewAlert` texts with its values; `because`: a second line as a vendor said it. */
    text: { key: string; params: Record<string, string | number>; because?: string };
    certificateId?: number;
  }[];
}

// Troubleshooter (troubleshoot.ts).
export type CheckStatus = 'ok' | 'problem' | 'warning' | 'info';

/** A check: English text fields (REST and CLI readers), and the same texts as message keys (the console). */
export interface TroubleshootCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
  messages: { title: Message; detail: Message[]; fix?: Message };
}

export interface TroubleshootPush {
  pushId: string;
  msgKey: string | null;
  createdAt: number;
  instanceId: string | null;
  vendor: string | null;
  certificateId: number | null;
  token: string | null;
  skipReason: string | null;
  answer: { stage: string; code: string | null; at: number } | null;
  explanation: {
    status: CheckStatus;
    text: string;
    fix?: string;
    messages: { text: Message; fix?: Message };
  };
}

export interface TroubleshootResult {
  userId: string;
  checks: TroubleshootCheck[];
  pushes: TroubleshootPush[];
}
