// PushlineChat: the client API, named after Tencent's V2TIM where V2TIM has a name. The session under it
// (session.ts) keeps the connection alive; this class maps calls to gateway ops and results to SDK types.
import { GroupManager, type GroupType } from './groups.js';
import type { WebSocketConstructor } from './link.js';
import { ChatSession, type LoginParams, type PushlineChatOptions, type PushlineListener } from './session.js';
import { SignalingManager } from './signaling.js';
import type {
  AllReceiveMessageOpt,
  ConnectionState,
  Conversation,
  FriendAcceptTypeValue,
  FriendAddApplication,
  FriendApplication,
  FriendApplicationTypeValue,
  FriendCheckResult,
  FriendInfo,
  FriendOperationResult,
  FriendTypeValue,
  LoginStatusValue,
  Message,
  OfflinePushConfig,
  ReceiveMessageOptValue,
  SelfInfo,
  SendMessageParams,
  SendMessageResult,
  UserFullInfo,
} from './types.js';
import { PushlineError, SdkErrorCode } from './types.js';

export type { LoginParams, PushlineChatOptions, PushlineListener } from './session.js';

export class PushlineChat {
  readonly #listeners = new Set<Partial<PushlineListener>>();
  readonly #session: ChatSession;
  readonly #now: () => number;
  readonly #signaling: SignalingManager;
  readonly #apiUrl: string;
  readonly #groups: GroupManager;

  constructor(options: PushlineChatOptions) {
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new Error('no global WebSocket: pass options.WebSocket (for example `ws` on Node 20)');
    const opts = {
      requestTimeoutMs: 15_000,
      reconnectMinDelayMs: 500,
      reconnectMaxDelayMs: 30_000,
      now: () => Date.now(),
      ...options,
      WebSocket: Ctor,
    };
    this.#now = opts.now;
    this.#apiUrl = (options.apiUrl ?? httpOrigin(options.url)).replace(/\/+$/, '');
    this.#session = new ChatSession(
      opts,
      (name, ...args) => this.#emit(name, ...args),
      (event, data) => this.#onNotice(event, data),
    );
    const signaling = new SignalingManager(
      (op, data) => this.#session.call(op, data),
      () => this.#session.userID,
      () => this.#session.serverNow(),
    );
    this.#signaling = signaling;
    // Signaling messages are chat messages too: the manager sees each one before the app's listeners.
    this.#listeners.add({ onRecvNewMessage: (m) => signaling.onMessage(m) });
    const groups = new GroupManager((op, data) => this.#session.call(op, data));
    this.#groups = groups;
    // Group tips and system notifications reach the group listeners (groups.ts).
    this.#listeners.add({ onRecvNewMessage: (m) => groups.onMessage(m) });
  }

  /** Group management and the group listener (V2TIMManager.getGroupManager). */
  getGroupManager(): GroupManager {
    return this.#groups;
  }
  /** V2TIMManager.createGroup: a group owned by the caller; answers its ID (the group manager takes more fields). */
  createGroup(groupType: GroupType, groupID: string | undefined, groupName: string): Promise<string> {
    return this.#groups.createGroup({ groupType, groupName, ...(groupID ? { groupID } : {}) });
  }
  /** V2TIMManager.joinGroup. */
  joinGroup(groupID: string, message = ''): Promise<void> {
    return this.#groups.joinGroup(groupID, message);
  }
  /** V2TIMManager.quitGroup. */
  quitGroup(groupID: string): Promise<void> {
    return this.#groups.quitGroup(groupID);
  }

  /** Call invitations (V2TIMManager.getSignalingManager). */
  getSignalingManager(): SignalingManager {
    return this.#signaling;
  }

  addListener(listener: Partial<PushlineListener>): void {
    this.#listeners.add(listener);
  }
  removeListener(listener: Partial<PushlineListener>): void {
    this.#listeners.delete(listener);
  }

