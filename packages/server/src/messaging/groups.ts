// Groups and their members. A member's MsgFlag (AcceptAndNotify / AcceptNotNotify / Discard) is one of
// the receive options the messaging and push stages honour.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, GroupMembersTable, GroupsTable } from '../store/schema.js';
import type { MsgFlag } from './receive-options.js';

export const GROUP_TYPES = [
  'Private',
  'Work',
  'Public',
  'ChatRoom',
  'Meeting',
  'AVChatRoom',
  'Community',
] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
export const MEMBER_ROLES = ['Owner', 'Admin', 'Member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Largest group Pushline accepts (Tencent's largest non-AVChatRoom limit). */
export const MAX_GROUP_MEMBERS = 6000;

/**
 * Who may ask to join: FreeAccess (anyone joins), NeedPermission (an owner or admin accepts each request:
 * messaging/group-join-requests.ts), DisableApply (nobody asks; members are added or invited).
 */
export const APPLY_JOIN_OPTIONS = ['FreeAccess', 'NeedPermission', 'DisableApply'] as const;
export type ApplyJoinOption = (typeof APPLY_JOIN_OPTIONS)[number];

/** Custom fields (AppDefinedData / AppMemberDefinedData) as key -> value. */
export type CustomData = Record<string, string>;

export interface GroupProfile {
  introduction: string;
  notification: string;
  faceUrl: string;
  maxMemberNum: number;
  applyJoinOption: ApplyJoinOption;
  /** ShutUpAllMember On: only the owner and admins send. */
  shutUpAll: boolean;
  appDefinedData: CustomData;
}

export interface Group extends GroupProfile {
  groupId: string;
  type: string;
  name: string;
  owner: string | null;
  createdAt: number;
  nextMsgSeq: number;
  infoSeq: number;
  /** UNIX seconds of the last profile change; 0 = never. */
  lastInfoTime: number;
}

export interface GroupMember {
  userId: string;
  role: MemberRole;
  msgFlag: MsgFlag;
  nameCard: string;
  /** UNIX seconds. */
  joinTime: number;
  /** UNIX seconds the member's mute ends; 0 (or past) = not muted. */
  shutUpUntil: number;
  appMemberDefinedData: CustomData;
}

/** A profile change: the fields set, and custom fields set (a value "" deletes the key). */
export interface GroupProfilePatch {
  name?: string | undefined;
  introduction?: string | undefined;
  notification?: string | undefined;
  faceUrl?: string | undefined;
  maxMemberNum?: number | undefined;
  applyJoinOption?: ApplyJoinOption | undefined;
  shutUpAll?: boolean | undefined;
  appDefinedData?: CustomData | undefined;
}

/** Group types whose members can be muted: not Work (Private), as in Tencent IM. */
export function mutableGroupType(type: string): boolean {
  return type !== 'Work' && type !== 'Private';
}

/**
 * The join option of a group created without one: Tencent IM's default for its type. Work (Private) groups
 * are joined only by invitation; a Public group takes requests that an owner or admin answers; Meeting
 * (ChatRoom), AVChatRoom and Community groups let anyone join. The value is stored with the group, so a group
 * created when Pushline defaulted Public groups to DisableApply keeps that.
 */
export function defaultApplyJoinOption(type: string): ApplyJoinOption {
  if (type === 'Public') return 'NeedPermission';
  return type === 'Work' || type === 'Private' ? 'DisableApply' : 'FreeAccess';
}

/**
 * Why a member may not send to the group now, or undefined: muted until a time, or everyone muted
 * (ShutUpAllMember), which spares the owner and admins as in Tencent IM.
 */
export function muteReason(group: Group, member: GroupMember, nowSeconds: number): string | undefined {
  if (member.shutUpUntil > nowSeconds)
    return `"${member.userId}" is muted in group "${group.groupId}" until ${member.shutUpUntil}`;
  if (group.shutUpAll && member.role === 'Member')
    return `everyone but the owner and admins is muted in group "${group.groupId}"`;
  return undefined;
}

function parseData(json: string): CustomData {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as CustomData) : {};
  } catch {
    return {};
  }
}

