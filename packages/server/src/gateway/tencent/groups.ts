// Group management from Tencent's SDK (`group_open_http_svc.*`: createGroup, joinGroup, quitGroup,
// addGroupMember, deleteGroupMember, updateGroupProfile, getGroupMemberList) through the handlers
// `@pushline/sdk` uses (gateway/group-ops.ts): the same permissions, join requests, tips and callbacks.
// Bodies arrive in the REST API's keys (the SDK renames `groupID` to `GroupId`, `avatar` to `FaceUrl`, ...).
import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
import type { OpData } from '../protocol.js';
import { TencentCode } from './frames.js';
import { type ErrorOf, runOp } from './via-pushline.js';

type Body = Record<string, unknown>;
type CreateGroup = OpData<'createGroup'>;

/** V2TIMGroupAddOpt of group-ops.ts for each ApplyJoinOption. */
const ADD_OPT: Record<string, 0 | 1 | 2> = { DisableApply: 0, NeedPermission: 1, FreeAccess: 2 };
/** group-ops.ts member roles (V2TIM numbers) as Tencent's role names. */
const ROLE_NAME: Record<number, string> = { 400: 'Owner', 300: 'Admin', 200: 'Member' };

/**
 * create_group: `Type`, `Name`, `GroupId`, `Introduction`, `Notification`, `FaceUrl`, `ApplyJoinOption`,
 * `MemberList: [{Member_Account, Role}]`, `AppDefinedData: [{Key, Value}]` → `GroupId`. The join option
 * is set right after creation, as a profile change by the new owner.
 */
export async function createGroup(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  refuseSet(body, 'MaxMemberCount', 'the maximum member count is set by the app (REST)', fail);
  refuseSet(body, 'InviteJoinOption', 'Pushline has no invite option: members of Work groups invite', fail);
  refuseSet(body, 'AppMemberDefinedData', 'member custom fields are set per member after joining', fail);
  if (body.IsSupportTopic === 1) throw fail(TencentCode.InvalidParameters, 'Pushline has no topic groups');
  if (body.Owner_Account !== undefined && body.Owner_Account !== s.userId)
    throw fail(TencentCode.InvalidParameters, 'Owner_Account must be you: the creator owns the group');
  const members = list(body.MemberList, 'MemberList', fail).map(
    (m): NonNullable<CreateGroup['memberList']>[number] => {
      const role = m.Role;
      if (role !== undefined && role !== 'Member' && role !== 'Admin')
        throw fail(TencentCode.InvalidParameters, 'MemberList.Role must be Member or Admin');
      return {
        userID: text(m.Member_Account, 'Member_Account', fail) ?? '',
        role: role === 'Admin' ? 300 : 200,
      };
    },
  );
  const joinOption = addOpt(body.ApplyJoinOption, fail);
  const faceURL = text(body.FaceUrl, 'FaceUrl', fail);
  const out = await runOp(
    ctx,
    s,
    'createGroup',
    {
      // An unknown type is refused by the createGroup schema (runOp).
      groupType: (text(body.Type, 'Type', fail) ?? '') as CreateGroup['groupType'],
      groupID: text(body.GroupId, 'GroupId', fail) || undefined,
      groupName: text(body.Name, 'Name', fail) ?? '',
      introduction: text(body.Introduction, 'Introduction', fail),
      notification: text(body.Notification, 'Notification', fail),
      faceURL: faceURL === '' ? undefined : faceURL,
      customInfo: customInfo(body.AppDefinedData, fail),
      memberList: members,
    },
    fail,
  );
  const groupID = out.groupID as string;
  if (joinOption !== undefined)
    await runOp(ctx, s, 'setGroupInfo', { groupID, groupAddOpt: joinOption }, fail);
  return { GroupId: groupID };
}

/** apply_join_group: `GroupId`, `ApplyMsg` → `JoinedStatus` JoinedSuccess, or WaitAdminApproval (a request). */
export async function joinGroup(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  refuseSet(body, 'UserDefinedField', 'Pushline keeps no custom field on a join request', fail);
  const message = text(body.ApplyMsg, 'ApplyMsg', fail);
  const out = await runOp(
    ctx,
    s,
    'joinGroup',
    { groupID: groupId(body, fail), message: message === '' ? undefined : message },
    fail,
  );
  return { JoinedStatus: out.pending ? 'WaitAdminApproval' : 'JoinedSuccess' };
}

/** quit_group: `GroupId`. */
export async function quitGroup(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  await runOp(ctx, s, 'quitGroup', { groupID: groupId(body, fail) }, fail);
  return {};
}

/**
 * add_group_member: `GroupId`, `MemberList: [{Member_Account}]` → `MemberList: [{Member_Account, Result}]`
 * (1 added, 0 failed, 2 already a member): `@pushline/sdk`'s inviteUserToGroup, so only Work groups.
 */
