// The relationship chain: sns/friend_* and sns/black_list_* (docs/internals/tencent-im.md#relationship-chain).
// The rules live in sns/relations.ts, shared with the SDK's friend and blocklist methods.
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import {
  ALLOW_TYPE_TAG,
  CUSTOM_PREFIX,
  IMAGE_TAG,
  NICK_TAG,
  type ProfileService,
  profileValue,
} from '../../apps/profiles.js';
import { userIdProblem } from '../../apps/user-id.js';
import {
  ADD_SOURCE_RE,
  type Friend,
  type ItemResult,
  MAX_ADD_WORDING_BYTES,
  MAX_GROUP_NAME_BYTES,
  MAX_ITEMS,
  MAX_REMARK_BYTES,
  type Relation,
  type RelationService,
  SnsCode,
} from '../../sns/relations.js';
import { defineCommand, type V4Command, V4Error } from './command.js';

/** Friends per friend_get page (Tencent: 100). */
export const FRIEND_PAGE = 100;
/** Accounts per friend_get_list. */
export const MAX_FRIEND_GET_LIST = 100;
/** Entries per black_list_get page at most, whatever MaxLimited asks. */
export const MAX_BLACKLIST_PAGE = 1000;

/** The standard friend fields (Tag_SNS_IM_*). */
export const SNS_TAGS = {
  Remark: 'Tag_SNS_IM_Remark',
  RemarkTime: 'Tag_SNS_IM_RemarkTime',
  Group: 'Tag_SNS_IM_Group',
  AddSource: 'Tag_SNS_IM_AddSource',
  AddWording: 'Tag_SNS_IM_AddWording',
  AddTime: 'Tag_SNS_IM_AddTime',
} as const;

const bytes = (max: number) => z.string().refine((s) => Buffer.byteLength(s) <= max, `at most ${max} bytes`);
const addSource = z.string().regex(ADD_SOURCE_RE, 'must be AddSource_Type_ followed by 1 to 8 letters');
const accountList = z.array(z.string()).min(1).max(MAX_ITEMS);
const seconds = z.number().int().min(0).max(4_294_967_295);

export interface SnsCommandDeps {
  accounts: AccountsService;
  relations: RelationService;
  profiles: ProfileService;
}

