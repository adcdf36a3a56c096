// Every migration, by name. Names sort in the order they run. Number ranges per area keep parallel work
// from colliding: 0001-0009 foundation, 0010-0019 certificates, 0020-0029 gateway and messaging,
// 0030-0039 push engine, 0040-0049 signaling, 0050-0059 console, 0060 message history, 0061 scheduled push tasks,
// 0062 certificate verification, 0063 relationship chain, 0064 group management, 0065 daily app statistics, 0066 pending friend requests, 0067 group join requests,
// 0068 the Tencent SDK's message client time, 0069 message edit versions.
import type { Migration } from 'kysely';
import * as m0001 from './0001_apps_accounts.js';
import * as m0010 from './0010_certificates.js';
import * as m0020 from './0020_gateway_messaging.js';
import * as m0025 from './0025_targeted_group_messages.js';
import * as m0026 from './0026_instance_connected.js';
import * as m0030 from './0030_push_jobs.js';
import * as m0035 from './0035_push_outcomes.js';
import * as m0036 from './0036_exact_settlement.js';
import * as m0038 from './0038_audience_tags_attrs.js';
import * as m0039 from './0039_push_tasks.js';
import * as m0040 from './0040_signaling.js';
import * as m0050 from './0050_console_users.js';
import * as m0055 from './0055_push_record_search.js';
import * as m0056 from './0056_certificate_pause_mode.js';
import * as m0057 from './0057_callbacks.js';
import * as m0058 from './0058_recall.js';
import * as m0059 from './0059_profiles.js';
import * as m0060 from './0060_history.js';
import * as m0061 from './0061_task_schedule.js';
import * as m0062 from './0062_cert_verified.js';
import * as m0063 from './0063_sns.js';
import * as m0064 from './0064_groups_admin.js';
import * as m0065 from './0065_app_daily_stats.js';
import * as m0066 from './0066_friend_requests.js';
import * as m0067 from './0067_group_join_requests.js';
import * as m0068 from './0068_message_client_time.js';
import * as m0069 from './0069_message_edit_version.js';
import * as m0070 from './0070_push_job_packs.js';
import * as m0071 from './0071_node_reads_packed_jobs.js';
import * as m0072 from './0072_instances_fillfactor.js';
import * as m0073 from './0073_messages_recalled.js';
import * as m0074 from './0074_push_traces_indexes.js';
import * as m0075 from './0075_job_packs_lz4.js';
import * as m0076 from './0076_instances_half_free.js';
import * as m0077 from './0077_push_job_lanes.js';

export const migrations: Record<string, Migration> = {
  '0001_apps_accounts': m0001,
  '0010_certificates': m0010,
  '0050_console_users': m0050,
  '0055_push_record_search': m0055,
  '0056_certificate_pause_mode': m0056,
  '0057_callbacks': m0057,
  '0058_recall': m0058,
  '0059_profiles': m0059,
  '0061_task_schedule': m0061,
  '0038_audience_tags_attrs': m0038,
  '0039_push_tasks': m0039,
  '0030_push_jobs': m0030,
  '0020_gateway_messaging': m0020,
  '0025_targeted_group_messages': m0025,
  '0026_instance_connected': m0026,
  '0035_push_outcomes': m0035,
  '0036_exact_settlement': m0036,
  '0040_signaling': m0040,
  '0060_history': m0060,
  '0064_groups_admin': m0064,
  '0063_sns': m0063,
  '0062_cert_verified': m0062,
  '0065_app_daily_stats': m0065,
  '0066_friend_requests': m0066,
  '0067_group_join_requests': m0067,
  '0068_message_client_time': m0068,
  '0069_message_edit_version': m0069,
  '0070_push_job_packs': m0070,
  '0071_node_reads_packed_jobs': m0071,
  '0072_instances_fillfactor': m0072,
  '0073_messages_recalled': m0073,
  '0074_push_traces_indexes': m0074,
  '0075_job_packs_lz4': m0075,
  '0076_instances_half_free': m0076,
  '0077_push_job_lanes': m0077,
};
