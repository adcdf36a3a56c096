// Group management, named after V2TIM's group API (V2TIMManager+Group.h): create, join, quit, invite, kick,
// profiles, member lists, mutes. The server applies Tencent IM's owner/admin/member rules per group type and
// answers Tencent's codes (10007 no permission, 10009 the owner cannot quit, 10013 already a member…).
// Group tips (who joined, left, was kicked or muted, what changed) arrive as group messages with a
// TIMGroupTipElem; this manager turns them, and group system notifications, into V2TIMGroupListener calls.
import type { GatewayOp } from '@pushline/contracts';
import type { ReceivedMessage } from './types.js';

/** Group types the SDK manages (AVChatRoom and Community groups only over the REST API). */
export type GroupType = 'Work' | 'Public' | 'Meeting' | 'Private' | 'ChatRoom';

/** V2TIMGroupMemberRole. */
export const GroupMemberRole = { MEMBER: 200, ADMIN: 300, OWNER: 400 } as const;
export type GroupMemberRoleValue = (typeof GroupMemberRole)[keyof typeof GroupMemberRole];

/** V2TIMGroupAddOpt: who may join by themselves (AUTH: an owner or admin accepts each request). */
export const GroupAddOpt = { FORBID: 0, AUTH: 1, ANY: 2 } as const;

/** V2TIMGroupMemberFilter. */
export const GroupMemberFilter = { ALL: 0, OWNER: 1, ADMIN: 2, COMMON: 4 } as const;
export type GroupMemberFilterValue = (typeof GroupMemberFilter)[keyof typeof GroupMemberFilter];

/** V2TIMGroupMemberOperationResult. */
export const GroupMemberOperationResultCode = { FAIL: 0, SUCCESS: 1, INVALID: 2 } as const;

/** V2TIMGroupTipsType. */
export const GroupTipsType = {
  JOIN: 1,
  INVITE: 2,
  QUIT: 3,
  KICKED: 4,
  SET_ADMIN: 5,
  CANCEL_ADMIN: 6,
  GROUP_INFO_CHANGE: 7,
  MEMBER_INFO_CHANGE: 8,
} as const;

/** V2TIMGroupInfo. */
export interface GroupInfo {
  groupID: string;
  groupType: string;
  groupName: string;
  introduction: string;
  notification: string;
  faceURL: string;
  owner: string;
  /** UNIX seconds. */
  createTime: number;
  lastInfoTime: number;
  memberCount: number;
  memberMaxCount: number;
  groupAddOpt: number;
  allMuted: boolean;
  customInfo: Record<string, string>;
  /** The caller's role (0 when not a member) and join time. */
  role: number;
  joinTime: number;
}

/** V2TIMGroupInfoResult. */
export interface GroupInfoResult {
  groupID: string;
  resultCode: number;
  resultMessage: string;
  info?: GroupInfo;
}

/** V2TIMGroupMemberFullInfo. */
export interface GroupMemberFullInfo {
  userID: string;
  nameCard: string;
  role: GroupMemberRoleValue;
  joinTime: number;
  /** UNIX seconds the mute ends; 0 = not muted. */
  muteUntil: number;
  customInfo: Record<string, string>;
}

export interface GroupMemberOperationResult {
  userID: string;
  result: number;
}

export interface CreateGroupParams {
  groupType: GroupType;
  /** Else the server makes one (@TGS#…). */
  groupID?: string;
  groupName: string;
  introduction?: string;
  notification?: string;
  faceURL?: string;
  customInfo?: Record<string, string>;
  /** Members besides the creator (the owner); role ADMIN or MEMBER. */
  memberList?: { userID: string; role?: 200 | 300 }[];
}

/** What setGroupInfo changes: the fields given. customInfo values "" delete their key. */
export interface SetGroupInfoParams {
  groupID: string;
  groupName?: string;
  introduction?: string;
  notification?: string;
  faceURL?: string;
  allMuted?: boolean;
  groupAddOpt?: 0 | 2;
  customInfo?: Record<string, string>;
}

/** One change of a GROUP_INFO_CHANGE tip. */
export interface GroupChangeInfo {
  /** V2TIMGroupInfoChangeType (1 name, 2 introduction, 3 notification, 4 face, 5 owner, 6 custom, 8 all muted…). */
  type: number;
  /** The REST field: Name, Introduction, Notification, FaceUrl, Owner_Account, AppDefinedData, … */
  field: string;
  value: string | number | boolean;
  key?: string;
}