function groupOf(row: Selectable<GroupsTable>): Group {
  return {
    groupId: row.group_id,
    type: row.type,
    name: row.name,
    owner: row.owner,
    createdAt: Number(row.created_at),
    nextMsgSeq: Number(row.next_msg_seq),
    introduction: row.introduction,
    notification: row.notification,
    faceUrl: row.face_url,
    maxMemberNum: Number(row.max_member_num),
    applyJoinOption: row.apply_join_option as ApplyJoinOption,
    shutUpAll: Number(row.shut_up_all) === 1,
    appDefinedData: parseData(row.app_defined_data),
    infoSeq: Number(row.info_seq),
    lastInfoTime: Number(row.last_info_time),
  };
}

function memberOf(r: Selectable<GroupMembersTable>): GroupMember {
  return {
    userId: r.user_id,
    role: r.role as MemberRole,
    msgFlag: r.msg_flag as MsgFlag,
    nameCard: r.name_card,
    joinTime: Number(r.join_time),
    shutUpUntil: Number(r.shut_up_until),
    appMemberDefinedData: parseData(r.app_member_defined_data),
  };
}

/** Applies a custom-data change: a value "" deletes the key. */
function mergeData(current: CustomData, patch: CustomData): CustomData {
  const next = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === '') delete next[k];
    else next[k] = v;
  }
  return next;
}

/** What happened to an app's groups, for the daily statistics (apps/daily-stats.ts): how many times. */
export type GroupActivity = 'created' | 'destroyed' | 'joined' | 'quit';

export class GroupsService {
  readonly #activityListeners: ((sdkAppId: number, activity: GroupActivity, n: number) => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /**
   * Calls `listener` after groups were created (not imported ones, which keep an original time) or destroyed,
   * and members joined (added after creation, by any means) or left (quit, removed).
   */
  onActivity(listener: (sdkAppId: number, activity: GroupActivity, n: number) => void): void {
    this.#activityListeners.push(listener);
  }

  #tell(sdkAppId: number, activity: GroupActivity, n: number): void {
    if (n > 0) for (const listener of this.#activityListeners) listener(sdkAppId, activity, n);
  }

