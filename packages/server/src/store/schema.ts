import type { Generated } from 'kysely';

// Table types for Kysely. Times are UNIX milliseconds unless a column name says otherwise;
// booleans are integers 0/1 so that SQLite and PostgreSQL share one schema.

export interface AppsTable {
  sdkappid: number;
  name: string;
  /** Secret key sealed with the master key (auth/secret-box.ts). */
  secret_key_enc: string;
  admin_identifier: string;
  /** JSON object: app settings (login policy, callback URL, ...). */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface AccountsTable {
  sdkappid: number;
  user_id: string;
  nick: string;
  face_url: string;
  created_at: number;
  /** UNIX seconds of the last admin kick: UserSigs issued at or before it are refused (70052). */
  kicked_at: number | null;
}

export interface CertificatesTable {
  id: Generated<number>;
  sdkappid: number;
  vendor: string;
  kind: string;
  name: string;
  environment: string | null;
  app_identifier: string;
  /** JSON object of non-secret identifiers. */
  public_fields: string;
  /** JSON object of secret fields, sealed with the master key. */
  secrets_enc: string;
  /** JSON CertificateDefaults. */
  defaults: string;
  expires_at: number | null;
  status: string;
  paused_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** One push to one device (push/outcomes): who, what, where; its stages are push_trace_events. */
export interface PushTracesTable {
  push_id: string;
  sdkappid: number;
  /** c2c | group | call | all-member | batch */
  kind: string;
  msg_key: string | null;
  task_id: string | null;
  from_user: string | null;
  to_user: string;
  group_id: string | null;
  instance_id: string | null;
  vendor: string | null;
  certificate_id: number | null;
  /** The last characters of the device token: enough to match receipts, not enough to push. */
  token_suffix: string | null;
  /** Set when the push was not sent (push/push-reasons.ts). */
  skip_reason: string | null;
  created_at: number;
}

export interface PushTraceEventsTable {
  id: Generated<number>;
  push_id: string;
  /** sent | retry | invalid-token | rejected | credential-error | failed | delivered | undelivered | clicked */
  stage: string;
  at: number;
  attempt: number | null;
  code: string | null;
  info: string | null;
  vendor_msg_id: string | null;
  latency_ms: number | null;
}

export interface PushStatsHourlyTable {
  sdkappid: number;
  /** UNIX seconds of the start of the hour (UTC). */
  hour: number;
  kind: string;
  /** '' for chat pushes. */
  task_id: string;
  /** '' when there was no binding. */
  vendor: string;
  outcome: string;
  /** Skip reason or vendor code; '' when none. */
  code: string;
  count: number;
}

/** Push webhook batches (1..100 events) waiting for delivery; deleted once the app answered 2xx. */
export interface PushWebhookOutboxTable {
  id: Generated<number>;
  sdkappid: number;
  command: string;
  /** JSON array of events. */
  events: string;
  event_count: number;
  attempts: number;
  next_at: number;
  created_at: number;
  last_error: string | null;
}

export interface Database {
  apps: AppsTable;
  accounts: AccountsTable;
  certificates: CertificatesTable;
  push_traces: PushTracesTable;
  push_trace_events: PushTraceEventsTable;
  push_stats_hourly: PushStatsHourlyTable;
  push_webhook_outbox: PushWebhookOutboxTable;
}
