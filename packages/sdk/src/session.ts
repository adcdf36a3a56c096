// The logged-in session under PushlineChat: connects, logs in, heartbeats, reconnects with exponential
// backoff and resumes from the last message seq it processed, so nothing is lost or reported twice.
import type { GatewayOp } from '@pushline/contracts';
import { Link, type WebSocketConstructor } from './link.js';
import {
  type ConnectionState,
  type Conversation,
  type FriendApplication,
  type FriendInfo,
  LoginStatus,
  type LoginStatusValue,
  type Message,
  type ModifiedMessage,
  type Platform,
  PushlineError,
  type ReceivedMessage,
  type RevokedMessageInfo,
  SdkErrorCode,
} from './types.js';

export interface PushlineListener {
  onConnecting(): void;
  onConnectSuccess(): void;
  onConnectFailed(code: number, message: string): void;
  onConnectionStateChanged(state: ConnectionState): void;
  /** Another login beyond the app's policy, or the administrator, ended this session. */
  onKickedOffline(code: number, reason: string): void;
  onUserSigExpired(): void;
  onRecvNewMessage(message: ReceivedMessage): void;
  /**
   * A message was recalled (V2TIM onRecvMessageRevoked): it is gone from history and the conversation list;
   * remove it from the screen. Its notification, if this device showed one, is retracted by the push.
   */
  onRecvMessageRevoked(info: RevokedMessageInfo): void;
  /** A message of this user's conversations was edited (V2TIM's onRecvMessageModified). */
  onRecvMessageModified(message: ModifiedMessage): void;
  /**
   * A conversation's unread count changed (e.g. marked read on another device), or it was pinned or unpinned
   * (`isPinned` present then).
   */
  onConversationChanged(
    conversations: (Pick<Conversation, 'conversationID' | 'unreadCount'> & { isPinned?: boolean })[],
  ): void;
  onTotalUnreadMessageCountChanged(total: number): void;
  /** Conversations were deleted (deleteConversation here or on another device, or REST recentcontact/delete). */
  onConversationDeleted(conversationIDList: string[]): void;
  /**
   * New pending friend requests (V2TIMFriendshipListener.onFriendApplicationListAdded): one this user
   * received (type COME_IN) or sent, from any device or by REST friend_add (SEND_OUT).
   */
  onFriendApplicationListAdded(applications: FriendApplication[]): void;
  /**
   * Friend requests gone from this user's list (onFriendApplicationListDeleted): accepted, refused, deleted,
   * or answered by adding back; the other user of each.
   */
  onFriendApplicationListDeleted(userIDList: string[]): void;
  /** Users who entered this user's friend list (onFriendListAdded), e.g. when a request was accepted. */
  onFriendListAdded(users: FriendInfo[]): void;
  /** Users removed from this user's friend list, on any device or by REST (onFriendListDeleted). */
  onFriendListDeleted(userIDList: string[]): void;
  /**
   * Users this user blocked, on any device or by REST (V2TIM's onBlackListAdded, which passes profiles:
   * here the UserIDs; `getBlackList()` has the rest).
   */
  onBlackListAdded(userIDList: string[]): void;
  /** Users this user unblocked (onBlackListDeleted). */
  onBlackListDeleted(userIDList: string[]): void;
  /** The server refused a frame (protocol error). */
  onError(code: number, message: string): void;
}

export interface PushlineChatOptions {
  /** Gateway URL, e.g. `wss://chat.example.com/ws`. */
  url: string;
  /**
   * HTTP base URL of the server for the calls that are not on the gateway (click reports); default: the
   * gateway's origin with `ws:` -> `http:`, `wss:` -> `https:`.
   */
  apiUrl?: string;
  sdkAppId: number;
  /** WebSocket implementation; defaults to the global one (browsers, React Native, Node 22+). */
  WebSocket?: WebSocketConstructor;
  requestTimeoutMs?: number;
  /** First reconnect delay; doubles per failed attempt up to `reconnectMaxDelayMs`. */
  reconnectMinDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Clock (UNIX ms) for the local-time DND helpers. */
  now?: () => number;
}

export interface LoginParams {
  userID: string;
  userSig: string;
  platform: Platform;
  /** Stable ID of this app installation; reuse it across app starts to resume its message stream. */
  instanceID?: string;
  /** The last message seq the app processed before, if it keeps one across restarts. */
  lastSeq?: number;
}

/** Codes after which reconnecting cannot help. */

const FATAL_LOGIN_CODES = new Set([70001, 70002, 70003, 70009, 70013, 70014, 70020, 70052]);

