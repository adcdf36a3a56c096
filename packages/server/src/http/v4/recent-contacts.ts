// Recent contacts: recentcontact/get_list, delete and top over the conversations table
// (messaging/recent-contacts.ts; docs/internals/tencent-im.md#recent-contacts).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { userIdProblem } from '../../apps/user-id.js';
import {
  pageAfter,
  RECENT_PAGE,
  type RecentContact,
  type RecentContacts,
  RecentContactsError,
} from '../../messaging/recent-contacts.js';
import { defineCommand, type V4Command, V4Error } from './command.js';

/** Tencent's codes of the recentcontact commands. */
export const RecentContactCode = {
  /** From_Account was never imported. */
  AccountNotFound: 50001,
  /** A request parameter is wrong. */
  InvalidRequest: 50002,
} as const;

/** AssistFlags bits. */
const SUPPORTS_PINNED = 1;
const WITH_EMPTY = 2;
const PAGE_PINNED = 4;

const cursorValue = z.number().int().min(0).max(4_294_967_295);
const type = z.union([z.literal(1), z.literal(2)]);

export function recentContactCommands(deps: {
  accounts: AccountsService;
  recent: RecentContacts;
}): V4Command[] {
  const invalid = { default: RecentContactCode.InvalidRequest };

  async function owner(sdkAppId: number, from: string): Promise<string> {
    const problem = userIdProblem(from);
    if (problem) throw new V4Error(RecentContactCode.InvalidRequest, `From_Account ${problem}`);
    const found = await deps.accounts.existing(sdkAppId, [from]);
    if (!found.has(from))
      throw new V4Error(RecentContactCode.AccountNotFound, `From_Account "${from}" was never imported`);
    return from;
  }

  return [
    defineCommand({
      name: 'recentcontact/get_list',
      body: z.object({
        From_Account: z.string(),
        TimeStamp: cursorValue,
        StartIndex: cursorValue,
        TopTimeStamp: cursorValue,
        TopStartIndex: cursorValue,
        AssistFlags: z.number().int().min(0).max(7),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const withEmpty = (body.AssistFlags & WITH_EMPTY) !== 0;
        const all = (await deps.recent.all(app.sdkAppId, from)).filter((c) => withEmpty || !c.empty);
        const separate = (body.AssistFlags & SUPPORTS_PINNED) !== 0;
        const pinned = separate ? all.filter((c) => c.pinned) : [];
        const normal = separate ? all.filter((c) => !c.pinned) : all;
        const first = body.TimeStamp === 0 && body.StartIndex === 0;
        const n = pageAfter(normal, { time: body.TimeStamp, index: body.StartIndex }, RECENT_PAGE);
        let top = {
          page: [] as RecentContact[],
          next: { time: body.TopTimeStamp, index: body.TopStartIndex },
          done: true,
        };
        if ((body.AssistFlags & PAGE_PINNED) !== 0)
          top = pageAfter(pinned, { time: body.TopTimeStamp, index: body.TopStartIndex }, RECENT_PAGE);
        // Pinned conversations not paged: all of them, on the first page.
        else if (first) top = { page: pinned, next: top.next, done: true };
        return {
          SessionItem: [...top.page, ...n.page].map((c) => ({
            Type: c.type === 'c2c' ? 1 : 2,
            ...(c.type === 'c2c' ? { To_Account: c.target } : { GroupId: c.target }),
            MsgTime: c.msgTime,
            TopFlag: c.pinned ? 1 : 0,
          })),
          CompleteFlag: n.done && top.done ? 1 : 0,
          TimeStamp: n.next.time,
          StartIndex: n.next.index,
          TopTimeStamp: top.next.time,
          TopStartIndex: top.next.index,
          ErrorDisplay: '',
        };
      },
    }),

    defineCommand({
      name: 'recentcontact/delete',
      body: z.object({
        From_Account: z.string(),
        Type: type,
        To_Account: z.string().min(1).optional(),
        ToGroupid: z.string().min(1).optional(),
        ClearRamble: z.union([z.literal(0), z.literal(1)]).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const id = conversationOf(body.Type, body.To_Account, body.ToGroupid, 'ToGroupid');
        await deps.recent.delete(app.sdkAppId, from, id, body.ClearRamble === 1);
        return { ErrorDisplay: '' };
      },
    }),

    defineCommand({
      name: 'recentcontact/top',
      body: z.object({
        From_Account: z.string(),
        OperationType: type,
        RecentContactItem: z
          .array(
            z.object({
              Type: type,
              To_Account: z.string().min(1).optional(),
              GroupId: z.string().min(1).optional(),
            }),
          )
          .min(1),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const ids = body.RecentContactItem.map((i) =>
          conversationOf(i.Type, i.To_Account, i.GroupId, 'GroupId'),
        );
        try {
          await deps.recent.pin(app.sdkAppId, from, ids, body.OperationType === 1);
        } catch (err) {
          if (err instanceof RecentContactsError)
            throw new V4Error(RecentContactCode.InvalidRequest, err.message);
          throw err;
        }
        return { ErrorDisplay: '' };
      },
    }),
  ];
}

/** The conversation a Type and its account or group name: exactly the one field its type takes. */
function conversationOf(
  type: 1 | 2,
  account: string | undefined,
  group: string | undefined,
  groupField: string,
): string {
  if (type === 1) {
    if (account === undefined || group !== undefined)
      throw new V4Error(RecentContactCode.InvalidRequest, `Type 1 (C2C) takes To_Account, not ${groupField}`);
    return `c2c_${account}`;
  }
  if (group === undefined || account !== undefined)
    throw new V4Error(RecentContactCode.InvalidRequest, `Type 2 (group) takes ${groupField}, not To_Account`);
  return `group_${group}`;
}
