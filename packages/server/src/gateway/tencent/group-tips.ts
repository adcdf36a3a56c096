// Pushline's group tips (messaging/group-tips.ts: a group message of one TIMGroupTipElem) as the Tencent
// SDK's own: a `GroupTips` item of `msg_push` event 4, whose `MsgBody` the SDK reads as the tip (`OpType`,
// `Operator_Account`, `List_Account`, `MsgGroupNewInfo`). The SDK turns it into a MSG_GRP_TIP message
// (MESSAGE_RECEIVED) and updates its group: member count, the profile fields that changed.
import { type GroupInfoChange, GroupTipType } from '../../messaging/group-tips.js';
import type { SdkMessage } from './sdk-message.js';

type Body = Record<string, unknown>;

/** The SDK's tip types (its GRP_TIP_* constants) for Pushline's (V2TIMGroupTipsType). */
const SDK_TIP_TYPE: Record<number, number> = {
  [GroupTipType.Join]: 1,
  // The SDK has no invite tip: an invited member joined.
  [GroupTipType.Invite]: 1,
  [GroupTipType.Quit]: 2,
  [GroupTipType.Kicked]: 3,
  [GroupTipType.SetAdmin]: 4,
  [GroupTipType.CancelAdmin]: 5,
  [GroupTipType.GroupInfoChange]: 6,
  [GroupTipType.MemberInfoChange]: 7,
};

/** REST profile fields (GroupInfoChange.field) under the names of the SDK's MsgGroupNewInfo. */
const NEW_INFO_FIELD: Record<string, string> = {
  Name: 'GroupName',
  Introduction: 'GroupIntroduction',
  Notification: 'GroupNotification',
  FaceUrl: 'GroupFaceUrl',
  ApplyJoinOption: 'GroupApplyJoinOption',
  Owner_Account: 'Owner_Account',
};

interface StoredTip {
  type: number;
  opMember: string;
  memberList?: string[];
  groupChangeInfoList?: GroupInfoChange[];
}

/** The stored tip of a group message, if it is one. */
export function tipOf(e: SdkMessage): StoredTip | undefined {
  const [el, ...rest] = e.message.body as { MsgType: string; MsgContent: unknown }[];
  if (rest.length > 0 || el?.MsgType !== 'TIMGroupTipElem') return undefined;
  const tip = el.MsgContent as StoredTip;
  return SDK_TIP_TYPE[tip?.type] === undefined ? undefined : tip;
}

/** One `GroupTips` item for a stored tip. */
export function groupTipItem(e: SdkMessage, tip: StoredTip, groupType: string): Body {
  const m = e.message;
  const newInfo: Body = {};
  const custom: { Key: string; Value: string }[] = [];
  for (const c of tip.groupChangeInfoList ?? []) {
    if (c.field === 'AppDefinedData' && c.key !== undefined)
      custom.push({ Key: c.key, Value: String(c.value) });
    else if (c.field === 'ShutUpAllMember')
      newInfo.ShutUpAllMember = c.value === true || c.value === 'On' ? 1 : 0;
    else if (NEW_INFO_FIELD[c.field]) newInfo[NEW_INFO_FIELD[c.field]!] = c.value;
  }
  if (custom.length > 0) newInfo.MsgAppDefinedData = custom;
  return {
    GroupInfo: { GroupId: m.groupId, GroupType: groupType },
    // The SDK names the tip's conversation from it (and throws without it).
    ToGroupId: m.groupId,
    From_Account: m.from,
    MsgSeq: m.msgSeq,
    MsgRandom: m.msgRandom,
    MsgTimeStamp: m.msgTime,
    MsgBody: {
      OpType: SDK_TIP_TYPE[tip.type],
      Operator_Account: tip.opMember,
      List_Account: tip.memberList ?? [],
      ...(Object.keys(newInfo).length > 0 ? { MsgGroupNewInfo: newInfo } : {}),
    },
  };
}