export function snsCommands(deps: SnsCommandDeps): V4Command[] {
  const invalid = { default: SnsCode.InvalidRequest };
  const { relations } = deps;

  /** From_Account must name an existing account: 30003 otherwise. */
  async function owner(sdkAppId: number, from: string): Promise<string> {
    const problem = userIdProblem(from);
    if (problem) throw new V4Error(SnsCode.InvalidRequest, `From_Account ${problem}`);
    const found = await deps.accounts.existing(sdkAppId, [from]);
    if (!found.has(from)) throw new V4Error(SnsCode.AccountNotFound, `From_Account "${from}" does not exist`);
    return from;
  }

  return [
    defineCommand({
      name: 'sns/friend_import',
      body: z.object({
        From_Account: z.string(),
        AddFriendItem: z
          .array(
            z.object({
              To_Account: z.string(),
              Remark: bytes(MAX_REMARK_BYTES).optional(),
              RemarkTime: seconds.optional(),
              GroupName: z.array(bytes(MAX_GROUP_NAME_BYTES)).optional(),
              AddSource: addSource,
              AddWording: bytes(MAX_ADD_WORDING_BYTES).optional(),
              AddTime: seconds.optional(),
              CustomItem: z.array(z.unknown()).optional(),
            }),
          )
          .min(1)
          .max(MAX_ITEMS),
      }),
      invalid,
      refused: [
        {
          field: 'AddFriendItem[].CustomItem',
          refuses: (b) => b.AddFriendItem.some((i) => (i.CustomItem?.length ?? 0) > 0),
          why: 'Pushline has no custom friend fields (Tag_SNS_Custom_*); leave CustomItem out',
        },
      ],
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const results = await relations.import(
          app.sdkAppId,
          from,
          body.AddFriendItem.map((i) => ({
            userId: i.To_Account,
            remark: i.Remark ?? '',
            ...(i.RemarkTime !== undefined ? { remarkTime: i.RemarkTime } : {}),
            groups: [...new Set(i.GroupName ?? [])],
            addSource: i.AddSource,
            addWording: i.AddWording ?? '',
            ...(i.AddTime !== undefined ? { addTime: i.AddTime } : {}),
          })),
        );
        return itemAnswer(results);
      },
    }),

    defineCommand({
      name: 'sns/friend_add',
      body: z.object({
        From_Account: z.string(),
        AddFriendItem: z
          .array(
            z.object({
              To_Account: z.string(),
              Remark: bytes(MAX_REMARK_BYTES).optional(),
              GroupName: bytes(MAX_GROUP_NAME_BYTES).optional(),
              AddSource: addSource,
              AddWording: bytes(MAX_ADD_WORDING_BYTES).optional(),
            }),
          )
          .min(1)
          .max(MAX_ITEMS),
        AddType: z.enum(['Add_Type_Single', 'Add_Type_Both']).optional(),
        ForceAddFlags: z.union([z.literal(0), z.literal(1)]).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const results = await relations.add(
          app.sdkAppId,
          from,
          body.AddFriendItem.map((i) => ({
            userId: i.To_Account,
            remark: i.Remark ?? '',
            groups: i.GroupName ? [i.GroupName] : [],
            addSource: i.AddSource,
            addWording: i.AddWording ?? '',
          })),
          { both: (body.AddType ?? 'Add_Type_Both') === 'Add_Type_Both', force: body.ForceAddFlags === 1 },
        );
        return itemAnswer(results);
      },
    }),

    defineCommand({
      name: 'sns/friend_delete',
      body: z.object({
        From_Account: z.string(),
        To_Account: accountList,
        DeleteType: z.enum(['Delete_Type_Single', 'Delete_Type_Both']).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const results = await relations.delete(
          app.sdkAppId,
          from,
          [...new Set(body.To_Account)],
          body.DeleteType === 'Delete_Type_Both',
        );
        return itemAnswer(results);
      },
    }),

    defineCommand({
      name: 'sns/friend_delete_all',
      body: z.object({
        From_Account: z.string(),
        DeleteType: z.enum(['Delete_Type_Single', 'Delete_Type_Both']).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        await relations.deleteAll(app.sdkAppId, from, body.DeleteType === 'Delete_Type_Both');
        return { ErrorDisplay: '' };
      },
    }),

    defineCommand({
      name: 'sns/friend_check',
      body: z.object({
        From_Account: z.string(),
        To_Account: accountList,
        CheckType: z.enum(['CheckResult_Type_Single', 'CheckResult_Type_Both']),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const peers = [...new Set(body.To_Account)];
        const [rel, found] = await Promise.all([
          relations.check(app.sdkAppId, from, peers),
          deps.accounts.existing(app.sdkAppId, peers),
        ]);
        const single = body.CheckType === 'CheckResult_Type_Single';
        const { items, fail } = checkItems(peers, found, rel, 'CheckResult_Type_', 'NoRelation', single);
        return { InfoItem: items, Fail_Account: fail, ErrorDisplay: '' };
      },
    }),

    defineCommand({
      name: 'sns/friend_get',
      body: z.object({
        From_Account: z.string(),
        StartIndex: z.number().int().min(0),
        StandardSequence: z.number().int().min(0).optional(),
        CustomSequence: z.number().int().min(0).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const [all, seq] = await Promise.all([
          relations.list(app.sdkAppId, from),
          relations.sequences(app.sdkAppId, from),
        ]);
        const page = all.slice(body.StartIndex, body.StartIndex + FRIEND_PAGE);
        // The client already holds this version of the standard fields: answered without them.
        const unchanged =
          body.StandardSequence !== undefined && body.StandardSequence === seq.friend && seq.friend > 0;
        const next = body.StartIndex + page.length;
        const complete = next >= all.length;
        return {
          UserDataItem: page.map((f) => ({
            To_Account: f.userId,
            ValueItem: unchanged
              ? []
              : Object.values(SNS_TAGS).map((Tag) => ({ Tag, Value: snsValue(f, Tag) })),
          })),
          StandardSequence: seq.friend,
          // Pushline has no custom friend fields: their version never changes.
          CustomSequence: 0,
          FriendNum: all.length,
          CompleteFlag: complete ? 1 : 0,
          NextStartIndex: complete ? 0 : next,
          ErrorDisplay: '',
        };
      },
    }),

    defineCommand({
      name: 'sns/friend_get_list',
      body: z.object({
        From_Account: z.string(),
        To_Account: z.array(z.string()).min(1).max(MAX_FRIEND_GET_LIST),
        TagList: z.array(z.string()).min(1),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const tags = [...new Set(body.TagList)];
        const sns = new Set<string>(Object.values(SNS_TAGS));
        const profileTags = tags.filter((t) => !sns.has(t));
        for (const t of profileTags) {
          if (t.startsWith('Tag_SNS_Custom_'))
            throw new V4Error(SnsCode.InvalidRequest, `${t}: Pushline has no custom friend fields`);
          if (t.startsWith('Tag_SNS_'))
            throw new V4Error(SnsCode.InvalidRequest, `${t}: no such friend field`);
        }
        const known = [NICK_TAG, IMAGE_TAG, ALLOW_TYPE_TAG];
        const customs = await deps.profiles.customTags(app.sdkAppId);
        for (const t of profileTags) {
          const declared = customs.some((c) => `${CUSTOM_PREFIX}${c.name}` === t);
          if (!known.includes(t) && !declared)
            throw new V4Error(
              SnsCode.InvalidRequest,
              `${t}: not a field Pushline can answer (Tag_SNS_IM_* friend fields, ${known.join(', ')} and declared Tag_Profile_Custom_* fields)`,
            );
        }
        const peers = [...new Set(body.To_Account)];
        const [friends, profiles] = await Promise.all([
          relations.friends(app.sdkAppId, from, peers),
          deps.profiles.profiles(app.sdkAppId, peers),
        ]);
        const fail: string[] = [];
        const InfoItem = peers.map((peer) => {
          const f = friends.get(peer);
          const p = profiles.get(peer);
          if (!f || !p) {
            fail.push(peer);
            return {
              To_Account: peer,
              SnsProfileItem: [],
              ResultCode: p ? SnsCode.NoRelation : SnsCode.AccountNotFound,
              ResultInfo: p
                ? `"${peer}" is not in "${from}"'s friend list`
                : `account "${peer}" does not exist`,
            };
          }
          return {
            To_Account: peer,
            SnsProfileItem: tags.map((Tag) => ({
              Tag,
              Value: sns.has(Tag) ? snsValue(f, Tag) : profileValue(p, Tag, customs),
            })),
            ResultCode: 0,
            ResultInfo: '',
          };
        });
        return { InfoItem, Fail_Account: fail, ErrorDisplay: '' };
      },
    }),

    defineCommand({
      name: 'sns/black_list_add',
      body: z.object({ From_Account: z.string(), To_Account: accountList }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        return itemAnswer(await relations.block(app.sdkAppId, from, [...new Set(body.To_Account)]));
      },
    }),

    defineCommand({
      name: 'sns/black_list_delete',
      body: z.object({ From_Account: z.string(), To_Account: accountList }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        return itemAnswer(await relations.unblock(app.sdkAppId, from, [...new Set(body.To_Account)]));
      },
    }),

    defineCommand({
      name: 'sns/black_list_get',
      body: z.object({
        From_Account: z.string(),
        StartIndex: z.number().int().min(0),
        MaxLimited: z.number().int().min(1),
        LastSequence: z.number().int().min(0),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const seq = (await relations.sequences(app.sdkAppId, from)).black;
        // The client's copy is current: nothing to send again.
        if (body.StartIndex === 0 && body.LastSequence > 0 && body.LastSequence === seq)
          return { BlackListItem: [], StartIndex: 0, CurruentSequence: seq, ErrorDisplay: '' };
        const limit = Math.min(body.MaxLimited, MAX_BLACKLIST_PAGE);
        const { items, total } = await relations.blocklist(app.sdkAppId, from, body.StartIndex, limit);
        const next = body.StartIndex + items.length;
        return {
          BlackListItem: items.map((i) => ({ To_Account: i.userId, AddBlackTimeStamp: i.addedAt })),
          // Tencent's paging: 0 when this page is the last.
          StartIndex: next >= total ? 0 : next,
          // Tencent's spelling.
          CurruentSequence: seq,
          ErrorDisplay: '',
        };
      },
    }),

    defineCommand({
      name: 'sns/black_list_check',
      body: z.object({
        From_Account: z.string(),
        To_Account: accountList,
        CheckType: z.enum(['BlackCheckResult_Type_Single', 'BlackCheckResult_Type_Both']),
      }),
      invalid,
      async handle({ app }, body) {
        const from = await owner(app.sdkAppId, body.From_Account);
        const peers = [...new Set(body.To_Account)];
        const [rel, found] = await Promise.all([
          relations.checkBlocked(app.sdkAppId, from, peers),
          deps.accounts.existing(app.sdkAppId, peers),
        ]);
        const single = body.CheckType === 'BlackCheckResult_Type_Single';
        const { items, fail } = checkItems(peers, found, rel, 'BlackCheckResult_Type_', 'NO', single);
        return { BlackListCheckItem: items, Fail_Account: fail, ErrorDisplay: '' };
      },
    }),
  ];
}

/** ResultItem and Fail_Account of a list command. */
function itemAnswer(results: ItemResult[]): Record<string, unknown> {
  return {
    ResultItem: results.map((r) => ({ To_Account: r.userId, ResultCode: r.code, ResultInfo: r.info })),
    Fail_Account: results.filter((r) => r.code !== 0).map((r) => r.userId),
    ErrorDisplay: '',
  };
}

/** Tencent's relation names; a single check sees only the user's own list. */
/** The per-peer answers of friend_check and black_list_check, and the peers that are no account. */
function checkItems(
  peers: string[],
  found: Set<string>,
  rel: Map<string, Relation>,
  prefix: string,
  none: string,
  single: boolean,
) {
  const fail: string[] = [];
  const items = peers.map((peer) => {
    const exists = found.has(peer);
    if (!exists) fail.push(peer);
    return {
      To_Account: peer,
      Relation: relationName(prefix, none, rel.get(peer) ?? 'none', single),
      ResultCode: exists ? 0 : SnsCode.AccountNotFound,
      ResultInfo: exists ? '' : `account "${peer}" does not exist`,
    };
  });
  return { items, fail };
}

function relationName(prefix: string, none: string, r: Relation, single: boolean): string {
  const mine = r === 'aWithB' || r === 'both';
  if (single) return `${prefix}${mine ? 'AWithB' : none}`;
  const names: Record<Relation, string> = { none, aWithB: 'AWithB', bWithA: 'BWithA', both: 'BothWay' };
  return `${prefix}${names[r]}`;
}

export function snsValue(f: Friend, tag: string): string | number | string[] {
  switch (tag) {
    case SNS_TAGS.Remark:
      return f.remark;
    case SNS_TAGS.RemarkTime:
      return f.remarkTime;
    case SNS_TAGS.Group:
      return f.groups;
    case SNS_TAGS.AddSource:
      return f.addSource;
    case SNS_TAGS.AddWording:
      return f.addWording;
    default:
      return f.addTime;
  }
}
