import type { ColumnType, Generated } from 'kysely';

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
  /** Tag_Profile_IM_AllowType (apps/profiles.ts). */
  allow_type: ColumnType<string, string | undefined, string>;
  /** JSON object: the account's custom profile fields, by full tag name (apps/profiles.ts). */
  profile_custom: ColumnType<string, string | undefined, string>;
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
  /** 'hold' | 'discard' while paused (certificates/types.ts PauseMode), else null. */
  paused_mode: string | null;
  /** When a vendor first accepted a push of its current credential (UNIX ms); null while untested. */
  verified_at: number | null;
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
  /** 'all-member' | 'tag' | 'attr' | 'batch' | 'group' */
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
  /** UNIX ms a scheduled task waits for (migration 0061); null: at once. */
  start_at: Generated<number | null>;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

/** push/queue/sql-queue.ts: one row per notification job (see migration 0030). */
/** The tasks of a packed push job (push/queue/sql-packs.ts), apart from its often-updated row. */
export interface PushJobPacksTable {
  job_id: number;
  /** JSON array of PushTasks, `null` where a job was settled. */
  tasks: string;
}

export interface PushJobsTable {
  id: Generated<number>;
  push_id: string;
  sdkappid: number;
  certificate_id: number;
  group_key: string | null;
  /** JSON PushTask; a packed row: `[]`, its tasks are in push_job_packs (sql-packs.ts). */
  task: string;
  /** Unsettled jobs the row holds: 1, or up to a page's for a packed row. */
  push_count: Generated<number>;
  /** Jobs the row was written with (1, or the pack's size): a packed row settled in parts has fewer left. */
  pack_size: Generated<number>;
  /** 1: a push task's job (the broadcast lane), 0: any other push (the direct lane) — push/queue/lanes.ts. */
  broadcast: Generated<number>;
  /** queued | held | dead */
  status: Generated<string>;
  attempts: Generated<number>;
  lease_count: Generated<number>;
  lease_token: string | null;
  /** The node holding the lease (push/dispatch/nodes.ts): its successor or survivors reclaim it at once. */
  lease_owner: string | null;
  next_attempt_at: number;
  last_error: string | null;
  last_answer: string | null;
  created_at: number;
  /** When the job became dead or held. */
  settled_at: number | null;
}

// Gateway and messaging (migration 0020).

/** One logged-in (or once logged-in) device instance of a user. */
export interface InstancesTable {
  sdkappid: number;
  user_id: string;
  instance_id: string;
  /** iPhone | iPad | Android | Web | PC | Mac */
  platform: string;
  /** Online | PushOnline | Offline */
  state: string;
  /** 1 after doBackground, 0 after doForeground / login. */
  background: number;
  /** 1 while the instance's socket is up (login to disconnect or logout). */
  connected: Generated<number>;
  /** The unread count reported with doBackground: the badge base for pushes. */
  unread_base: number;
  /** The highest inbox seq this instance acknowledged. */
  acked_seq: number;
  /** Random per login: a late disconnect of an older socket must not touch a newer session. */
  session_id: string;
  logged_in_at: number;
  last_seen_at: number;
  updated_at: number;
}

/** A device's push token; tokenType 0 = vendor, 2 = VoIP. A token belongs to one user at a time. */
export interface PushBindingsTable {
  sdkappid: number;
  user_id: string;
  instance_id: string;
  token_type: number;
  certificate_id: number;
  token: string;
  reported_at: number;
}

export interface MessagesTable {
  id: Generated<number>;
  sdkappid: number;
  /** c2c | group */
  kind: string;
  from_account: string;
  to_account: string | null;
  group_id: string | null;
  msg_seq: number;
  msg_random: number;
  /** UNIX seconds. */
  msg_time: number;
  msg_key: string;
  /** Sender + target + MsgSeq + MsgRandom + CRC32 of the body: repeats within the dedup window are dropped. */
  dedup_key: string;
  /** JSON MsgBody. */
  body: string;
  /** JSON OfflinePushInfo or null. */
  offline_push_info: string | null;
  cloud_custom_data: string | null;
  /** JSON array of @-mentioned accounts ("@ALL" for everyone) or null. */
  at_accounts: string | null;
  /** rest | sdk | import (openim/importmsg, import_group_msg: messaging/import.ts) */
  source: string;
  /** The sending device (SDK sends), so it does not receive its own message as new. */
  sender_instance: string | null;
  /** A targeted group message: JSON array of the members it is meant for; null = the whole group. */
  receivers: string | null;
  expires_at: number;
  created_at: number;
  /** When the message was recalled (messaging/recall.ts); its inbox rows are gone then. */
  recalled_at: number | null;
  /** Tencent client SDK sends: the sender's clock (MsgClientTime, UNIX seconds), part of that SDK's message ID. */
  client_time: number | null;
  /** Edits so far (Tencent's MsgVersion): 0 for an unedited message, one more after each edit. */
  version: Generated<number>;
}