/** The content of a TIMGroupTipElem (V2TIMGroupTipsElem). */
export interface GroupTipsElem {
  groupID: string;
  type: number;
  opMember: string;
  memberList?: string[];
  groupChangeInfoList?: GroupChangeInfo[];
  memberChangeInfoList?: { userID: string; muteTime: number }[];
  reason?: string;
}

/** V2TIMGroupListener. */
export interface GroupListener {
  onMemberEnter(groupID: string, memberList: string[]): void;
  onMemberLeave(groupID: string, member: string): void;
  onMemberInvited(groupID: string, opUser: string, memberList: string[]): void;
  onMemberKicked(groupID: string, opUser: string, memberList: string[]): void;
  onMemberInfoChanged(groupID: string, changeInfoList: { userID: string; muteTime: number }[]): void;
  onGrantAdministrator(groupID: string, opUser: string, memberList: string[]): void;
  onRevokeAdministrator(groupID: string, opUser: string, memberList: string[]): void;
  onGroupInfoChanged(groupID: string, changeInfoList: GroupChangeInfo[]): void;
  /** send_group_system_notification (REST). */
  onReceiveRESTCustomData(groupID: string, customData: string): void;
  /** To the owner and admins: `member` asks to join a NeedPermission group. */
  onReceiveJoinApplication(groupID: string, member: string, opReason: string): void;
  /** To the applicant: its request was accepted (it is now a member) or refused (`isAgreeJoin` false). */
  onApplicationProcessed(groupID: string, opUser: string, isAgreeJoin: boolean, opReason: string): void;
}

/** V2TIMGroupApplication: a pending request to join a group (getGroupApplicationList). */
export interface GroupApplication {
  groupID: string;
  /** The applicant. */
  fromUser: string;
  requestMsg: string;
  /** UNIX seconds. */
  addTime: number;
  /** 0: a request to join. */
  applicationType: number;
}