  /** Creates a group; false if the ID is taken. Members get role Member unless given. */
  async create(
    sdkAppId: number,
    input: {
      groupId?: string | undefined;
      type: GroupType;
      name: string;
      owner?: string | undefined;
      members: { userId: string; role?: MemberRole | undefined; appMemberDefinedData?: CustomData }[];
      profile?: Partial<GroupProfile> | undefined;
      /** UNIX ms the group was created (an imported group's original time); default now. */
      createdAt?: number | undefined;
    },
  ): Promise<string | undefined> {
    const groupId = input.groupId ?? `@TGS#${randomBytes(6).toString('hex').toUpperCase()}`;
    const created = await this.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('groups')
        .select('group_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      if (exists) return undefined;
      const now = input.createdAt ?? this.now();
      await trx
        .insertInto('groups')
        .values({
          sdkappid: sdkAppId,
          group_id: groupId,
          type: input.type,
          name: input.name,
          owner: input.owner ?? null,
          next_msg_seq: 1,
          created_at: now,
          introduction: input.profile?.introduction ?? '',
          notification: input.profile?.notification ?? '',
          face_url: input.profile?.faceUrl ?? '',
          max_member_num: input.profile?.maxMemberNum ?? MAX_GROUP_MEMBERS,
          apply_join_option: input.profile?.applyJoinOption ?? defaultApplyJoinOption(input.type),
          shut_up_all: input.profile?.shutUpAll ? 1 : 0,
          app_defined_data: JSON.stringify(input.profile?.appDefinedData ?? {}),
        })
        .execute();
      const members = new Map<string, MemberRole>();
      const data = new Map<string, CustomData>();
      for (const m of input.members) {
        members.set(m.userId, m.role === 'Owner' ? 'Member' : (m.role ?? 'Member'));
        if (m.appMemberDefinedData) data.set(m.userId, m.appMemberDefinedData);
      }
      if (input.owner) members.set(input.owner, 'Owner');
      if (members.size > 0) {
        await trx
          .insertInto('group_members')
          .values(
            [...members].map(([userId, role]) => ({
              app_member_defined_data: JSON.stringify(data.get(userId) ?? {}),
              sdkappid: sdkAppId,
              group_id: groupId,
              user_id: userId,
              role,
              msg_flag: 'AcceptAndNotify',
              name_card: '',
              join_time: Math.floor(now / 1000),
            })),
          )
          .execute();
      }
      return groupId;
    });
    if (created !== undefined && input.createdAt === undefined) this.#tell(sdkAppId, 'created', 1);
    return created;
  }

  async get(sdkAppId: number, groupId: string): Promise<Group | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .executeTakeFirst();
    return row ? groupOf(row) : undefined;
  }

  /** The groups of these IDs that exist, by ID. */
  async getMany(sdkAppId: number, groupIds: string[]): Promise<Map<string, Group>> {
    if (groupIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('groups')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', 'in', groupIds)
      .execute();
    return new Map(rows.map((r) => [r.group_id, groupOf(r)]));
  }

  /**
   * Changes a group's profile (one transaction): the fields given, custom fields merged (a value "" deletes
   * its key); InfoSeq and LastInfoTime move on when something changed. Returns the group after the change, or undefined if it is gone.
   * `check` sees the group before the change and may throw to refuse it (nothing is written).
   */
  async modifyProfile(
    sdkAppId: number,
    groupId: string,
    patch: GroupProfilePatch,
    check?: (before: Group) => void | Promise<void>,
  ): Promise<{ before: Group; after: Group } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('groups')
        .selectAll()
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      if (!row) return undefined;
      const before = groupOf(row);
      await check?.(before);
      const set: Updateable<GroupsTable> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.introduction !== undefined) set.introduction = patch.introduction;
      if (patch.notification !== undefined) set.notification = patch.notification;
      if (patch.faceUrl !== undefined) set.face_url = patch.faceUrl;
      if (patch.maxMemberNum !== undefined) set.max_member_num = patch.maxMemberNum;
      if (patch.applyJoinOption !== undefined) set.apply_join_option = patch.applyJoinOption;
      if (patch.shutUpAll !== undefined) set.shut_up_all = patch.shutUpAll ? 1 : 0;
      if (patch.appDefinedData !== undefined)
        set.app_defined_data = JSON.stringify(mergeData(before.appDefinedData, patch.appDefinedData));
      // Only a real change moves InfoSeq and LastInfoTime on.
      const changed = Object.entries(set).some(([k, v]) => String(row[k as keyof typeof row]) !== String(v));
      if (!changed) return { before, after: before };
      set.info_seq = before.infoSeq + 1;
      set.last_info_time = Math.floor(this.now() / 1000);
      await trx
        .updateTable('groups')
        .set(set)
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .execute();
      const after = await trx
        .selectFrom('groups')
        .selectAll()
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .executeTakeFirstOrThrow();
      return { before, after: groupOf(after) };
    });
  }

  /** Makes a member the owner; the former owner (if any) becomes a Member. False if not a member. */
  async changeOwner(sdkAppId: number, groupId: string, newOwner: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const member = await trx
        .selectFrom('group_members')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('user_id', '=', newOwner)
        .executeTakeFirst();
      if (!member) return false;
      await trx
        .updateTable('group_members')
        .set({ role: 'Member' })
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('role', '=', 'Owner')
        .execute();
      await trx
        .updateTable('group_members')
        .set({ role: 'Owner' })
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('user_id', '=', newOwner)
        .execute();
      await trx
        .updateTable('groups')
        .set({ owner: newOwner })
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .execute();
      return true;
    });
  }

  /** Mutes these members until `until` (UNIX s; 0 lifts the mute). Returns those who are members. */
  async setShutUp(sdkAppId: number, groupId: string, userIds: string[], until: number): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('group_members')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('user_id', 'in', userIds.length ? userIds : [''])
        .execute();
      const found = rows.map((r) => r.user_id);
      if (found.length > 0) {
        await trx
          .updateTable('group_members')
          .set({ shut_up_until: until })
          .where('sdkappid', '=', sdkAppId)
          .where('group_id', '=', groupId)
          .where('user_id', 'in', found)
          .execute();
      }
      return found;
    });
  }

  /** Members muted now (mute end after `nowSeconds`), in join order. */
  async mutedMembers(sdkAppId: number, groupId: string, nowSeconds: number): Promise<GroupMember[]> {
    const rows = await this.db
      .selectFrom('group_members')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .where('shut_up_until', '>', nowSeconds)
      .orderBy('join_time')
      .orderBy('user_id')
      .execute();
    return rows.map(memberOf);
  }

  /**
   * The groups a user is a member of (by join time, then ID), with the user's membership. `type` filters;
   * AVChatRoom groups only `withHuge`, Work/Private groups without a message yet only `withInactive`.
   */
  async joinedGroups(
    sdkAppId: number,
    userId: string,
    page: {
      limit?: number | undefined;
      offset: number;
      type?: string | undefined;
      withHuge: boolean;
      withInactive: boolean;
    },
  ): Promise<{ total: number; groups: { group: Group; member: GroupMember }[] }> {
    let q = this.db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (j) =>
        j.onRef('g.sdkappid', '=', 'm.sdkappid').onRef('g.group_id', '=', 'm.group_id'),
      )
      .where('m.sdkappid', '=', sdkAppId)
      .where('m.user_id', '=', userId);
    if (page.type) q = q.where('g.type', '=', page.type);
    if (!page.withHuge) q = q.where('g.type', '!=', 'AVChatRoom');
    if (!page.withInactive)
      q = q.where((eb) => eb.or([eb('g.type', 'not in', ['Work', 'Private']), eb('g.next_msg_seq', '>', 1)]));
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let rows = q
      .selectAll('g')
      .select([
        'm.user_id',
        'm.role',
        'm.msg_flag',
        'm.name_card',
        'm.join_time',
        'm.shut_up_until',
        'm.app_member_defined_data',
      ])
      .orderBy('m.join_time')
      .orderBy('g.group_id');
    if (page.limit !== undefined) rows = rows.limit(page.limit).offset(page.offset);
    else if (page.offset > 0) rows = rows.limit(1_000_000).offset(page.offset);
    const found = await rows.execute();
    return {
      total: Number(total.n),
      groups: found.map((r) => ({ group: groupOf(r), member: memberOf(r) })),
    };
  }

  /** The app's groups in ID order from `offset`; `type` filters. */
  async appGroups(
    sdkAppId: number,
    page: { limit: number; offset: number; type?: string | undefined },
  ): Promise<{ total: number; groupIds: string[] }> {
    let q = this.db.selectFrom('groups').where('sdkappid', '=', sdkAppId);
    if (page.type) q = q.where('type', '=', page.type);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select('group_id')
      .orderBy('group_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { total: Number(total.n), groupIds: rows.map((r) => r.group_id) };
  }

  /** UNIX seconds of each group's newest stored message (0 if none). */
  async lastMsgTimes(sdkAppId: number, groupIds: string[]): Promise<Map<string, number>> {
    if (groupIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messages')
      .select(['group_id', (eb) => eb.fn.max('msg_time').as('t')])
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', 'in', groupIds)
      .groupBy('group_id')
      .execute();
    return new Map(rows.map((r) => [r.group_id ?? '', Number(r.t ?? 0)]));
  }

  /** Adds members; returns which were added and which were already members. */
  async addMembers(
    sdkAppId: number,
    groupId: string,
    userIds: string[],
  ): Promise<{ added: string[]; already: string[] }> {
    const result = await this.db.transaction().execute(async (trx) => {
      const existing = new Set(
        (
          await trx
            .selectFrom('group_members')
            .select('user_id')
            .where('sdkappid', '=', sdkAppId)
            .where('group_id', '=', groupId)
            .where('user_id', 'in', userIds)
            .execute()
        ).map((r) => r.user_id),
      );
      const added = [...new Set(userIds)].filter((u) => !existing.has(u));
      if (added.length > 0) {
        const joinTime = Math.floor(this.now() / 1000);
        await trx
          .insertInto('group_members')
          .values(
            added.map((userId) => ({
              sdkappid: sdkAppId,
              group_id: groupId,
              user_id: userId,
              role: 'Member',
              msg_flag: 'AcceptAndNotify',
              name_card: '',
              join_time: joinTime,
            })),
          )
          .execute();
      }
      return { added, already: [...existing] };
    });
    this.#tell(sdkAppId, 'joined', result.added.length);
    return result;
  }

  async memberCount(sdkAppId: number, groupId: string): Promise<number> {
    const row = await this.db
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async removeMembers(sdkAppId: number, groupId: string, userIds: string[]): Promise<void> {
    const r = await this.db
      .deleteFrom('group_members')
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .where('user_id', 'in', userIds)
      .executeTakeFirst();
    this.#tell(sdkAppId, 'quit', Number(r.numDeletedRows));
  }

  async destroy(sdkAppId: number, groupId: string): Promise<boolean> {
    const destroyed = await this.db.transaction().execute(async (trx) => {
      // Its pending join requests (group-join-requests.ts) go with it.
      await trx
        .deleteFrom('group_join_requests')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .execute();
      await trx
        .deleteFrom('group_members')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .execute();
      const r = await trx
        .deleteFrom('groups')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
    if (destroyed) this.#tell(sdkAppId, 'destroyed', 1);
    return destroyed;
  }

  /** Members in join order; `userIds` restricts the result to those accounts, `roles` to those roles. */
  async members(
    sdkAppId: number,
    groupId: string,
    page: { limit?: number; offset?: number; userIds?: string[]; roles?: readonly MemberRole[] } = {},
  ): Promise<GroupMember[]> {
    let q = this.db
      .selectFrom('group_members')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId);
    if (page.userIds) q = q.where('user_id', 'in', page.userIds.length ? page.userIds : ['']);
    if (page.roles) q = q.where('role', 'in', page.roles.length ? [...page.roles] : ['']);
    q = q.orderBy('join_time').orderBy('user_id');
    if (page.limit !== undefined) q = q.limit(page.limit).offset(page.offset ?? 0);
    const rows = await q.execute();
    return rows.map(memberOf);
  }

  async modifyMember(
    sdkAppId: number,
    groupId: string,
    userId: string,
    patch: {
      role?: MemberRole | undefined;
      msgFlag?: MsgFlag | undefined;
      nameCard?: string | undefined;
      /** UNIX seconds the mute ends; 0 lifts it. */
      shutUpUntil?: number | undefined;
      /** Custom fields to merge (a value "" deletes its key). */
      appMemberDefinedData?: CustomData | undefined;
    },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('group_members')
        .select('app_member_defined_data')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row) return false;
      const set: Updateable<GroupMembersTable> = {};
      if (patch.role) set.role = patch.role;
      if (patch.msgFlag) set.msg_flag = patch.msgFlag;
      if (patch.nameCard !== undefined) set.name_card = patch.nameCard;
      if (patch.shutUpUntil !== undefined) set.shut_up_until = patch.shutUpUntil;
      if (patch.appMemberDefinedData)
        set.app_member_defined_data = JSON.stringify(
          mergeData(parseData(row.app_member_defined_data), patch.appMemberDefinedData),
        );
      if (Object.keys(set).length === 0) return true;
      await trx
        .updateTable('group_members')
        .set(set)
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .execute();
      return true;
    });
  }
}