/** Per-user counter that numbers the user's inbox. */
export interface UserSeqsTable {
  sdkappid: number;
  user_id: string;
  last_seq: number;
}

/** A user's copy of a message, numbered per user: devices resume from the last seq they acknowledged. */
export interface InboxTable {
  sdkappid: number;
  user_id: string;
  seq: number;
  message_id: number;
  /** c2c_<peer> | group_<groupId> */
  conversation_id: string;
  /** 1 = delivered to the user's devices live and on resume; 0 = history only (sender roaming). */
  sync: number;
  expires_at: number;
}

export interface ConversationsTable {
  sdkappid: number;
  user_id: string;
  conversation_id: string;
  unread: number;
  last_seq: number;
  last_message_id: number | null;
  updated_at: number;
  /** UNIX ms the conversation was pinned (recentcontact/top, pinConversation); 0 = not pinned. */
  pinned_at: Generated<number>;
}

/** Receive option per user and target (`c2c_<peer>` or `group_<id>`), V2TIMReceiveMessageOpt values. */
export interface ReceiveOptionsTable {
  sdkappid: number;
  user_id: string;
  target: string;
  opt: number;
}

/** Global do-not-disturb window. `repeat`: daily | once | permanent. */
export interface DndSettingsTable {
  sdkappid: number;
  user_id: string;
  opt: number;
  /** UNIX seconds. */
  start_time: number;
  /** Seconds. */
  duration: number;
  repeat: string;
  level: number;
}

export interface GroupsTable {
  sdkappid: number;
  group_id: string;
  type: string;
  name: string;
  owner: string | null;
  next_msg_seq: number;
  created_at: number;
  introduction: Generated<string>;
  notification: Generated<string>;
  face_url: Generated<string>;
  max_member_num: Generated<number>;
  /** FreeAccess | NeedPermission (an owner or admin approves each request) | DisableApply. */
  apply_join_option: Generated<string>;
  /** 1 = ShutUpAllMember On: only the owner and admins send. */
  shut_up_all: Generated<number>;
  /** JSON object: custom field key -> value. */
  app_defined_data: Generated<string>;
  info_seq: Generated<number>;
  /** UNIX seconds of the last profile change, 0 = never changed. */
  last_info_time: Generated<number>;
}

