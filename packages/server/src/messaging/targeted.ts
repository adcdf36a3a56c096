// Targeted group messages (Tencent's 定向群消息: send_group_msg `To_Account`, the SDK's `receiverList`): a
// group message that only the members named receive — live, in their history and as a push; the other
// members never see it. As in Tencent IM it does not count as unread, carries no @-mentions, and AVChatRoom
// and Community groups do not have it. docs/rest-api.md#targeted-group-messages.
import { MessagingError } from './errors.js';
import type { Group, GroupsService } from './groups.js';

/** Most members one targeted message may name (Pushline's bound: the size of a batch send). */
export const MAX_TARGETED_RECEIVERS = 500;
const NO_TARGETING: ReadonlySet<string> = new Set(['AVChatRoom', 'Community']);

/** Error code of a refused targeting (Tencent's "invalid parameter"). */
const INVALID = 10004;

/**
 * Checks a targeted group message before it is sent: the receivers (deduplicated) when it may go, else a
 * MessagingError naming what is wrong.
 */
export async function targetedReceivers(
  groups: GroupsService,
  sdkAppId: number,
  group: Group,
  receivers: readonly string[],
  opts: { field: string; mentions: boolean },
): Promise<string[]> {
  const ids = [...new Set(receivers)];
  if (ids.length === 0)
    throw new MessagingError(INVALID, `${opts.field} must name at least one group member`);
  if (ids.length > MAX_TARGETED_RECEIVERS)
    throw new MessagingError(
      INVALID,
      `${opts.field} names ${ids.length} members; a targeted group message goes to at most ${MAX_TARGETED_RECEIVERS}`,
    );
  if (NO_TARGETING.has(group.type))
    throw new MessagingError(INVALID, `${group.type} groups have no targeted messages (${opts.field})`);
  if (opts.mentions)
    throw new MessagingError(INVALID, `a targeted group message (${opts.field}) cannot @-mention members`);
  const members = new Set(
    (await groups.members(sdkAppId, group.groupId, { userIds: ids })).map((m) => m.userId),
  );
  const outside = ids.filter((id) => !members.has(id));
  if (outside.length > 0)
    throw new MessagingError(
      INVALID,
      `${opts.field}: not members of group "${group.groupId}": ${outside.slice(0, 10).join(', ')}`,
    );
  return ids;
}