  getLoginStatus(): LoginStatusValue {
    return this.#session.status;
  }
  getLoginUser(): string | undefined {
    return this.#session.userID;
  }
  getConnectionState(): ConnectionState {
    return this.#session.state;
  }
  /** The highest message seq processed; persist it with the instance ID to resume after a restart. */
  getLastSeq(): number {
    return this.#session.lastSeq;
  }

  /** Logs in and keeps the session alive until `logout`, a kick or an expired UserSig. */
  login(params: LoginParams): Promise<void> {
    return this.#session.login(params);
  }

  /** Logs out on the server, which removes this device's push binding. */
  logout(): Promise<void> {
    return this.#session.logout();
  }

  async setOfflinePushConfig(config: OfflinePushConfig | null): Promise<void> {
    await this.#session.call('setOfflinePushConfig', { config });
  }
  /** The app went to the background: the server pushes from now on, with this badge base. */
  async doBackground(unreadCount = 0): Promise<void> {
    await this.#session.call('doBackground', { unreadCount });
  }
  async doForeground(): Promise<void> {
    await this.#session.call('doForeground');
  }

  /**
   * The user opened a notification: reports its PushID so that the push's trace and statistics count the
   * click. The PushID is the `pushId` key Pushline puts next to `ext` in every notification (APNs payload,
   * Android extras, Web Push data; docs/push-payloads.md). An app opened from a notification may report
   * before logging in by passing the user's `userSig`.
   */
  async reportNotificationClick(
    pushId: string,
    options: { userSig?: string; clickedAt?: number } = {},
  ): Promise<void> {
    const userSig = options.userSig ?? this.#session.userSig;
    if (!userSig) throw new PushlineError(SdkErrorCode.NotLoggedIn, 'log in first, or pass the userSig');
    const clickedAt = options.clickedAt !== undefined ? { clickedAt: options.clickedAt } : {};
    const res = await fetch(`${this.#apiUrl}/api/client/push-click`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userSig}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pushId, ...clickedAt }),
    });
    const answer = (await res.json().catch(() => ({}))) as { code?: number; error?: string };
    if (!res.ok || answer.code !== 0) {
      throw new PushlineError(
        answer.code ?? res.status,
        answer.error ?? `click report failed: HTTP ${res.status}`,
      );
    }
  }

  async sendMessage(params: SendMessageParams): Promise<SendMessageResult> {
    const { groupID, ...rest } = params;
    const r = await this.#session.call('sendMessage', {
      ...rest,
      ...(groupID !== undefined ? { groupId: groupID } : {}),
    });
    return {
      msgKey: String(r.msgKey),
      msgSeq: Number(r.msgSeq),
      msgTime: Number(r.msgTime),
      duplicate: r.duplicate === true,
    };
  }

  /**
   * Recalls a message this user sent (V2TIM revokeMessage), or, as a group owner or admin, any message of
   * the group; within the app's time limit (2 minutes: 20016 for C2C, 10031 for groups after it). Everyone's
   * devices get onRecvMessageRevoked and the message leaves history; delivered notifications are retracted.
   */
  async revokeMessage(
    message: Pick<Message, 'msgKey' | 'type'> & { to?: string; groupId?: string; conversationID?: string },
  ): Promise<void> {
    const conversationId =
      message.conversationID ??
      (message.type === 'group' ? `group_${message.groupId ?? ''}` : `c2c_${message.to ?? ''}`);
    await this.#session.call('revokeMessage', { conversationId, msgKey: message.msgKey });
  }

  /** Resets the conversation's unread count on every device of the user; returns the new total. */
  async markConversationRead(conversationID: string): Promise<number> {
    const r = await this.#session.call('markConversationRead', { conversationId: conversationID });
    return Number(r.totalUnread);
  }

  /**
   * The profiles of these users (1 to 100), in the order asked; users that do not exist are left out
   * (V2TIMManager.getUsersInfo).
   */
  async getUsersInfo(userIDList: string[]): Promise<UserFullInfo[]> {
    const r = await this.#session.call('getUsersInfo', { userIds: userIDList });
    return (r.users as WireUserInfo[]).map(fromWireUser);
  }

  /**
   * Changes the logged-in user's own profile: only the fields given (V2TIMManager.setSelfInfo). The nickname
   * is the one other users' notifications name. Returns the profile as it now is.
   */
  async setSelfInfo(info: SelfInfo): Promise<UserFullInfo> {
    const r = await this.#session.call('setSelfInfo', {
      ...(info.nickName !== undefined ? { nickName: info.nickName } : {}),
      ...(info.faceURL !== undefined ? { faceUrl: info.faceURL } : {}),
      ...(info.allowType !== undefined ? { allowType: info.allowType } : {}),
      ...(info.customInfo !== undefined ? { customInfo: info.customInfo } : {}),
    });
    return fromWireUser(r.user as WireUserInfo);
  }

  async getConversationList(): Promise<{ conversations: Conversation[]; totalUnread: number }> {
    const r = await this.#session.call('getConversationList');
    const list = r.conversations as {
      conversationId: string;
      unread: number;
      lastMessage: Message | null;
      updatedAt: number;
      pinned: boolean;
    }[];
    return {
      conversations: list.map((c) => ({
        conversationID: c.conversationId,
        unreadCount: c.unread,
        lastMessage: c.lastMessage,
        updatedAt: c.updatedAt,
        isPinned: c.pinned === true,
      })),
      totalUnread: Number(r.totalUnread),
    };
  }

  /** Pins or unpins a conversation (V2TIMConversationManager.pinConversation); pinned ones are listed first. */
  async pinConversation(conversationID: string, isPinned: boolean): Promise<void> {
    await this.#session.call('pinConversation', { conversationId: conversationID, isPinned });
  }

  /**
   * Deletes a conversation and this user's copies of its messages, on every device of the user
   * (V2TIMConversationManager.deleteConversation); they hear onConversationDeleted.
   */
  async deleteConversation(conversationID: string): Promise<void> {
    await this.#session.call('deleteConversation', { conversationId: conversationID });
  }

  /** The logged-in user's friends, oldest first (V2TIMFriendshipManager.getFriendList). */
  async getFriendList(): Promise<FriendInfo[]> {
    const r = await this.#session.call('getFriendList');
    return (r.friends as WireFriend[]).map(fromWireFriend);
  }

  /**
   * Adds a friend (V2TIMFriendshipManager.addFriend), by default both ways. The peer's allowType decides: a
   * peer that accepts anyone is added at once (resultCode 0); one that accepts nobody answers 30516; one that
   * must confirm answers 30539 and keeps a pending request (getFriendApplicationList) until it accepts it or
   * adds this user back. Adding a user whose own request to this one is pending accepts that request.
   */
  async addFriend(application: FriendAddApplication): Promise<FriendOperationResult> {
    const r = await this.#session.call('addFriend', { ...application });
    return r.result as FriendOperationResult;
  }

  /** Pending friend requests received (COME_IN) and sent (SEND_OUT), newest first (getFriendApplicationList). */
  async getFriendApplicationList(): Promise<FriendApplication[]> {
    const r = await this.#session.call('getFriendApplicationList');
    return r.applications as FriendApplication[];
  }

  /**
   * Accepts `userID`'s pending request (acceptFriendApplication): AGREE puts this user in the requester's
   * list; AGREE_AND_ADD (default) also the requester in this user's. 31704 when no request is pending.
   */
  async acceptFriendApplication(
    userID: string,
    responseType: FriendAcceptTypeValue = 1,
  ): Promise<FriendOperationResult> {
    const r = await this.#session.call('acceptFriendApplication', { userID, responseType });
    return r.result as FriendOperationResult;
  }

  /** Refuses `userID`'s pending request (refuseFriendApplication): it is removed, nobody is added. */
  async refuseFriendApplication(userID: string): Promise<FriendOperationResult> {
    const r = await this.#session.call('refuseFriendApplication', { userID });
    return r.result as FriendOperationResult;
  }

  /** Removes a pending request (deleteFriendApplication): the one `userID` sent (COME_IN) or the one sent to it. */
  async deleteFriendApplication(
    userID: string,
    type: FriendApplicationTypeValue,
  ): Promise<FriendOperationResult> {
    const r = await this.#session.call('deleteFriendApplication', { userID, type });
    return r.result as FriendOperationResult;
  }

  /** Removes friends (V2TIMFriendshipManager.deleteFromFriendList); BOTH (default) removes both directions. */
  async deleteFromFriendList(
    userIDList: string[],
    deleteType: FriendTypeValue = 2,
  ): Promise<FriendOperationResult[]> {
    const r = await this.#session.call('deleteFromFriendList', { userIDList, deleteType });
    return r.results as FriendOperationResult[];
  }

  /** How these users relate to the logged-in one (V2TIMFriendshipManager.checkFriend); default BOTH. */
  async checkFriend(userIDList: string[], checkType: FriendTypeValue = 2): Promise<FriendCheckResult[]> {
    const r = await this.#session.call('checkFriend', { userIDList, checkType });
    return r.results as FriendCheckResult[];
  }

  /**
   * Blocks users (V2TIMFriendshipManager.addToBlackList): their C2C messages to this user are refused (20007)
   * and any friendship with them ends both ways.
   */
  async addToBlackList(userIDList: string[]): Promise<FriendOperationResult[]> {
    const r = await this.#session.call('addToBlackList', { userIDList });
    return r.results as FriendOperationResult[];
  }

  async deleteFromBlackList(userIDList: string[]): Promise<FriendOperationResult[]> {
    const r = await this.#session.call('deleteFromBlackList', { userIDList });
    return r.results as FriendOperationResult[];
  }

  /** The users this one blocked, oldest first (V2TIMFriendshipManager.getBlackList). */
  async getBlackList(): Promise<FriendInfo[]> {
    const r = await this.#session.call('getBlackList');
    return (r.users as { userID: string; addTime: number; userFullInfo?: WireUserInfo }[]).map((u) => ({
      userID: u.userID,
      friendRemark: '',
      friendGroups: [],
      addTime: u.addTime,
      ...(u.userFullInfo ? { userFullInfo: fromWireUser(u.userFullInfo) } : {}),
    }));
  }

  async getTotalUnreadMessageCount(): Promise<number> {
    return Number((await this.#session.call('getTotalUnreadMessageCount')).totalUnread);
  }

  /** Newest first; page with `beforeSeq` = the lowest seq of the previous page. */
  async getMessageList(params: { conversationID: string; count?: number; beforeSeq?: number }) {
    const r = await this.#session.call('getMessageList', {
      conversationId: params.conversationID,
      ...(params.count !== undefined ? { count: params.count } : {}),
      ...(params.beforeSeq !== undefined ? { beforeSeq: params.beforeSeq } : {}),
    });
    return (r.messages as { seq: number; conversationId: string; message: Message }[]).map((e) => ({
      ...e.message,
      seq: e.seq,
      conversationID: e.conversationId,
    }));
  }

  async setC2CReceiveMessageOpt(userIDList: string[], opt: ReceiveMessageOptValue): Promise<void> {
    await this.#session.call('setC2CReceiveMessageOpt', { userIds: userIDList, opt });
  }
  async getC2CReceiveMessageOpt(
    userIDList: string[],
  ): Promise<{ userID: string; opt: ReceiveMessageOptValue }[]> {
    const r = await this.#session.call('getC2CReceiveMessageOpt', { userIds: userIDList });
    return (r.options as { userId: string; opt: ReceiveMessageOptValue }[]).map((o) => ({
      userID: o.userId,
      opt: o.opt,
    }));
  }
  async setGroupReceiveMessageOpt(groupID: string, opt: ReceiveMessageOptValue): Promise<void> {
    await this.#session.call('setGroupReceiveMessageOpt', { groupId: groupID, opt });
  }
  async getGroupReceiveMessageOpt(groupID: string): Promise<ReceiveMessageOptValue> {
    return (await this.#session.call('getGroupReceiveMessageOpt', { groupId: groupID }))
      .opt as ReceiveMessageOptValue;
  }

  /**
   * Global do-not-disturb from a local time of day: daily for `duration` seconds when under 24 h,
   * permanent from then on when 24 h or more. `opt` is RECEIVE_MESSAGE (off) or RECEIVE_NOT_NOTIFY_MESSAGE.
   */
  async setAllReceiveMessageOpt(
    opt: 0 | 2,
    startHour: number,
    startMinute: number,
    startSecond: number,
    duration: number,
  ): Promise<void> {
    const now = this.#now();
    const start = new Date(now);
    start.setHours(startHour, startMinute, startSecond, 0);
    let startTimeStamp = Math.floor(start.getTime() / 1000);
    // A daily window that starts later today began yesterday as far as "now" is concerned.
    if (duration < 86_400 && startTimeStamp * 1000 > now) startTimeStamp -= 86_400;
    await this.setAllReceiveMessageOptByTimestamp(opt, startTimeStamp, duration);
  }

  /** Global do-not-disturb from a UTC start (UNIX seconds). */
  async setAllReceiveMessageOptByTimestamp(
    opt: 0 | 2,
    startTimeStamp: number,
    duration: number,
  ): Promise<void> {
    await this.#session.call('setAllReceiveMessageOpt', { opt, startTimeStamp, duration });
  }

  async getAllReceiveMessageOpt(): Promise<AllReceiveMessageOpt> {
    return (await this.#session.call('getAllReceiveMessageOpt')) as unknown as AllReceiveMessageOpt;
  }

  /** Friend and group notices the server sends to this user alone (sns/friend-notices.ts on the server). */
  #onNotice(event: string, data: Record<string, unknown>): void {
    if (event === 'friendApplicationListAdded')
      this.#emit('onFriendApplicationListAdded', data.applications as FriendApplication[]);
    else if (event === 'friendApplicationListDeleted')
      this.#emit('onFriendApplicationListDeleted', data.userIDList as string[]);
    else if (event === 'friendListAdded') this.#emit('onFriendListAdded', data.friends as FriendInfo[]);
    else if (event === 'friendListDeleted') this.#emit('onFriendListDeleted', data.userIDList as string[]);
    else if (event === 'blackListAdded') this.#emit('onBlackListAdded', data.userIDList as string[]);
    else if (event === 'blackListDeleted') this.#emit('onBlackListDeleted', data.userIDList as string[]);
    else if (event === 'groupApplicationProcessed')
      this.#groups.onApplicationProcessed(
        String(data.groupID),
        String(data.opUser),
        data.isAgreeJoin === true,
        String(data.opReason ?? ''),
      );
  }

  #emit<K extends keyof PushlineListener>(name: K, ...args: Parameters<PushlineListener[K]>): void {
    for (const l of this.#listeners) {
      const fn = l[name] as ((...a: Parameters<PushlineListener[K]>) => void) | undefined;
      try {
        fn?.(...args);
      } catch {
        // a listener's error must not break the SDK
      }
    }
  }
}

/** `wss://host/ws` -> `https://host`: the server's HTTP API is on the gateway's host. */
function httpOrigin(gatewayUrl: string): string {
  const u = new URL(gatewayUrl);
  const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  return `${protocol}//${u.host}`;
}

interface WireUserInfo {
  userId: string;
  nickName: string;
  faceUrl: string;
  allowType: UserFullInfo['allowType'];
  customInfo: Record<string, string | number>;
}

interface WireFriend {
  userID: string;
  friendRemark: string;
  friendGroups: string[];
  addTime: number;
  userFullInfo?: WireUserInfo;
}

function fromWireFriend(f: WireFriend): FriendInfo {
  return {
    userID: f.userID,
    friendRemark: f.friendRemark,
    friendGroups: f.friendGroups,
    addTime: f.addTime,
    ...(f.userFullInfo ? { userFullInfo: fromWireUser(f.userFullInfo) } : {}),
  };
}

function fromWireUser(u: WireUserInfo): UserFullInfo {
  return {
    userID: u.userId,
    nickName: u.nickName,
    faceURL: u.faceUrl,
    allowType: u.allowType,
    customInfo: u.customInfo,
  };
}
