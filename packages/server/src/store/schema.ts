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

export interface ConsoleUsersTable {
  id: Generated<number>;
  /** Lower case; unique. */
  username: string;
  /** `scrypt$N$r$p$salt$hash` (auth/passwords.ts). */
  password_hash: string;
  /** 'admin' sees every app; 'member' only the apps in console_user_apps. */
  role: string;
  created_at: number;
  last_login_at: number | null;
}

export interface ConsoleUserAppsTable {
  user_id: number;
  sdkappid: number;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface UserTagsTable {
  sdkappid: number;
  user_id: string;
  tag: string;
  created_at: number;
}

export interface AttrNamesTable {
  sdkappid: number;
  /** Attribute number 0..9. */
  slot: number;
  name: string;
  updated_at: number;
}

export interface UserAttrsTable {
  sdkappid: number;
  user_id: string;
  slot: number;
  value: string;
  updated_at: number;
}

export interface PushTasksTable {
  task_id: string;
  sdkappid: number;
  /** 'all-member' | 'tag' | 'attr' | 'batch' */
  kind: string;
  /** The v4 command that created the task, e.g. 'all_member_push/im_push'. */
  command: string;
  msg_random: number;
  /** '<command>:<MsgRandom>' while repeats of MsgRandom are deduplicated, else null. */
  dedup_key: string | null;
  data_id: string | null;
  /** JSON AudienceFilter, or null for every account (batch tasks keep their list in `request`). */
  audience: string | null;
  /** JSON: the validated request body, replayed by the fan-out. */
  request: string;
  /** 'queued' | 'running' | 'done' | 'failed' */
  status: string;
  audience_total: number | null;
  enqueued: Generated<number>;
  sent: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  /** The last user ID whose jobs are committed; the fan-out resumes after it. */
  cursor: string | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
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
  console_users: ConsoleUsersTable;
  console_user_apps: ConsoleUserAppsTable;
  console_sessions: ConsoleSessionsTable;
  user_tags: UserTagsTable;
  attr_names: AttrNamesTable;
  user_attrs: UserAttrsTable;
  push_tasks: PushTasksTable;
  push_jobs: PushJobsTable;
}