/** Profile limits, in UTF-8 bytes (docs/internals/tencent-im.md#group-management). */
export const GROUP_LIMITS = {
  name: 100,
  introduction: 240,
  notification: 300,
  faceUrl: 100,
  /** Group custom fields: keys per group, key and value bytes. */
  groupDataKeys: 10,
  memberDataKeys: 5,
  dataKey: 16,
  groupDataValue: 4000,
  memberDataValue: 64,
} as const;

/**
 * Tencent's custom-data list ([{Key, Value}]) as key -> value, or why it is invalid. A value "" deletes its
 * key when the list changes existing data.
 */
export function customDataOf(
  list: readonly { Key: string; Value: string }[],
  kind: 'group' | 'member',
): CustomData | string {
  const maxKeys = kind === 'group' ? GROUP_LIMITS.groupDataKeys : GROUP_LIMITS.memberDataKeys;
  const maxValue = kind === 'group' ? GROUP_LIMITS.groupDataValue : GROUP_LIMITS.memberDataValue;
  const data: CustomData = {};
  for (const { Key, Value } of list) {
    if (Key === '' || Buffer.byteLength(Key) > GROUP_LIMITS.dataKey)
      return `custom data key "${Key}" must be 1 to ${GROUP_LIMITS.dataKey} bytes`;
    if (Buffer.byteLength(Value) > maxValue) return `custom data value of "${Key}" is over ${maxValue} bytes`;
    data[Key] = Value;
  }
  if (Object.keys(data).length > maxKeys) return `at most ${maxKeys} custom data keys`;
  return data;
}

/** Whether a data change leaves at most the allowed number of keys. */
export function customDataFits(current: CustomData, patch: CustomData, kind: 'group' | 'member'): boolean {
  const keys = new Set(Object.keys(current));
  for (const [k, v] of Object.entries(patch)) {
    if (v === '') keys.delete(k);
    else keys.add(k);
  }
  return keys.size <= (kind === 'group' ? GROUP_LIMITS.groupDataKeys : GROUP_LIMITS.memberDataKeys);
}

/** Tencent's [{Key, Value}] list of custom data, only `keys` if given. */
export function customDataList(data: CustomData, keys?: readonly string[]): { Key: string; Value: string }[] {
  return Object.entries(data)
    .filter(([k]) => !keys || keys.includes(k))
    .map(([Key, Value]) => ({ Key, Value }));
}