export async function addGroupMember(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  if (body.Silence === 1)
    throw fail(TencentCode.InvalidParameters, 'Silence: Pushline always tells the group who joined');
  const userList = list(body.MemberList, 'MemberList', fail).map(
    (m) => text(m.Member_Account, 'Member_Account', fail) ?? '',
  );
  const out = await runOp(ctx, s, 'inviteUserToGroup', { groupID: groupId(body, fail), userList }, fail);
  return {
    MemberList: (out.results as { userID: string; result: number }[]).map((r) => ({
      Member_Account: r.userID,
      Result: r.result,
    })),
  };
}

/** delete_group_member: `GroupId`, `MemberToDel_Account: [...]`, `Reason`. */
export async function deleteGroupMember(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const ids = body.MemberToDel_Account;
  if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string'))
    throw fail(TencentCode.InvalidParameters, 'MemberToDel_Account must be a list of UserIDs');
  const reason = text(body.Reason, 'Reason', fail);
  await runOp(
    ctx,
    s,
    'kickGroupMember',
    { groupID: groupId(body, fail), memberList: ids as string[], reason: reason === '' ? undefined : reason },
    fail,
  );
  return {};
}

/**
 * modify_group_base_info: `GroupId` and any of `Name`, `Introduction`, `Notification`, `FaceUrl`,
 * `ApplyJoinOption`, `ShutUpAllMember` (On/Off), `AppDefinedData: [{Key, Value}]`.
 */
export async function modifyGroup(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  refuseSet(body, 'InviteJoinOption', 'Pushline has no invite option: members of Work groups invite', fail);
  const mute = body.ShutUpAllMember;
  if (mute !== undefined && mute !== 'On' && mute !== 'Off')
    throw fail(TencentCode.InvalidParameters, 'ShutUpAllMember must be On or Off');
  await runOp(
    ctx,
    s,
    'setGroupInfo',
    {
      groupID: groupId(body, fail),
      groupName: text(body.Name, 'Name', fail),
      introduction: text(body.Introduction, 'Introduction', fail),
      notification: text(body.Notification, 'Notification', fail),
      faceURL: text(body.FaceUrl, 'FaceUrl', fail),
      allMuted: mute === undefined ? undefined : mute === 'On',
      groupAddOpt: addOpt(body.ApplyJoinOption, fail),
      customInfo: customInfo(body.AppDefinedData, fail),
    },
    fail,
  );
  return {};
}

/**
 * get_group_member_info: `GroupId`, `Limit`, `Offset` → `MemberList: [{Member_Account, Role, JoinTime,
 * NameCard, ShutUpUntil}]`, `MemberNum`, and `Next` (the offset of the next page, 0 at the end).
 */
export async function groupMembers(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const groupID = groupId(body, fail);
  const limit = typeof body.Limit === 'number' && body.Limit > 0 ? Math.min(100, body.Limit) : 100;
  const offset = typeof body.Offset === 'number' && body.Offset >= 0 ? body.Offset : 0;
  const out = await runOp(
    ctx,
    s,
    'getGroupMemberList',
    { groupID, count: limit, nextSeq: offset, filter: 0 },
    fail,
  );
  const members = out.memberInfoList as {
    userID: string;
    role: number;
    joinTime: number;
    nameCard: string;
    muteUntil: number;
  }[];
  return {
    MemberList: members.map((m) => ({
      Member_Account: m.userID,
      Role: ROLE_NAME[m.role],
      JoinTime: m.joinTime,
      NameCard: m.nameCard,
      ShutUpUntil: m.muteUntil,
    })),
    MemberNum: await ctx.groups.memberCount(s.sdkAppId, groupID),
    Next: out.nextSeq,
  };
}

function groupId(body: Body, fail: ErrorOf): string {
  const id = body.GroupId;
  if (typeof id !== 'string' || id === '') throw fail(TencentCode.InvalidParameters, 'GroupId is required');
  return id;
}

function text(v: unknown, name: string, fail: ErrorOf): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw fail(TencentCode.InvalidParameters, `${name} must be a string`);
  return v;
}

function list(v: unknown, name: string, fail: ErrorOf): Body[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((i) => i && typeof i === 'object'))
    throw fail(TencentCode.InvalidParameters, `${name} must be a list of objects`);
  return v as Body[];
}

function addOpt(v: unknown, fail: ErrorOf): 0 | 1 | 2 | undefined {
  if (v === undefined) return undefined;
  const opt = typeof v === 'string' ? ADD_OPT[v] : undefined;
  if (opt === undefined)
    throw fail(
      TencentCode.InvalidParameters,
      'ApplyJoinOption must be FreeAccess, NeedPermission or DisableApply',
    );
  return opt;
}

/** `AppDefinedData: [{Key, Value}]` as V2TIM's customInfo. */
function customInfo(v: unknown, fail: ErrorOf): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const item of list(v, 'AppDefinedData', fail)) {
    if (typeof item.Key !== 'string' || typeof item.Value !== 'string')
      throw fail(TencentCode.InvalidParameters, 'AppDefinedData items must be {Key, Value} strings');
    out[item.Key] = item.Value;
  }
  return out;
}

/** A field Pushline cannot honour: refused when set, never dropped. */
function refuseSet(body: Body, field: string, why: string, fail: ErrorOf): void {
  const v = body[field];
  if (v === undefined || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) return;
  throw fail(TencentCode.InvalidParameters, `${field}: ${why}`);
}