export type SessionOptions = Required<Omit<PushlineChatOptions, 'WebSocket' | 'apiUrl'>> & {
  apiUrl?: string;
  WebSocket: WebSocketConstructor;
};
export type Emit = <K extends keyof PushlineListener>(
  name: K,
  ...args: Parameters<PushlineListener[K]>
) => void;

export class ChatSession {
  #link: Link | undefined;
  #session: (Required<Omit<LoginParams, 'lastSeq'>> & { lastSeq?: number }) | undefined;
  #status: LoginStatusValue = LoginStatus.LOGOUT;
  #state: ConnectionState = 'disconnected';
  #lastSeq = 0;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #ackScheduled = false;
  /** Server clock minus this device's clock, from the login answer (device clocks can be off). */
  #serverOffset = 0;

  constructor(
    private readonly opts: SessionOptions,
    private readonly emit: Emit,
    /** Feature events the session does not interpret itself (friend and group notices: chat.ts). */
    private readonly onNotice: (event: string, data: Record<string, unknown>) => void = () => undefined,
  ) {}

  get status(): LoginStatusValue {
    return this.#status;
  }
  get state(): ConnectionState {
    return this.#state;
  }
  get lastSeq(): number {
    return this.#lastSeq;
  }
  get userID(): string | undefined {
    return this.#session?.userID;
  }
  /** The server's time (UNIX ms) as of the last login: what invitation timeouts are measured in. */
  serverNow(): number {
    return this.opts.now() + this.#serverOffset;
  }
  get userSig(): string | undefined {
    return this.#session?.userSig;
  }

  async login(params: LoginParams): Promise<void> {
    if (this.#status !== LoginStatus.LOGOUT) {
      throw new PushlineError(SdkErrorCode.NotLoggedIn, 'already logged in or logging in: log out first');
    }
    this.#session = { instanceID: params.instanceID ?? randomInstanceId(), ...params };
    this.#lastSeq = params.lastSeq ?? 0;
    this.#status = LoginStatus.LOGINING;
    try {
      await this.#connect(false);
      this.#status = LoginStatus.LOGINED;
    } catch (err) {
      this.#reset();
      throw err;
    }
  }

  /**
   * Logs out on the server, which removes this device's push binding. While reconnecting it connects once
   * more to do so; if that fails it rejects (the device may still get pushes until it logs out).
   */
  async logout(): Promise<void> {
    try {
      if (this.#status !== LoginStatus.LOGINED) return;
      if (this.#state !== 'connected' || !this.#link) {
        if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
        this.#reconnectTimer = undefined;
        await this.#connect(true);
      }
      await this.#link?.request('logout');
    } finally {
      this.#reset();
    }
  }

  /** Reports this device's push token; `null` removes it (no more offline pushes to this device). */

  async call(op: GatewayOp, data: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.#status !== LoginStatus.LOGINED || !this.#link || this.#state !== 'connected') {
      throw new PushlineError(
        SdkErrorCode.NotLoggedIn,
        this.#status === LoginStatus.LOGINED ? 'reconnecting' : 'not logged in',
      );
    }
    return this.#link.request(op, data);
  }