export interface GroupMembersTable {
  sdkappid: number;
  group_id: string;
  user_id: string;
  /** Owner | Admin | Member */
  role: string;
  /** AcceptAndNotify | AcceptNotNotify | Discard */
  msg_flag: string;
  name_card: string;
  /** UNIX seconds. */
  join_time: number;
  /** UNIX seconds the member's mute ends; 0 = not muted. */
  shut_up_until: Generated<number>;
  /** JSON object: custom field key -> value. */
  app_member_defined_data: Generated<string>;
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
  /** Set when the push was not sent (push/decide/skip-reasons.ts). */
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

/** A node of the deployment that leases push jobs, and until when it counts as alive (migration 0036). */
export interface PushNodesTable {
  node_id: string;
  started_at: number;
  alive_until: number;
  /** 1: the node reads packed push jobs; 0: a node of an earlier version (its insert leaves the default). */
  reads_packed_jobs: Generated<number>;
}

/** Push webhook batches (1..100 events) waiting for delivery; deleted once the app answered 2xx. */
export interface PushWebhookOutboxTable {
  id: Generated<number>;
  sdkappid: number;
  command: string;
  /** JSON array of events (`batched` = 1), or the JSON body of a single callback (0). */
  events: string;
  event_count: number;
  /** 1: POSTed as {"Events": [...]} (Push.*); 0: a single callback's body. */
  batched: ColumnType<number, number | undefined, number>;
  /** JSON {ClientIP?, OptPlatform?}: URL parameters of the callback; null = none. */
  query: string | null;
  attempts: number;
  next_at: number;
  created_at: number;
  last_error: string | null;
}

/** A call invitation (signaling/): the signaling info as sent, kept until the sweep of old invitations. */
export interface SignalingInvitesTable {
  sdkappid: number;
  invite_id: string;
  inviter: string;
  /** '' for C2C invitations. */
  group_id: string;
  /** JSON array of user IDs. */
  invitee_list: string;
  data: string;
  /** Seconds; 0 = no timeout. */
  timeout: number;
  online_only: number;
  /** JSON OfflinePushInfo of the invitation, or null. */
  offline_push_info: string | null;
  created_at: number;
  /** created_at + timeout, or null without timeout. */
  expires_at: number | null;
}

/** One invitee of an invitation and where it stands. */
export interface SignalingInviteesTable {
  sdkappid: number;
  invite_id: string;
  user_id: string;
  /** 'pending' | 'timing-out' | 'accepted' | 'rejected' | 'cancelled' | 'timeout' */
  status: string;
  expires_at: number | null;
  claimed_at: number | null;
  updated_at: number;
}

/** One direction of a friendship: `friend_id` is in `user_id`'s friend list (sns/*). */
export interface SnsFriendsTable {
  sdkappid: number;
  user_id: string;
  friend_id: string;
  remark: string;
  remark_time: number;
  /** JSON array of friend-list group names. */
  group_names: string;
  add_source: string;
  add_wording: string;
  /** UNIX seconds. */
  add_time: number;
}

/** `user_id` blocked `blocked_id` (sns/black_list_*). */
export interface SnsBlocklistTable {
  sdkappid: number;
  user_id: string;
  blocked_id: string;
  /** UNIX seconds. */
  added_at: number;
}

/** Change counters of a user's friend list and blocklist. */
export interface SnsSequencesTable {
  sdkappid: number;
  user_id: string;
  friend_seq: number;
  black_seq: number;
}

/** Global mutes (openconfigsvr/setnospeaking): ends in UNIX ms, 0 = not muted. */
export interface AccountMutesTable {
  sdkappid: number;
  user_id: string;
  c2c_until: number;
  group_until: number;
}

/** Daily operation counters of an app (apps/daily-stats.ts); `day` is the UTC date as YYYYMMDD. */
export interface AppDailyCountersTable {
  sdkappid: number;
  day: number;
  metric: string;
  count: number;
}

/** Who did what on a day (apps/daily-stats.ts), to count each user (or group) once. */
export interface AppDailyActorsTable {
  sdkappid: number;
  day: number;
  activity: string;
  actor: string;
}

/** A pending friend request (sns/friend-requests.ts). */
export interface SnsFriendRequestsTable {
  sdkappid: number;
  from_id: string;
  to_id: string;
  /** 1: Add_Type_Both, 0: Add_Type_Single. */
  both: number;
  remark: string;
  group_name: string;
  add_source: string;
  add_wording: string;
  /** UNIX seconds. */
  add_time: number;
}

/** A pending request to join a NeedPermission group (messaging/group-join-requests.ts). */
export interface GroupJoinRequestsTable {
  sdkappid: number;
  group_id: string;
  user_id: string;
  message: string;
  /** UNIX seconds. */
  add_time: number;
}

export interface Database {
  group_join_requests: GroupJoinRequestsTable;
  sns_friend_requests: SnsFriendRequestsTable;
  app_daily_counters: AppDailyCountersTable;
  app_daily_actors: AppDailyActorsTable;
  sns_friends: SnsFriendsTable;
  sns_blocklist: SnsBlocklistTable;
  sns_sequences: SnsSequencesTable;
  account_mutes: AccountMutesTable;
  signaling_invites: SignalingInvitesTable;
  signaling_invitees: SignalingInviteesTable;
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
  push_job_packs: PushJobPacksTable;
  instances: InstancesTable;
  push_bindings: PushBindingsTable;
  messages: MessagesTable;
  user_seqs: UserSeqsTable;
  inbox: InboxTable;
  conversations: ConversationsTable;
  receive_options: ReceiveOptionsTable;
  dnd_settings: DndSettingsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  push_traces: PushTracesTable;
  push_trace_events: PushTraceEventsTable;
  push_stats_hourly: PushStatsHourlyTable;
  push_nodes: PushNodesTable;
  push_webhook_outbox: PushWebhookOutboxTable;
}
