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

/** push/queue/sql-queue.ts: one row per notification job (see migration 0030). */
export interface PushJobsTable {
  id: Generated<number>;
  push_id: string;
  sdkappid: number;
  certificate_id: number;
  group_key: string | null;
  /** JSON PushTask. */
  task: string;
  /** queued | held | dead */
  status: Generated<string>;
  attempts: Generated<number>;
  lease_count: Generated<number>;
  lease_token: string | null;
  next_attempt_at: number;
  last_error: string | null;
  last_answer: string | null;
  created_at: number;
  /** When the job became dead or held. */
  settled_at: number | null;
}

export interface Database {
  apps: AppsTable;
  accounts: AccountsTable;
  certificates: CertificatesTable;
  push_jobs: PushJobsTable;
}
