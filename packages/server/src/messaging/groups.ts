// Groups and their members. A member's MsgFlag (AcceptAndNotify / AcceptNotNotify / Discard) is one of
// the receive options the messaging and push stages honour.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
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

export interface Group {
  groupId: string;
  type: string;
  name: string;
  owner: string | null;
  createdAt: number;
  /** The seq the group's next message gets (set where the group was read from its row). */
  nextMsgSeq?: number;
}

export interface GroupMember {
  userId: string;
  role: MemberRole;
  msgFlag: MsgFlag;
  nameCard: string;
  /** UNIX seconds. */
  joinTime: number;
}

export class GroupsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** Creates a group; false if the ID is taken. Members get role Member unless given. */
  async create(
    sdkAppId: number,
    input: {
      groupId?: string | undefined;
      type: GroupType;
      name: string;
      owner?: string | undefined;
      members: { userId: string; role?: MemberRole | undefined }[];
    },
  ): Promise<string | undefined> {
    const groupId = input.groupId ?? `@TGS#${randomBytes(6).toString('hex').toUpperCase()}`;
    return this.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('groups')
        .select('group_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      if (exists) return undefined;
      const now = this.now();
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
        })
        .execute();
      const members = new Map<string, MemberRole>();
      for (const m of input.members)
        members.set(m.userId, m.role === 'Owner' ? 'Member' : (m.role ?? 'Member'));
      if (input.owner) members.set(input.owner, 'Owner');
      if (members.size > 0) {
        await trx
          .insertInto('group_members')
          .values(
            [...members].map(([userId, role]) => ({
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
  }

  async get(sdkAppId: number, groupId: string): Promise<Group | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .executeTakeFirst();
    return row
      ? {
          groupId: row.group_id,
          type: row.type,
          name: row.name,
          owner: row.owner,
          createdAt: row.created_at,
          nextMsgSeq: row.next_msg_seq,
        }
      : undefined;
  }

  /**
   * The groups `userId` is a member of, by group ID, with the member's own record and the group's next
   * message seq (the Tencent SDK's get_joined_group_list).
   */
  async joinedGroups(
    sdkAppId: number,
    userId: string,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; groups: (Group & { nextMsgSeq: number; self: GroupMember })[] }> {
    const base = this.db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (j) =>
        j.onRef('g.sdkappid', '=', 'm.sdkappid').onRef('g.group_id', '=', 'm.group_id'),
      )
      .where('m.sdkappid', '=', sdkAppId)
      .where('m.user_id', '=', userId);
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await base
      .select([
        'g.group_id',
        'g.type',
        'g.name',
        'g.owner',
        'g.created_at',
        'g.next_msg_seq',
        'm.role',
        'm.msg_flag',
        'm.name_card',
        'm.join_time',
      ])
      .orderBy('g.group_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      total: Number(count?.n ?? 0),
      groups: rows.map((r) => ({
        groupId: r.group_id,
        type: r.type,
        name: r.name,
        owner: r.owner,
        createdAt: r.created_at,
        nextMsgSeq: r.next_msg_seq,
        self: {
          userId,
          role: r.role as MemberRole,
          msgFlag: r.msg_flag as MsgFlag,
          nameCard: r.name_card,
          joinTime: r.join_time,
        },
      })),
    };
  }

  /** Adds members; returns which were added and which were already members. */
  async addMembers(
    sdkAppId: number,
    groupId: string,
    userIds: string[],
  ): Promise<{ added: string[]; already: string[] }> {
    return this.db.transaction().execute(async (trx) => {
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
    await this.db
      .deleteFrom('group_members')
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .where('user_id', 'in', userIds)
      .execute();
  }

  async destroy(sdkAppId: number, groupId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
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
    return rows.map((r) => ({
      userId: r.user_id,
      role: r.role as MemberRole,
      msgFlag: r.msg_flag as MsgFlag,
      nameCard: r.name_card,
      joinTime: r.join_time,
    }));
  }

  async modifyMember(
    sdkAppId: number,
    groupId: string,
    userId: string,
    patch: { role?: MemberRole | undefined; msgFlag?: MsgFlag | undefined; nameCard?: string | undefined },
  ): Promise<boolean> {
    const set: { role?: string; msg_flag?: string; name_card?: string } = {};
    if (patch.role) set.role = patch.role;
    if (patch.msgFlag) set.msg_flag = patch.msgFlag;
    if (patch.nameCard !== undefined) set.name_card = patch.nameCard;
    if (Object.keys(set).length === 0) return true;
    const r = await this.db
      .updateTable('group_members')
      .set(set)
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
