// Request examples of the v4 commands that do not carry their own (`V4Command.examples`), by command name:
// bodies shaped as Tencent documents them, published in /openapi.json. withCatalogue() attaches them to the
// commands when the server registers them, so the router's registry is the one place /openapi.json reads;
// openapi.test.ts checks that every command has one and that each passes the command's own schema.
import { ANSWERS } from './answers.js';
import type { V4Command } from './command.js';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const G = 'group_open_http_svc';
const push = {
  MsgRandom: 1234,
  MsgBody: text('Weekend sale starts now'),
  OfflinePushInfo: { Title: 'Sale', Desc: 'Weekend sale starts now' },
};

export const REQUEST_EXAMPLES: Record<string, unknown[]> = {
  'im_open_login_svc/account_delete': [{ DeleteItem: [{ UserID: 'alice' }, { UserID: 'bob' }] }],
  'im_open_login_svc/kick': [{ UserID: 'alice' }],
  'openim/batchsendmsg': [
    { From_Account: 'alice', To_Account: ['bob', 'carol'], MsgRandom: 19901224, MsgBody: text('hi all') },
  ],
  [`${G}/add_group_member`]: [{ GroupId: 'club', MemberList: [{ Member_Account: 'carol' }], Silence: 1 }],
  [`${G}/delete_group_member`]: [{ GroupId: 'club', MemberToDel_Account: ['carol'], Reason: 'spam' }],
  [`${G}/destroy_group`]: [{ GroupId: 'club' }],
  [`${G}/get_group_member_info`]: [{ GroupId: 'club', Limit: 100, Offset: 0 }],
  [`${G}/modify_group_member_info`]: [
    { GroupId: 'club', Member_Account: 'bob', Role: 'Admin', ShutUpTime: 600 },
  ],
  [`${G}/get_group_info`]: [
    { GroupIdList: ['club'] },
    {
      GroupIdList: ['club'],
      ResponseFilter: { GroupBaseInfoFilter: ['Name', 'Owner_Account', 'MemberNum'] },
    },
  ],
  [`${G}/modify_group_base_info`]: [
    { GroupId: 'club', Name: 'Chess club', Notification: 'Tournament on Sunday', ShutUpAllMember: 'Off' },
  ],
  [`${G}/get_joined_group_list`]: [{ Member_Account: 'alice' }],
  [`${G}/get_role_in_group`]: [{ GroupId: 'club', User_Account: ['alice', 'bob'] }],
  [`${G}/forbid_send_msg`]: [{ GroupId: 'club', Members_Account: ['bob'], MuteTime: 3600 }],
  [`${G}/get_group_muted_account`]: [{ GroupId: 'club' }],
  [`${G}/change_group_owner`]: [{ GroupId: 'club', NewOwner_Account: 'bob' }],
  [`${G}/send_group_system_notification`]: [{ GroupId: 'club', Content: 'The club moves to room 2' }],
  [`${G}/get_appid_group_list`]: [{ Limit: 100 }],
  'openim/query_online_status': [{ To_Account: ['alice', 'bob'] }],
  'im_msg_db_logic/admin_set_do_not_disturb': [
    { To_Account: 'alice', StartTime: 79200, EndTime: 28800, IsRepeated: 1 },
  ],
  'openim/admin_msgwithdraw': [
    { From_Account: 'alice', To_Account: 'bob', MsgKey: '31906_833502_1572869830' },
  ],
  [`${G}/group_msg_recall`]: [{ GroupId: 'club', MsgSeqList: [{ MsgSeq: 10 }] }],
  'profile/portrait_set': [
    { From_Account: 'alice', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Alice' }] },
  ],
  'profile/portrait_get': [{ To_Account: ['alice'], TagList: ['Tag_Profile_IM_Nick'] }],
  'openim/get_c2c_unread_msg_num': [{ To_Account: 'bob', Peer_Account: ['alice'] }],
  'openim/modify_c2c_msg': [
    { From_Account: 'alice', To_Account: 'bob', MsgKey: '31906_833502_1572869830', MsgBody: text('edited') },
  ],
  'openim/admin_set_msg_read': [{ Report_Account: 'bob', Peer_Account: 'alice' }],
  [`${G}/set_unread_msg_num`]: [{ GroupId: 'club', Member_Account: 'bob', UnreadMsgNum: 0 }],
  'openim/admin_getroammsg': [
    { Operator_Account: 'alice', Peer_Account: 'bob', MaxCnt: 100, MinTime: 1700000000, MaxTime: 1700086400 },
  ],
  [`${G}/group_msg_get_simple`]: [{ GroupId: 'club', ReqMsgNumber: 20 }],
  'openim/modify_group_msg': [{ GroupId: 'club', MsgSeq: 10, MsgBody: text('edited') }],
  'all_member_push/im_add_tag': [{ UserTags: [{ To_Account: 'alice', Tags: ['vip', 'beta'] }] }],
  'all_member_push/im_remove_tag': [{ UserTags: [{ To_Account: 'alice', Tags: ['beta'] }] }],
  'all_member_push/im_get_tag': [{ To_Account: ['alice'] }],
  'all_member_push/im_remove_all_tags': [{ To_Account: ['alice'] }],
  'all_member_push/im_set_attr_name': [{ AttrNames: { '0': 'city', '1': 'level' } }],
  'all_member_push/im_get_attr_name': [{}],
  'all_member_push/im_set_attr': [{ UserAttrs: [{ To_Account: 'alice', Attrs: { city: 'Paris' } }] }],
  'all_member_push/im_get_attr': [{ To_Account: ['alice'] }],
  'all_member_push/im_remove_attr': [{ UserAttrs: [{ To_Account: 'alice', Attrs: ['city'] }] }],
  'timpush/add_tag': [{ UserTags: [{ To_Account: 'alice', Tags: ['vip'] }] }],
  'timpush/remove_tag': [{ UserTags: [{ To_Account: 'alice', Tags: ['vip'] }] }],
  'timpush/get_tag': [{ To_Account: ['alice'] }],
  'timpush/clear_all_tags': [{ To_Account: ['alice'] }],
  'timpush/set_attr_name': [{ AttrNames: { '0': 'city' } }],
  'timpush/get_attr_name': [{}],
  'timpush/set_attr': [{ UserAttrs: [{ To_Account: 'alice', Attrs: { city: 'Paris' } }] }],
  'timpush/get_attr': [{ To_Account: ['alice'] }],
  'timpush/remove_attr': [{ UserAttrs: [{ To_Account: 'alice', Attrs: ['city'] }] }],
  'all_member_push/im_push': [push, { ...push, Condition: { TagsOr: ['vip'] } }],
  'timpush/push': [push, { ...push, Condition: { AttrsAnd: { city: 'Paris' } } }],
  'timpush/batch': [{ ...push, To_Account: ['alice', 'bob'] }],
  'timpush/normal_push_trace': [{ PushID: '0c3a5ba7-7b5f-4f33-9d3b-2f4c1e9b4d10' }],
  'timpush/all_member_push_trace': [{ TaskID: '53bb7e66-1f0c-4d3e-8e59-6ad0b2a1c5f9', UserID: 'alice' }],
  'timpush/normal_push_loss': [{ StartTime: 1700000000, EndTime: 1700086400 }],
  'timpush/normal_push_statistics': [{ StartTime: 1700000000, EndTime: 1700086400 }],
  'timpush/all_member_push_statistics': [{ TaskID: ['53bb7e66-1f0c-4d3e-8e59-6ad0b2a1c5f9'] }],
  'sns/friend_import': [
    { From_Account: 'alice', AddFriendItem: [{ To_Account: 'bob', AddSource: 'AddSource_Type_Web' }] },
  ],
  'sns/friend_add': [
    { From_Account: 'alice', AddFriendItem: [{ To_Account: 'bob', AddSource: 'AddSource_Type_Android' }] },
    {
      From_Account: 'alice',
      AddFriendItem: [
        {
          To_Account: 'carol',
          Remark: 'Carol',
          GroupName: 'Work',
          AddSource: 'AddSource_Type_Android',
          AddWording: "I'm Alice",
        },
      ],
      AddType: 'Add_Type_Both',
      ForceAddFlags: 1,
    },
  ],
  'sns/friend_delete': [{ From_Account: 'alice', To_Account: ['bob'], DeleteType: 'Delete_Type_Both' }],
  'sns/friend_delete_all': [{ From_Account: 'alice', DeleteType: 'Delete_Type_Both' }],
  'sns/friend_check': [
    { From_Account: 'alice', To_Account: ['bob', 'carol'], CheckType: 'CheckResult_Type_Both' },
  ],
  'sns/friend_get': [{ From_Account: 'alice', StartIndex: 0 }],
  'sns/friend_get_list': [
    { From_Account: 'alice', To_Account: ['bob'], TagList: ['Tag_SNS_IM_Remark', 'Tag_Profile_IM_Nick'] },
  ],
  'sns/black_list_add': [{ From_Account: 'alice', To_Account: ['dave'] }],
  'sns/black_list_delete': [{ From_Account: 'alice', To_Account: ['dave'] }],
  'sns/black_list_get': [{ From_Account: 'alice', StartIndex: 0, MaxLimited: 30, LastSequence: 0 }],
  'sns/black_list_check': [
    { From_Account: 'alice', To_Account: ['dave'], CheckType: 'BlackCheckResult_Type_Both' },
  ],
  'openconfigsvr/setnospeaking': [
    { Set_Account: 'dave', C2CmsgNospeakingTime: 3600, GroupmsgNospeakingTime: 0 },
  ],
  'openconfigsvr/getnospeaking': [{ Get_Account: 'dave' }],
  'recentcontact/get_list': [
    { From_Account: 'alice', TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: 3 },
  ],
  'recentcontact/delete': [{ From_Account: 'alice', Type: 1, To_Account: 'bob', ClearRamble: 1 }],
  'recentcontact/top': [
    {
      From_Account: 'alice',
      OperationType: 1,
      RecentContactItem: [
        { Type: 1, To_Account: 'bob' },
        { Type: 2, GroupId: 'club' },
      ],
    },
  ],
  'openim/importmsg': [
    {
      SyncFromOldSystem: 2,
      From_Account: 'alice',
      To_Account: 'bob',
      MsgSeq: 93847636,
      MsgRandom: 1287657,
      MsgTimeStamp: 1557387418,
      MsgBody: text('from the old system'),
    },
  ],
  [`${G}/import_group`]: [
    { Owner_Account: 'alice', Type: 'Public', GroupId: 'old-club', Name: 'Old club', CreateTime: 1557387418 },
  ],
  [`${G}/import_group_member`]: [
    {
      GroupId: 'old-club',
      MemberList: [{ Member_Account: 'bob', Role: 'Admin', JoinTime: 1557387500, UnreadMsgNum: 0 }],
    },
  ],
  [`${G}/import_group_msg`]: [
    {
      GroupId: 'old-club',
      RecentContactFlag: 0,
      MsgList: [{ From_Account: 'alice', SendTime: 1557387600, Random: 8912345, MsgBody: text('welcome') }],
    },
  ],
};

/**
 * The commands with the catalogue's examples added to their own and their answer schema (answers.ts): the
 * router's registry, what /openapi.json publishes.
 */
export function withCatalogue(commands: V4Command[]): V4Command[] {
  return commands.map((command) => {
    const extra = REQUEST_EXAMPLES[command.name] ?? [];
    const answer = command.answer ?? ANSWERS[command.name];
    return {
      ...command,
      examples: [...(command.examples ?? []), ...extra],
      ...(answer ? { answer } : {}),
    } as V4Command;
  });
}
