// Read state from the app's backend: openim/admin_set_msg_read, openim/get_c2c_unread_msg_num and
// group_open_http_svc/set_unread_msg_num (docs/internals/tencent-im.md#read-state-and-badges). Changing an
// unread count tells the user's devices (conversationChanged) and brings the badges of their background
// devices along (push/engine/badge-pushes.ts, through InboxService's unread listeners).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { userIdProblem } from '../../apps/user-id.js';
import type { GroupsService } from '../../messaging/groups.js';
import type { InboxService } from '../../messaging/inbox.js';
import { defineCommand, RestError, type V4Command, V4Error } from './command.js';
import { GroupError } from './group-fields.js';

/** Tencent's codes of the openim read-state commands. */
const ReadError = {
  /** The body could not be read, or a field has a wrong type or value. */
  Invalid: 90001,
} as const;

/** Peer_Account of get_c2c_unread_msg_num holds at most 10 accounts. */
export const MAX_UNREAD_PEERS = 10;

export interface ReadStateDeps {
  accounts: AccountsService;
  groups: GroupsService;
  inbox: InboxService;
}

function requireUserId(field: string, id: string, code: number): void {
  const problem = userIdProblem(id);
  if (problem) throw new V4Error(code, `${field} ${problem}`);
}

export function readStateCommands({ accounts, groups, inbox }: ReadStateDeps): V4Command[] {
  const openim = { default: ReadError.Invalid };
  async function requireAccounts(sdkAppId: number, ids: string[]): Promise<void> {
    const found = await accounts.existing(sdkAppId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new V4Error(RestError.AccountNotFound, `accounts do not exist: ${missing.join(', ')}`);
  }

  return [
    defineCommand({
      name: 'openim/admin_set_msg_read',
      body: z.object({
        Report_Account: z.string(),
        Peer_Account: z.string(),
        MsgReadTime: z.number().int().min(0).optional(),
      }),
      invalid: openim,
      async handle({ app }, body) {
        requireUserId('Report_Account', body.Report_Account, ReadError.Invalid);
        requireUserId('Peer_Account', body.Peer_Account, ReadError.Invalid);
        await requireAccounts(app.sdkAppId, [body.Report_Account, body.Peer_Account]);
        const conversationId = `c2c_${body.Peer_Account}`;
        if (body.MsgReadTime !== undefined) {
          // Pushline keeps an unread count per conversation, not a read position inside it: a time that
          // leaves some messages unread cannot be honoured, so it is refused rather than read as "all".
          const latest = await inbox.lastIncomingTime(app.sdkAppId, body.Report_Account, conversationId);
          if (body.MsgReadTime < latest)
            throw new V4Error(
              ReadError.Invalid,
              `MsgReadTime: Pushline marks a whole conversation read; ${body.MsgReadTime} is before the newest message (${latest}): leave MsgReadTime out or give a time not before it`,
            );
        }
        await inbox.markRead(app.sdkAppId, body.Report_Account, conversationId);
        return {};
      },
    }),

    defineCommand({
      name: 'openim/get_c2c_unread_msg_num',
      body: z.object({
        To_Account: z.string(),
        Peer_Account: z.array(z.string()).min(1).optional(),
      }),
      invalid: openim,
      async handle({ app }, body) {
        requireUserId('To_Account', body.To_Account, ReadError.Invalid);
        await requireAccounts(app.sdkAppId, [body.To_Account]);
        if (!body.Peer_Account) {
          const all = await inbox.c2cUnread(app.sdkAppId, body.To_Account);
          let total = 0;
          for (const n of all.values()) total += n;
          return { AllC2CUnreadMsgNum: total };
        }
        if (body.Peer_Account.length > MAX_UNREAD_PEERS)
          throw new V4Error(
            ReadError.Invalid,
            `Peer_Account holds ${body.Peer_Account.length} accounts; at most ${MAX_UNREAD_PEERS}`,
          );
        const peers = [...new Set(body.Peer_Account)];
        for (const p of peers) requireUserId('Peer_Account', p, ReadError.Invalid);
        const found = await accounts.existing(app.sdkAppId, peers);
        const known = peers.filter((p) => found.has(p));
        const counts = await inbox.c2cUnread(app.sdkAppId, body.To_Account, known);
        const errors = peers
          .filter((p) => !found.has(p))
          .map((p) => ({ Peer_Account: p, ErrorCode: RestError.AccountNotFound }));
        return {
          C2CUnreadMsgNumList: known.map((p) => ({ Peer_Account: p, C2CUnreadMsgNum: counts.get(p) ?? 0 })),
          ...(errors.length > 0 ? { ErrorList: errors } : {}),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/set_unread_msg_num',
      body: z.object({
        GroupId: z.string().min(1).max(48),
        Member_Account: z.string(),
        UnreadMsgNum: z.number().int().min(0),
      }),
      invalid: { default: GroupError.InvalidParameter },
      async handle({ app }, body) {
        requireUserId('Member_Account', body.Member_Account, GroupError.InvalidParameter);
        const group = await groups.get(app.sdkAppId, body.GroupId);
        if (!group) throw new V4Error(GroupError.NotFound, `group "${body.GroupId}" does not exist`);
        const [member] = await groups.members(app.sdkAppId, body.GroupId, { userIds: [body.Member_Account] });
        if (!member)
          throw new V4Error(
            GroupError.NoPermission,
            `"${body.Member_Account}" is not a member of group "${body.GroupId}"`,
          );
        const conversationId = `group_${body.GroupId}`;
        const held = await inbox.messageCount(app.sdkAppId, body.Member_Account, conversationId);
        if (body.UnreadMsgNum > held)
          throw new V4Error(
            GroupError.InvalidParameter,
            `UnreadMsgNum ${body.UnreadMsgNum} is more than the ${held} messages "${body.Member_Account}" holds in group "${body.GroupId}"`,
          );
        await inbox.setUnread(app.sdkAppId, body.Member_Account, conversationId, body.UnreadMsgNum);
        return {};
      },
    }),
  ];
}