  async #connect(isReconnect: boolean): Promise<void> {
    const session = this.#session!;
    this.#setState(isReconnect ? 'reconnecting' : 'connecting');
    this.emit('onConnecting');
    const link = new Link(
      this.opts.url,
      this.opts.WebSocket,
      {
        onEvent: (event, data) => this.#onEvent(event, data),
        onServerError: (code, message) => this.emit('onError', code, message),
        onClose: () => this.#onClose(link),
      },
      this.opts.requestTimeoutMs,
    );
    this.#link = link;
    try {
      await link.opened();
      const r = await link.request('login', {
        sdkAppId: this.opts.sdkAppId,
        userId: session.userID,
        userSig: session.userSig,
        platform: session.platform,
        instanceId: session.instanceID,
        ...(isReconnect || session.lastSeq !== undefined ? { lastSeq: this.#lastSeq } : {}),
      });
      // Messages may arrive before the login answer; never move the cursor back.
      this.#lastSeq = Math.max(this.#lastSeq, Number(r.resumeFromSeq ?? 0));
      if (typeof r.serverTime === 'number') this.#serverOffset = r.serverTime - this.opts.now();
      if (typeof r.maxInFlight === 'number') link.setMaxInFlight(r.maxInFlight);
      this.#attempt = 0;
      this.#startHeartbeat(Number(r.heartbeatIntervalMs ?? 30_000));
      this.#setState('connected');
      this.emit('onConnectSuccess');
    } catch (err) {
      const e = err as PushlineError;
      this.emit('onConnectFailed', e.code ?? SdkErrorCode.ConnectionLost, e.message);
      if (this.#link === link) this.#link = undefined;
      link.close();
      throw err;
    }
  }

  #onEvent(event: string, data: Record<string, unknown>): void {
    if (event === 'message') {
      this.#onMessage(data);
    } else if (event === 'kicked') {
      this.#reset();
      this.emit('onKickedOffline', Number(data.code), String(data.reason));
    } else if (event === 'userSigExpired') {
      this.#reset();
      this.emit('onUserSigExpired');
    } else if (event === 'messageRevoked') {
      this.emit('onRecvMessageRevoked', {
        conversationID: String(data.conversationId),
        msgKey: String(data.msgKey),
        msgSeq: Number(data.msgSeq),
        type: data.type === 'group' ? 'group' : 'c2c',
        from: String(data.from),
        ...(typeof data.to === 'string' ? { to: data.to } : {}),
        ...(typeof data.groupId === 'string' ? { groupId: data.groupId } : {}),
        revoker: String(data.revoker),
      });
    } else if (event === 'messageModified') {
      this.emit('onRecvMessageModified', {
        ...(data.message as Message),
        conversationID: String(data.conversationId),
      });
    } else if (event === 'conversationChanged') {
      this.emit('onConversationChanged', [
        {
          conversationID: String(data.conversationId),
          unreadCount: Number(data.unread),
          ...(typeof data.pinned === 'boolean' ? { isPinned: data.pinned } : {}),
        },
      ]);
      this.emit('onTotalUnreadMessageCountChanged', Number(data.totalUnread));
    } else if (event === 'conversationDeleted') {
      this.emit('onConversationDeleted', [String(data.conversationId)]);
      this.emit('onTotalUnreadMessageCountChanged', Number(data.totalUnread));
    } else {
      this.onNotice(event, data);
    }
  }

  #onMessage(data: Record<string, unknown>): void {
    const seq = typeof data.seq === 'number' ? data.seq : undefined;
    if (seq !== undefined) {
      if (seq <= this.#lastSeq) return; // already processed (resume overlap)
      this.#lastSeq = seq;
      this.#scheduleAck();
    }
    if (data.fromThisDevice === true) return;
    const message = data.message as Message;
    this.emit('onRecvNewMessage', {
      ...message,
      conversationID: String(data.conversationId),
      ...(seq !== undefined ? { seq } : {}),
      isSelf: message.from === this.#session?.userID,
      onlineOnly: data.onlineOnly === true,
    });
  }

  #scheduleAck(): void {
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    setTimeout(() => {
      this.#ackScheduled = false;
      this.#link?.post({ type: 'ack', seq: this.#lastSeq });
    }, 0);
  }

  #startHeartbeat(intervalMs: number): void {
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      const link = this.#link;
      link?.request('heartbeat').catch(() => link.close(4000, 'heartbeat failed'));
    }, intervalMs);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  #onClose(link: Link): void {
    if (this.#link !== link) return;
    this.#link = undefined;
    this.#stopHeartbeat();
    const wasConnected = this.#state === 'connected';
    if (this.#status !== LoginStatus.LOGINED) {
      this.#setState('disconnected');
      return;
    }
    // A failed (re)connect attempt is retried by whoever started it; only a live link that dropped is ours.
    if (wasConnected) {
      this.#setState('reconnecting');
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    const { reconnectMinDelayMs: min, reconnectMaxDelayMs: max } = this.opts;
    const delay = Math.min(max, min * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#status !== LoginStatus.LOGINED) return;
      this.#connect(true).catch((err: PushlineError) => {
        if (this.#status !== LoginStatus.LOGINED) return;
        if (FATAL_LOGIN_CODES.has(err.code)) {
          this.#reset();
          if (err.code === SdkErrorCode.UserSigExpired || err.code === 70052) this.emit('onUserSigExpired');
          return;
        }
        this.#scheduleReconnect();
      });
    }, delay);
  }

  /** Back to logged out: no socket, no timers. */
  #reset(): void {
    this.#status = LoginStatus.LOGOUT;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#stopHeartbeat();
    const link = this.#link;
    this.#link = undefined;
    link?.close();
    this.#setState('disconnected');
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('onConnectionStateChanged', state);
  }
}

function randomInstanceId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