type Call = (op: GatewayOp, data: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The group tip of a message, if it is one. */
export function groupTipsOf(message: Pick<ReceivedMessage, 'body'>): GroupTipsElem | undefined {
  const el = message.body[0];
  return el?.MsgType === 'TIMGroupTipElem' ? (el.MsgContent as unknown as GroupTipsElem) : undefined;
}

export class GroupManager {
  readonly #listeners = new Set<Partial<GroupListener>>();

  constructor(private readonly call: Call) {}

  addGroupListener(listener: Partial<GroupListener>): void {
    this.#listeners.add(listener);
  }
  removeGroupListener(listener: Partial<GroupListener>): void {
    this.#listeners.delete(listener);
  }

  /** Creates a group owned by the caller; answers its ID. */
  async createGroup(params: CreateGroupParams): Promise<string> {
    const r = await this.call('createGroup', { ...params });
    return String(r.groupID);
  }
  /**
   * Joins a group that lets anyone join (groupAddOpt ANY), or asks to join one whose owner or admins approve
   * (AUTH): then the request is pending (`message` is its note) and the user becomes a member when one of
   * them accepts it (onApplicationProcessed).
   */
  async joinGroup(groupID: string, message = ''): Promise<void> {
    await this.call('joinGroup', { groupID, ...(message ? { message } : {}) });
  }
  /** Pending requests to join the groups this user owns or administers, and its own, newest first. */
  async getGroupApplicationList(): Promise<GroupApplication[]> {
    const r = await this.call('getGroupApplicationList', {});
    return r.applications as GroupApplication[];
  }
  /** Accepts `userID`'s request to join (owner or admin): it becomes a member. */
  async acceptGroupApplication(groupID: string, userID: string, reason = ''): Promise<void> {
    await this.call('acceptGroupApplication', { groupID, userID, ...(reason ? { reason } : {}) });
  }
  /**
   * Refuses `userID`'s request to join (owner or admin): the request is removed and the applicant's online
   * devices get onApplicationProcessed with isAgreeJoin false and `reason`.
   */
  async refuseGroupApplication(groupID: string, userID: string, reason = ''): Promise<void> {
    await this.call('refuseGroupApplication', { groupID, userID, ...(reason ? { reason } : {}) });
  }
  /** Leaves a group (the owner of a Public or Meeting group cannot: 10009). */
  async quitGroup(groupID: string): Promise<void> {
    await this.call('quitGroup', { groupID });
  }
  /** Work groups: any member adds others. Per user: SUCCESS, INVALID (already a member) or FAIL. */
  async inviteUserToGroup(groupID: string, userList: string[]): Promise<GroupMemberOperationResult[]> {
    const r = await this.call('inviteUserToGroup', { groupID, userList });
    return r.results as GroupMemberOperationResult[];
  }
  /** The owner (and in Public/Meeting groups the admins, for members) removes members. */
  async kickGroupMember(
    groupID: string,
    memberList: string[],
    reason?: string,
  ): Promise<GroupMemberOperationResult[]> {
    const r = await this.call('kickGroupMember', {
      groupID,
      memberList,
      ...(reason ? { reason } : {}),
    });
    return r.results as GroupMemberOperationResult[];
  }
  async getGroupsInfo(groupIDList: string[]): Promise<GroupInfoResult[]> {
    const r = await this.call('getGroupsInfo', { groupIDList });
    return r.results as GroupInfoResult[];
  }
  async setGroupInfo(info: SetGroupInfoParams): Promise<void> {
    await this.call('setGroupInfo', { ...info });
  }
  /** A page of members (at most `count`, 100 by default); pass the answered nextSeq on (0 = the last page). */
  async getGroupMemberList(
    groupID: string,
    filter: GroupMemberFilterValue = GroupMemberFilter.ALL,
    nextSeq = 0,
    count?: number,
  ): Promise<{ nextSeq: number; memberInfoList: GroupMemberFullInfo[] }> {
    const r = await this.call('getGroupMemberList', {
      groupID,
      filter,
      nextSeq,
      ...(count !== undefined ? { count } : {}),
    });
    return { nextSeq: Number(r.nextSeq), memberInfoList: r.memberInfoList as GroupMemberFullInfo[] };
  }
  /** Mutes a member for `seconds` (0 lifts it); not in Work groups. */
  async muteGroupMember(groupID: string, userID: string, seconds: number): Promise<void> {
    await this.call('muteGroupMember', { groupID, userID, seconds });
  }

  /** Every received message passes here first: group tips and system notifications reach the listeners. */
  onMessage(message: ReceivedMessage): void {
    const el = message.body[0];
    if (el?.MsgType === 'TIMGroupSystemNotifyElem') {
      const c = el.MsgContent as {
        type?: string;
        groupID?: string;
        content?: string;
        applicant?: string;
        opReason?: string;
        isAgreeJoin?: boolean;
      };
      const g = String(c.groupID);
      if (c.type === 'JoinApplication')
        this.#emit((l) => l.onReceiveJoinApplication?.(g, String(c.applicant), c.opReason ?? ''));
      else if (c.type === 'ApplicationProcessed')
        this.#emit((l) =>
          l.onApplicationProcessed?.(g, message.from, c.isAgreeJoin === true, c.opReason ?? ''),
        );
      else this.#emit((l) => l.onReceiveRESTCustomData?.(g, String(c.content)));
      return;
    }
    const tip = groupTipsOf(message);
    if (!tip) return;
    const g = tip.groupID;
    const members = tip.memberList ?? [];
    switch (tip.type) {
      case GroupTipsType.JOIN:
        this.#emit((l) => l.onMemberEnter?.(g, members));
        break;
      case GroupTipsType.INVITE:
        this.#emit((l) => l.onMemberInvited?.(g, tip.opMember, members));
        break;
      case GroupTipsType.QUIT:
        for (const m of members) this.#emit((l) => l.onMemberLeave?.(g, m));
        break;
      case GroupTipsType.KICKED:
        this.#emit((l) => l.onMemberKicked?.(g, tip.opMember, members));
        break;
      case GroupTipsType.SET_ADMIN:
        this.#emit((l) => l.onGrantAdministrator?.(g, tip.opMember, members));
        break;
      case GroupTipsType.CANCEL_ADMIN:
        this.#emit((l) => l.onRevokeAdministrator?.(g, tip.opMember, members));
        break;
      case GroupTipsType.GROUP_INFO_CHANGE:
        this.#emit((l) => l.onGroupInfoChanged?.(g, tip.groupChangeInfoList ?? []));
        break;
      case GroupTipsType.MEMBER_INFO_CHANGE:
        this.#emit((l) => l.onMemberInfoChanged?.(g, tip.memberChangeInfoList ?? []));
        break;
    }
  }

  /**
   * An answer to this user's join request that came as a per-user notice (a refusal: the applicant is not a
   * member, so no group notice reaches it; chat.ts forwards it).
   */
  onApplicationProcessed(groupID: string, opUser: string, isAgreeJoin: boolean, opReason: string): void {
    this.#emit((l) => l.onApplicationProcessed?.(groupID, opUser, isAgreeJoin, opReason));
  }

  #emit(f: (l: Partial<GroupListener>) => void): void {
    for (const l of [...this.#listeners]) {
      try {
        f(l);
      } catch {
        // A listener's error must not stop the others.
      }
    }
  }
}
