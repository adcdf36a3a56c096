// Shapes of the console data API: push records, statistics, push tasks, sandbox phones
// (packages/server/src/http/console/records.ts, statistics.ts, tasks.ts, sandbox-phones.ts).
import type { ErrorTextRef } from './console.js';

/** Where a push got to: the last of accepted/sent/delivered/clicked, or why it stopped. */
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
  /** The skip reason or the vendor's error code, when there is one. */
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

export interface VendorFigures extends Funnel {
  /** '' for pushes skipped before a vendor was chosen (no binding...). */
  vendor: string;
  /** Vendor refusals and undelivered receipts, most frequent first: `outcome` and the vendor's code. */
  failures: { outcome: string; code: string; count: number; info: string }[];
}

export interface HourFigures {
  /** Start of the hour, UNIX ms. */
  hour: number;
  sent: number;
  delivered: number;
  failed: number;
  /** Sent per vendor. */
  sentByVendor: Record<string, number>;
}

export interface TaskFigures extends Funnel {
  taskId: string;
  kind: string;
}

export interface StatisticsReport {
  from: number;
  to: number;
  funnel: Funnel;
  vendors: VendorFigures[];
  hours: HourFigures[];
  tasks: TaskFigures[];
}

export type TaskStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** How a push task ended (packages/server/src/http/console/tasks.ts taskResult). */
export type TaskResult =
  | 'pending'
  | 'ok'
  | 'partial'
  | 'all-failed'
  | 'no-recipients'
  | 'failed'
  | 'cancelled';

export interface PushTaskView {
  taskId: string;
  kind: 'all-member' | 'tag' | 'attr' | 'batch' | 'group';
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
  result: TaskResult;
  /** Its most frequent failure, explained with the vendor answers table. */
  mainFailure: { vendor: string; code: string; outcome: string; count: number } | null;
}

export type PhonePlatform = 'ios' | 'android' | 'web';

/**
 * Where the app of a phone is: `foreground` (in front: messages come over its connection, no pushes),
 * `background` (pushes go to it), `offline` (not logged in there).
 */
export type PhoneAppState = 'foreground' | 'background' | 'offline';

/** A notification as a phone showed it: never the raw request (it carries the vendor credentials). */
export interface PhoneNotification {
  seq: number;
  vendor: string;
  /** The phone that showed it (Phone.id). */
  phoneId: string;
  title: string | null;
  subtitle: string | null;
  body: string | null;
  badge: number | null;
  sound: string | null;
  image: string | null;
  pushType: string | null;
  receivedAt: number;
  /** Present and true when the notification left the phone (a recall retracted or replaced it): the page removes it. */
  retracted?: boolean;
}

/** A virtual phone of the sandbox (packages/server/src/http/console/sandbox-phone-book.ts). */
export interface Phone {
  id: string;
  vendor: string;
  platform: PhonePlatform;
  app: string;
  environment: string | null;
  /** The last characters of the token: tells two phones apart, cannot be used to push. */
  tokenSuffix: string;
  userId: string;
  instanceId: string;
  installed: boolean;
  appState: PhoneAppState;
  /** The latest notifications, newest first. */
  notifications: PhoneNotification[];
}

/** `T`: the error text's type; the console narrows it to the server's ErrorText (its keys). */
export type PhonesAnswer<T extends ErrorTextRef = ErrorTextRef> =
  | { running: true; phones: Phone[] }
  | { running: false; message: string; text?: T };
