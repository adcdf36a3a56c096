// What the group commands of groups.ts and group-admin.ts share: Tencent's group error codes, custom-data and
// byte-limited fields, and the member fields MemberInfoFilter names.
import { z } from 'zod';
import { customDataList, customDataOf, type GroupMember, mutableGroupType } from '../../messaging/groups.js';
import { V4Error } from './command.js';

export const GroupError = {
  Internal: 10002,
  InvalidParameter: 10004,
  NoPermission: 10007,
  NotFound: 10010,
  GroupFull: 10014,
  InvalidGroupId: 10015,
  AccountNotFound: 10019,
  GroupIdTaken: 10021,
  /** The group owner cannot leave (quitGroup); transfer ownership or dismiss the group. */
  OwnerCannotQuit: 10009,
  /** Already a member (joinGroup, inviteUserToGroup of members only). */
  AlreadyMember: 10013,
  /** The sender is muted in the group. */
  Muted: 10017,
  TooLong: 80002,
} as const;

/** Tencent's custom-data lists ([{Key, Value}]); limits in GROUP_LIMITS. */
export const customData = z.array(z.object({ Key: z.string(), Value: z.string() }));
/** A byte-limited string. */
export const bytes = (max: number, name: string) =>
  z.string().refine((v) => Buffer.byteLength(v) <= max, `${name} is at most ${max} bytes`);
/** A custom-data list as key -> value, or a 10004 naming the field. */
export function dataOf(
  field: string,
  list: readonly { Key: string; Value: string }[],
  kind: 'group' | 'member',
) {
  const data = customDataOf(list, kind);
  if (typeof data === 'string') throw new V4Error(GroupError.InvalidParameter, `${field}: ${data}`);
  return data;
}

/** Member fields Tencent's MemberInfoFilter names. */
export const MEMBER_INFO_FIELDS = [
  'Member_Account',
  'Role',
  'JoinTime',
  'MsgSeq',
  'MsgFlag',
  'LastSendMsgTime',
  'ShutUpUntil',
  'MuteUntil',
  'NameCard',
  'AppMemberDefinedData',
] as const;
export type MemberInfoField = (typeof MEMBER_INFO_FIELDS)[number];
/** The member fields Pushline does not keep: asking for them is refused. */
export const UNKEPT_MEMBER_FIELDS: readonly MemberInfoField[] = ['MsgSeq', 'LastSendMsgTime'];
export const KEPT_MEMBER_FIELDS = MEMBER_INFO_FIELDS.filter((f) => !UNKEPT_MEMBER_FIELDS.includes(f));
export const memberInfoFilter = z.array(z.enum(MEMBER_INFO_FIELDS));
/**
 * The member fields Pushline answers, as get_group_member_info and get_group_info show them. ShutUpUntil
 * (MuteUntil in newer clients) is the mute's end in UNIX seconds, 0 when not muted.
 */
export const MEMBER_FIELDS: Partial<
  Record<MemberInfoField, (m: GroupMember, now: number, keys?: readonly string[]) => unknown>
> = {
  Member_Account: (m) => m.userId,
  Role: (m) => m.role,
  JoinTime: (m) => m.joinTime,
  MsgFlag: (m) => m.msgFlag,
  ShutUpUntil: (m, now) => (m.shutUpUntil > now ? m.shutUpUntil : 0),
  MuteUntil: (m, now) => (m.shutUpUntil > now ? m.shutUpUntil : 0),
  NameCard: (m) => m.nameCard,
  AppMemberDefinedData: (m, _now, keys) => customDataList(m.appMemberDefinedData, keys),
};
/** What get_group_member_info answers without a MemberInfoFilter. */
export const DEFAULT_MEMBER_FIELDS: MemberInfoField[] = [
  'Member_Account',
  'Role',
  'JoinTime',
  'MsgFlag',
  'ShutUpUntil',
  'NameCard',
];
/** A member as Tencent lists it: these fields, custom data only `keys` if given. */
export function memberView(
  m: GroupMember,
  fields: readonly MemberInfoField[],
  now: number,
  keys?: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, MEMBER_FIELDS[f]?.(m, now, keys)]));
}
export const refusedMemberFilter = <B extends { MemberInfoFilter?: MemberInfoField[] | undefined }>() => ({
  field: 'MemberInfoFilter',
  refuses: (b: B) => (b.MemberInfoFilter ?? []).some((f) => UNKEPT_MEMBER_FIELDS.includes(f)),
  why: `Pushline does not keep ${UNKEPT_MEMBER_FIELDS.join(', ')} for group members; ask for ${KEPT_MEMBER_FIELDS.slice(1).join(', ')}`,
});

/** Work (and Private) groups cannot mute members in Tencent IM; 10007 is Pushline's reading of the code. */
export function requireMutable(type: string): void {
  if (!mutableGroupType(type))
    throw new V4Error(
      GroupError.NoPermission,
      `members of a ${type} group cannot be muted (as in Tencent IM)`,
    );
}
