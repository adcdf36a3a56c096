// The success answers of v4 commands (the fields besides ActionStatus, ErrorCode and ErrorInfo), by command
// name, as zod schemas: published in /openapi.json as each command's 200 answer. withCatalogue (examples.ts)
// attaches them to the commands; openapi.test.ts runs every command listed here against a real server and
// checks its answer against the published schema.
import { z } from 'zod';

const G = 'group_open_http_svc';
const str = z.string();
const int = z.number().int();
/** Tencent's per-item result of the relationship-chain commands. */
const itemResult = z.object({ To_Account: str, ResultCode: int, ResultInfo: str });
const snsList = z.object({
  ResultItem: z.array(itemResult),
  Fail_Account: z.array(str),
  ErrorDisplay: str,
});
const empty = z.object({});
const tagValues = z.array(z.object({ Tag: str, Value: z.unknown() }));
const memberResults = z.object({
  MemberList: z.array(z.object({ Member_Account: str, Result: int.describe('0 failed, 1 done, 2 already') })),
});
const groupIds = z.object({ TotalCount: int, GroupIdList: z.array(z.object({ GroupId: str })) });
/** Decimal strings, as Tencent answers operation data. */
const count = str.regex(/^\d+$/);

export const ANSWERS: Record<string, z.ZodType> = {
  'openconfigsvr/getappinfo': z.object({
    Result: z
      .array(
        z.object({
          AppName: str.optional(),
          AppId: count.optional(),
          Date: str.regex(/^\d{8}$/).optional(),
          ActiveUserNum: count.optional(),
          RegistUserNumOneDay: count.optional(),
          RegistUserNumTotal: count.optional(),
          LoginTimes: count.optional(),
          LoginUserNum: count.optional(),
          UpMsgNum: count.optional(),
          DownMsgNum: count.optional(),
          SendMsgUserNum: count.optional(),
          APNSMsgNum: count.optional(),
          C2CUpMsgNum: count.optional(),
          C2CDownMsgNum: count.optional(),
          C2CSendMsgUserNum: count.optional(),
          C2CAPNSMsgNum: count.optional(),
          GroupUpMsgNum: count.optional(),
          GroupDownMsgNum: count.optional(),
          GroupSendMsgUserNum: count.optional(),
          GroupSendMsgGroupNum: count.optional(),
          GroupAPNSMsgNum: count.optional(),
          GroupNewGroupNum: count.optional(),
          GroupDestroyGroupNum: count.optional(),
          GroupJoinGroupTimes: count.optional(),
          GroupQuitGroupTimes: count.optional(),
        }),
      )
      .length(30)
      .describe('The last 30 UTC days, today first; each with the RequestField fields (all when absent)'),
  }),
  'ConfigSvc/GetIPList': z.object({ IPList: z.array(str).describe('IP addresses or CIDR ranges') }),
  'sns/friend_import': snsList,
  'sns/friend_add': snsList,
  'sns/friend_delete': snsList,
  'sns/friend_delete_all': z.object({ ErrorDisplay: str }),
  'sns/friend_check': z.object({
    InfoItem: z.array(itemResult.extend({ Relation: str })),
    Fail_Account: z.array(str),
    ErrorDisplay: str,
  }),
  'sns/friend_get': z.object({
    UserDataItem: z.array(z.object({ To_Account: str, ValueItem: tagValues })),
  }),
  'sns/friend_get_list': z.object({
    InfoItem: z.array(itemResult.extend({ SnsProfileItem: tagValues })),
    Fail_Account: z.array(str),
    ErrorDisplay: str,
  }),
  'sns/black_list_add': snsList,
  'sns/black_list_delete': snsList,
  'sns/black_list_get': z.object({
    BlackListItem: z.array(z.object({ To_Account: str, AddBlackTimeStamp: int })),
    StartIndex: int,
    CurruentSequence: int,
    ErrorDisplay: str,
  }),
  'sns/black_list_check': z.object({
    BlackListCheckItem: z.array(itemResult.extend({ Relation: str })),
    Fail_Account: z.array(str),
    ErrorDisplay: str,
  }),
  'openconfigsvr/setnospeaking': empty,
  'openconfigsvr/getnospeaking': z.object({ C2CmsgNospeakingTime: int, GroupmsgNospeakingTime: int }),
  'recentcontact/get_list': z.object({
    SessionItem: z.array(
      z.object({
        Type: int.describe('1 C2C, 2 group'),
        To_Account: str.optional(),
        GroupId: str.optional(),
        MsgTime: int,
        TopFlag: int,
      }),
    ),
    CompleteFlag: int,
    TimeStamp: int,
    StartIndex: int,
    TopTimeStamp: int,
    TopStartIndex: int,
  }),
  'recentcontact/top': z.object({ ErrorDisplay: str }),
  'recentcontact/delete': z.object({ ErrorDisplay: str }),
  [`${G}/get_group_info`]: z.object({
    GroupInfo: z.array(z.looseObject({ GroupId: str, ErrorCode: int, ErrorInfo: str })),
  }),
  [`${G}/modify_group_base_info`]: empty,
  [`${G}/get_joined_group_list`]: groupIds,
  [`${G}/get_role_in_group`]: z.object({
    UserIdList: z.array(
      z.object({ Member_Account: str, Role: z.enum(['Owner', 'Admin', 'Member', 'NotMember']) }),
    ),
  }),
  [`${G}/add_group_member`]: memberResults,
  [`${G}/forbid_send_msg`]: empty,
  [`${G}/get_group_muted_account`]: z.object({
    GroupId: str,
    ShuttedUinList: z.array(z.object({ Member_Account: str, ShuttedUntil: int })),
  }),
  [`${G}/change_group_owner`]: empty,
  [`${G}/send_group_system_notification`]: empty,
  [`${G}/get_appid_group_list`]: groupIds.extend({ Next: int }),
  'openim/importmsg': empty,
  [`${G}/import_group`]: z.object({ GroupId: str }),
  [`${G}/import_group_member`]: memberResults,
  [`${G}/import_group_msg`]: z.object({
    ImportMsgResult: z.array(z.object({ MsgSeq: int, MsgTime: int, Result: int })),
  }),
};
