// Shapes of the console data API: push records, statistics, push tasks, sandbox phones
// (packages/server/src/http/console/records.ts, statistics.ts, tasks.ts, sandbox-phones.ts).
import type { ErrorText } from '../../server/src/http/console/error-messages';

export type RecordOutcome =
  | 'queued'
  | 'retrying'
  | 'skipped'
  | 'sent'
  | 'delivered'
  | 'clicked'
  | 'invalid-token'
  | 'rejected'
  | 'credential-error'
  | 'failed'
  | 'undelivered';

export interface PushRecordRow {
  pushId: string;
  kind: string;
  toUser: string;
  fromUser: string | null;
  groupId: string | null;
  msgKey: string | null;
  taskId: string | null;
  instanceId: string | null;
  vendor: string | null;
  certificateId: number | null;
  createdAt: number;
  outcome: RecordOutcome;
  code: string | null;
}

export interface RecordPage {
  records: PushRecordRow[];
  next?: string;
}

/** One stage of Tencent's InstanceTrace: PushStatus 0 not reached, 1 passed, 2 failed; EventTime in seconds. */
export interface TraceStat {
  PushStatus: number;
  ErrorCode: number;
  ErrorInfo: string;
  EventTime: number;
}

export interface TraceStage {
  Stage: string;
  EventTime: number;
  Attempt?: number;
  Code?: string;
  LatencyMs?: number;
  VendorMsgId?: string;
}

export interface InstanceTrace {
  PushID: string;
  PushTime: number;
  Token: string;
  CertId: number;
  IMCommitStat: { IMStat: TraceStat };
  OfflinePushStat: {
    OfflineStat: TraceStat;
    ChannelStat: TraceStat;
    DeviceStat: TraceStat;
    ClickStat: TraceStat;
  };
  Stages: TraceStage[];
}

export interface Funnel {
  total: number;
  sent: number;
  delivered: number;
  clicked: number;
  failed: number;
}

export interface StatisticsReport {
  from: number;
  to: number;
  funnel: Funnel;
  vendors: (Funnel & {
    vendor: string;
    failures: { outcome: string; code: string; count: number; info: string }[];
  })[];
  hours: {
    hour: number;
    sent: number;
    delivered: number;
    failed: number;
    sentByVendor: Record<string, number>;
  }[];
  tasks: (Funnel & { taskId: string; kind: string })[];
}

export type TaskStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface PushTaskView {
  taskId: string;
  kind: 'all-member' | 'tag' | 'attr' | 'batch';
  command: string;
  status: TaskStatus;
  audience: { tagsAnd: string[]; tagsOr: string[] } | null;
  recipients: number | null;
  counts: { audienceTotal: number | null; enqueued: number; sent: number; failed: number; skipped: number };
  error: string | null;
  createdAt: number;
  /** A push scheduled for later: when it starts (UNIX ms). */
  startAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  title: string | null;
  text: string | null;
  /** How it ended (packages/server/src/http/console/tasks.ts taskResult). */
  result: TaskResult;
  /** Its most frequent failure, explained with the vendor answers table. */
  mainFailure: { vendor: string; code: string; outcome: string; count: number } | null;
}

export type TaskResult =
  | 'pending'
  | 'ok'
  | 'partial'
  | 'all-failed'
  | 'no-recipients'
  | 'failed'
  | 'cancelled';

export interface PhoneNotification {
  seq: number;
  vendor: string;
  phoneId: string;
  title: string | null;
  subtitle: string | null;
  body: string | null;
  badge: number | null;
  sound: string | null;
  image: string | null;
  pushType: string | null;
  receivedAt: number;
  /** The notification left the phone (a recall retracted or replaced it): the page removes it. */
  retracted?: boolean;
}

export interface Phone {
  id: string;
  vendor: string;
  platform: 'ios' | 'android' | 'web';
  app: string;
  environment: string | null;
  tokenSuffix: string;
  userId: string;
  instanceId: string;
  installed: boolean;
  /** foreground: the app is in front (no pushes); background: pushes arrive; offline: logged out. */
  appState: 'foreground' | 'background' | 'offline';
  notifications: PhoneNotification[];
}

export type PhonesAnswer =
  | { running: true; phones: Phone[] }
  | { running: false; message: string; text?: ErrorText };
