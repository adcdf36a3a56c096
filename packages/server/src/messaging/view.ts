// How a stored message looks to clients (gateway events, history) and to post-commit hooks.
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../store/schema.js';
import type { MsgBody, OfflinePushInfo } from './message-types.js';

export type ConversationType = 'c2c' | 'group';

export interface MessageView {
  msgKey: string;
  msgSeq: number;
  msgRandom: number;
  /** UNIX seconds. */
  msgTime: number;
  type: ConversationType;
  from: string;
  to?: string;
  groupId?: string;
  body: MsgBody;
  offlinePushInfo?: OfflinePushInfo;
  cloudCustomData?: string;
  /** @-mentioned accounts; "@ALL" means everyone. */
  atUserList?: string[];
  /** Edits so far (Tencent's MsgVersion); absent for a message never edited (version 0). */
  version?: number;
}

/** `c2c_<peer>` or `group_<groupId>`, as V2TIM names conversations. */
export function conversationIdFor(
  viewer: string,
  msg: Pick<MessageView, 'type' | 'from' | 'to' | 'groupId'>,
) {
  if (msg.type === 'group') return `group_${msg.groupId}`;
  return `c2c_${msg.from === viewer ? msg.to : msg.from}`;
}

export function parseConversationId(id: string): { type: ConversationType; target: string } | undefined {
  if (id.startsWith('c2c_') && id.length > 4) return { type: 'c2c', target: id.slice(4) };
  if (id.startsWith('group_') && id.length > 6) return { type: 'group', target: id.slice(6) };
  return undefined;
}

export function viewOf(row: Selectable<MessagesTable>): MessageView {
  const view: MessageView = {
    msgKey: row.msg_key,
    msgSeq: row.msg_seq,
    msgRandom: row.msg_random,
    msgTime: row.msg_time,
    type: row.kind as ConversationType,
    from: row.from_account,
    body: JSON.parse(row.body) as MsgBody,
  };
  if (row.to_account !== null) view.to = row.to_account;
  if (row.group_id !== null) view.groupId = row.group_id;
  if (row.offline_push_info !== null) view.offlinePushInfo = JSON.parse(row.offline_push_info);
  if (row.cloud_custom_data !== null) view.cloudCustomData = row.cloud_custom_data;
  if (row.at_accounts !== null) view.atUserList = JSON.parse(row.at_accounts);
  if (row.version > 0) view.version = row.version;
  return view;
}
