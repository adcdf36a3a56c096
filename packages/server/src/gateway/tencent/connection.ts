// One socket of Tencent's client SDK (`@tencentcloud/chat` with `proxyServer`): logs in with a UserSig (or
// the a2 it got, after a reconnect), answers its commands from Pushline's state, and delivers the user's
// inbox as `im_open_push.msg_push` pushes — the same sessions, inbox and router as the /ws gateway.

import { randomInt } from 'node:crypto';
import type { WebSocket } from 'ws';
import { userIdSchema } from '../../apps/user-id.js';
import { verifyUserSig } from '../../auth/usersig.js';
import { loginPolicyOf, type Platform } from '../../devices/login-policy.js';
import type { RoutedConnection } from '../../devices/router.js';
import type { InboxEntry } from '../../messaging/inbox.js';
import { msgBody, offlinePushInfo } from '../../messaging/message-types.js';
import { MessagingError } from '../../messaging/messages.js';
import { findBadText } from '../../text.js';
import { optPlatform } from '../../webhooks/sign.js';
import { AckWriter, drainSocket } from '../acks.js';
import { type GatewayContext, instanceKey } from '../context.js';
import type { Session } from '../handler.js';
import { kickIfEndedWhileLoggingIn } from '../login-race.js';
import { CloseCode, GatewayErrorCode, type ServerEvent } from '../protocol.js';
import { modifiedNotice, modifyC2CMessage, modifyGroupMessage } from './edits.js';
import {
  c2cMessage,
  issueA2,
  KickType,
  pushEvents,
  type RequestFrame,
  type RequestHead,
  readA2,
  requestFrame,
  TencentCode,
  tinyIdOf,
} from './frames.js';
import { friendListNotice } from './friend-notices.js';
import {
  addGroupMember,
  createGroup,
  deleteGroupMember,
  groupMembers,
  joinGroup,
  modifyGroup,
  quitGroup,
} from './groups.js';
import { c2cRoam, groupRoam } from './history.js';
import { background, foreground, setToken } from './push-state.js';
import { conversationPage, groupProfiles, joinedGroups, portraitGetAll } from './queries.js';
import { revokeC2C, revokedNotice, revokeGroup } from './revoke.js';
import {
  blockChange,
  blockList,
  friendAdd,
  friendCheck,
  friendDelete,
  friendGet,
  friendGetSpecified,
  friendGroupGet,
  friendResponse,
  pendencyDelete,
  pendencyGet,
} from './sns.js';

const PULL_PAGE = 100;
/** How long a kicked socket stays open for the SDK's logout. */
const KICK_GRACE_MS = 5_000;
const POLL_MS = 20;
/** C2C messages per getmsg answer; the SDK asks again with the cookie while SyncFlag is 1. */
const GETMSG_PAGE = 100;

export class TencentError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

const tencentError = (code: number, message: string, extra?: Body) => new TencentError(code, message, extra);

export interface TencentSocketInfo {
  /** The SDK's `instanceid` URL parameter: the Pushline instance ID. */
  instanceId: string;
  /** Web, or the phone of a uni-app native build (frames.ts platformOf). */
  platform: Platform;
  /** `/binfo` sockets talk in binary frames, `/info` ones in text frames. */
  binary: boolean;
  clientIp: string;
}

export class TencentConnection implements RoutedConnection {
  sdkAppId = 0;
  userId = '';
  readonly instanceId: string;
  #sessionId = '';
  lastSeen: number;
  readonly openedAt: number;
  #sigExpiresAt = 0;
  #deliveredSeq = 0;
  readonly #acks = new AckWriter(
    (seq) => this.ctx.sessions.ack(this.sdkAppId, this.userId, this.instanceId, seq),
    (err) => this.ctx.log.error({ err }, 'tencent gateway: ack write failed'),
  );
  #pulling = false;
  #pullAgain = false;
  #ended = false;
  #timedOut = false;
  #queue: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #pushSeq = 0;
  #closingNotReading = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: GatewayContext,
    private readonly info: TencentSocketInfo,
  ) {
    this.instanceId = info.instanceId;
    this.openedAt = this.lastSeen = ctx.now();
  }

  get sessionId(): string {
    return this.#sessionId;
  }

  get loggedIn(): boolean {
    return this.userId !== '';
  }

  get sigExpiresAt(): number {
    return this.#sigExpiresAt;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  onFrame(raw: Buffer): void {
    this.lastSeen = this.ctx.now();
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      this.#refuseFrame('frame is not valid JSON');
      return;
    }
    const parsed = requestFrame.safeParse(json);
    if (!parsed.success) {
      this.#refuseFrame('frame is not {head:{servcmd, seq, ...}, body:{...}}');
      return;
    }
    const frame = parsed.data;
    const { maxInFlight } = this.ctx.options;
    if (this.#inFlight >= maxInFlight) {
      this.ctx.stats.refused++;
      this.#reply(frame.head, {
        ErrorCode: TencentCode.TooManyRequests,
        ErrorInfo: `more than ${maxInFlight} requests in flight on this connection`,
      });
      return;
    }
    this.#inFlight++;
    this.#queue = this.#queue.then(() => this.#request(frame));
  }

  /** A frame that names no request cannot be answered: say why and close (1007, invalid data). */
  #refuseFrame(reason: string): void {
    this.ctx.log.info({ instanceId: this.instanceId }, `tencent gateway: ${reason}; closing`);
    this.ws.close(1007, reason);
  }

  async #request(frame: RequestFrame): Promise<void> {
    try {
      if (!(await this.#writable())) return;
      await this.#answer(frame);
    } finally {
      this.#inFlight--;
    }
  }

  async #writable(): Promise<boolean> {
    const { ws } = this;
    const limit = this.ctx.options.maxBufferedBytes;
    if (ws.bufferedAmount > limit && ws.readyState === ws.OPEN) {
      this.ctx.stats.paused++;
      ws.pause();
      while (ws.bufferedAmount > limit / 2 && ws.readyState === ws.OPEN) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (ws.readyState === ws.OPEN) ws.resume();
    }
    return ws.readyState === ws.OPEN;
  }

  async #answer(frame: RequestFrame): Promise<void> {
    const cmd = frame.head.servcmd;
    const body = frame.body ?? {};
    try {
      const out = await this.#dispatch(cmd, frame.head, body);
      this.#reply(frame.head, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ...out });
    } catch (err) {
      if (err instanceof TencentError) {
        this.#reply(frame.head, {
          ActionStatus: 'FAIL',
          ErrorCode: err.code,
          ErrorInfo: err.message,
          ...err.extra,
        });
      } else {
        this.ctx.log.error({ err, servcmd: cmd }, 'tencent gateway request failed');
        this.#reply(frame.head, {
          ActionStatus: 'FAIL',
          ErrorCode: TencentCode.Internal,
          ErrorInfo: 'internal error',
        });
      }
    }
  }

  async #dispatch(cmd: string, head: RequestHead, body: Body): Promise<Body> {
    if (cmd === 'im_open_status.wslogin') return this.#login(head);
    // Keep-alive needs no login (the SDK pings from the moment the socket opens).
    if (cmd === 'heartbeat.alive') return {};
    // Every request of a logged-in SDK carries its a2: on a fresh socket after a reconnect, requests the SDK
    // resends may arrive before its wslogin, and log the instance in just as that would.
    if (!this.loggedIn && head.a2) await this.#login(head);
    if (this.loggedIn && this.#ended && cmd === 'im_open_status.wslogout') {
      // A kicked SDK logs out before it reports KICKED_OUT: the session is already over; say so and close.
      setImmediate(() => this.ws.close(CloseCode.Kicked, 'kicked'));
      return {};
    }
    if (!this.loggedIn || this.#ended) throw new TencentError(TencentCode.NotLoggedIn, 'log in first');
    const bad = findBadText(body);
    if (bad) {
      throw new TencentError(
        TencentCode.InvalidParameters,
        `invalid ${['body', ...bad.path].join('.')}: ${bad.problem}`,
      );
    }
    switch (cmd) {
      case 'im_open_status.wshello':
        return {};
      case 'im_open_status.wslogout':
        return this.#logout();
      case 'openim.sendmsg':
        return this.#sendC2C(body);
      case 'group_open_http_svc.send_group_msg':
        return this.#sendGroup(body);
      case 'openim.getmsg':
        return this.#getmsg(body);
      case 'openim.ws_msg_push_ack':
        this.#ackSessionData(body.SessionData);
        return {};
      case 'openim.msgreaded':
        return this.#readC2C(body);
      case 'group_open_http_svc.msg_read_report':
        return this.#readGroup(body);
      case 'openim.read_all_unread_msg':
        return this.#readAll(body);
      case 'sns.black_list_get':
        return blockList(this.ctx, this.#session(), tencentError);
      case 'sns.black_list_add':
      case 'sns.black_list_delete':
        return blockChange(this.ctx, this.#session(), body, cmd === 'sns.black_list_add', tencentError);
      case 'sns.friend_add':
        return friendAdd(this.ctx, this.#session(), body, tencentError);
      case 'sns.friend_delete':
        return friendDelete(this.ctx, this.#session(), body, tencentError);
      case 'sns.friend_check':
        return friendCheck(this.ctx, this.#session(), body, tencentError);
      case 'sns.friend_response':
        return friendResponse(this.ctx, this.#session(), body, tencentError);
      case 'sns.pendency_delete':
        return pendencyDelete(this.ctx, this.#session(), body, tencentError);
      case 'profile.portrait_get_all':
        return portraitGetAll(this.ctx, this, body);
      case 'group_open_http_svc.get_joined_group_list':
        return joinedGroups(this.ctx, this, body);
      case 'group_open_http_svc.get_group_self_member_info':
        return groupProfiles(this.ctx, this, body);
      case 'group_open_http_svc.create_group':
        return createGroup(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.apply_join_group':
        return joinGroup(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.quit_group':
        return quitGroup(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.add_group_member':
        return addGroupMember(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.delete_group_member':
        return deleteGroupMember(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.modify_group_base_info':
        return modifyGroup(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.get_group_member_info':
        return groupMembers(this.ctx, this.#session(), body, tencentError);
      case 'recentcontact.page_get':
        return conversationPage(this.ctx, this);
      case 'sns.friend_get':
        return friendGet(this.ctx, this.#session());
      case 'sns.friend_get_specified':
        return friendGetSpecified(this.ctx, this.#session(), body, tencentError);
      case 'sns.group_get':
        return friendGroupGet(this.ctx, this.#session());
      case 'sns.pendency_get':
        return pendencyGet(this.ctx, this.#session(), body, tencentError);
      case 'openim.msgwithdraw':
        return revokeC2C(this.ctx, this.#session(), body, tencentError);
      case 'group_open_http_svc.group_msg_recall':
        return revokeGroup(this.ctx, this.#session(), body, tencentError);
      case 'openim.modify_c2c_msg':
        return modifyC2CMessage(this.ctx, this.#session(), body, tencentError);
      case 'openim.modify_group_msg':
        return modifyGroupMessage(this.ctx, this.#session(), body, tencentError);
      case 'openim.getroammsg':
        return c2cRoam(this.ctx, this, body, tencentError);
      case 'group_open_http_svc.group_msg_get':
        return groupRoam(this.ctx, this, body, tencentError);
      case 'im_open_status.ws_stat_settoken':
        return setToken(this.ctx, this.#session(), body, tencentError);
      case 'im_open_status.ws_stat_background':
        return background(this.ctx, this.#session(), body, tencentError);
      case 'im_open_status.ws_stat_foreground':
        return foreground(this.ctx, this.#session(), tencentError);
      case 'im_cos_msg.pre_sig':
      case 'im_cos_msg.simple_sig':
      case 'im_cos_sign_svr.cos':
        // The upload plugin asks where to put a file. Pushline stores no files: the app hosts them and sends
        // their URLs (an image element with URLs travels like any other element).
        this.ctx.log.info({ sdkAppId: this.sdkAppId, servcmd: cmd }, 'tencent gateway: file upload refused');
        throw new TencentError(
          TencentCode.NotImplemented,
          'Pushline does not host file uploads: store the file on your own server and send its URLs',
        );
      case 'imopenstat.tim_web_report_v2':
        // The SDK's own usage statistics, meant for Tencent: accepted and dropped.
        return {};
      default:
        this.ctx.log.info(
          { sdkAppId: this.sdkAppId, servcmd: cmd },
          'tencent gateway: command not implemented',
        );
        throw new TencentError(TencentCode.NotImplemented, `Pushline does not implement ${cmd}`);
    }
  }

  /** This login as Pushline's own request handlers (gateway/ops.ts) see a client. */
  #session(): Session {
    return {
      sdkAppId: this.sdkAppId,
      userId: this.userId,
      instanceId: this.instanceId,
      platform: this.info.platform,
      clientIp: this.info.clientIp,
    };
  }

  async #login(head: RequestHead): Promise<Body> {
    if (this.loggedIn) return this.#loginAnswer();
    const { ctx } = this;
    const startedAt = ctx.now();
    let sdkAppId: number;
    let userId: string;
    let expiresAt: number;
    const app = async (id: number) => {
      const a = await ctx.apps.get(id);
      if (!a) throw new TencentError(70020, `SDKAppID ${id} does not exist`);
      return a;
    };
    if (head.a2) {
      // A reconnect: the SDK logs in again with the a2 of its first login, without the UserSig.
      const keys = new Map<number, string>();
      const claimsApp = Number(head.sdkappid);
      if (Number.isSafeInteger(claimsApp)) {
        const a = await ctx.apps.get(claimsApp);
        if (a) keys.set(claimsApp, a.secretKey);
      }
      const claims = readA2(head.a2, (id) => keys.get(id));
      if (!claims || claims.i !== this.instanceId)
        throw new TencentError(TencentCode.UserSigExpired, 'a2 is not valid: log in with a UserSig');
      if (claims.e * 1000 < ctx.now())
        throw new TencentError(TencentCode.UserSigExpired, 'the UserSig of this session expired');
      // Valid only while the login it was issued for is the instance's current one: a logout, an eviction
      // by the login policy or an admin kick ends it.
      const current = await ctx.sessions.currentSessionId(claims.a, claims.u, claims.i);
      if (current !== claims.s)
        throw new TencentError(TencentCode.UserSigExpired, 'this session was ended: log in with a UserSig');
      sdkAppId = claims.a;
      userId = claims.u;
      expiresAt = claims.e;
    } else {
      sdkAppId = Number(head.sdkappid);
      userId = head.identifier ?? '';
      if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0 || !userId || !head.usersig)
        throw new TencentError(TencentCode.InvalidParameters, 'login needs sdkappid, identifier and usersig');
      const validId = userIdSchema.safeParse(userId);
      if (!validId.success)
        throw new TencentError(
          TencentCode.InvalidParameters,
          `invalid identifier: ${validId.error.issues[0]?.message ?? 'not a valid UserID'}`,
        );
      const a = await app(sdkAppId);
      const account = await ctx.accounts.get(sdkAppId, userId);
      const verified = verifyUserSig({
        userSig: head.usersig,
        sdkAppId,
        key: a.secretKey,
        identifier: userId,
        invalidatedAt: account?.kickedAt ?? null,
      });
      if (!verified.ok) throw new TencentError(verified.code, verified.message);
      if (!account) await ctx.accounts.import(sdkAppId, [{ userId }]);
      expiresAt = verified.sig.time + verified.sig.expire;
    }
    const settings = (await app(sdkAppId)).settings;
    const key = instanceKey(sdkAppId, userId, this.instanceId);
    ctx.byInstance.get(key)?.replace();
    const { evicted, previous, sessionId } = await ctx.sessions.login(
      sdkAppId,
      userId,
      this.instanceId,
      this.info.platform,
      loginPolicyOf(settings),
    );
    const resumeFrom = previous ? previous.ackedSeq : await ctx.inbox.lastSeq(sdkAppId, userId);
    if (this.ws.readyState !== this.ws.OPEN) {
      await ctx.sessions.disconnect(sdkAppId, userId, this.instanceId, sessionId);
      throw new TencentError(TencentCode.Internal, 'connection closed during login');
    }
    this.#deliveredSeq = resumeFrom;
    this.#acks.reset(previous?.ackedSeq ?? 0);
    this.#sessionId = sessionId;
    this.sdkAppId = sdkAppId;
    this.userId = userId;
    this.#sigExpiresAt = expiresAt * 1000;
    ctx.byInstance.set(key, this);
    ctx.router.attach(this);
    if (evicted.length > 0) {
      ctx.router.kick(
        sdkAppId,
        userId,
        evicted.map((e) => e.instanceId),
        GatewayErrorCode.KickedByLogin,
        'logged in on another device beyond the login policy',
      );
    }
    ctx.stateChange(
      sdkAppId,
      {
        Action: 'Login',
        To_Account: userId,
        Reason: 'Register',
        Platform: this.info.platform,
        InstanceId: this.instanceId,
      },
      evicted.map((e) => ({ Platform: e.platform, InstanceId: e.instanceId })),
      this.info.clientIp,
    );
    const answer = await this.#loginAnswer();
    void kickIfEndedWhileLoggingIn(ctx, this, sessionId, startedAt);
    return answer;
  }

  async #loginAnswer(): Promise<Body> {
    const app = await this.ctx.apps.get(this.sdkAppId);
    const a2 = issueA2(app?.secretKey ?? '', {
      a: this.sdkAppId,
      u: this.userId,
      i: this.instanceId,
      s: this.#sessionId,
      e: Math.floor(this.#sigExpiresAt / 1000),
    });
    return {
      A2Key: a2,
      TinyId: tinyIdOf(this.sdkAppId, this.userId),
      InstId: 1,
      HelloInterval: Math.max(1, Math.round(this.ctx.options.heartbeatIntervalMs / 1000)),
      TimeStamp: Math.floor(this.ctx.now() / 1000),
    };
  }

  async #logout(): Promise<Body> {
    this.#end();
    await this.ctx.sessions.logout(this.sdkAppId, this.userId, this.instanceId);
    this.ctx.stateChange(
      this.sdkAppId,
      {
        Action: 'Logout',
        To_Account: this.userId,
        Reason: 'Unregister',
        Platform: this.info.platform,
        InstanceId: this.instanceId,
      },
      undefined,
      this.info.clientIp,
    );
    setImmediate(() => this.ws.close(CloseCode.Normal, 'logged out'));
    return {};
  }

  async #sendC2C(body: Body): Promise<Body> {
    const to = body.To_Account;
    if (typeof to !== 'string' || to === '')
      throw new TencentError(TencentCode.InvalidParameters, 'To_Account is required');
    const exists = await this.ctx.accounts.existing(this.sdkAppId, [to]);
    if (!exists.has(to)) throw new TencentError(90012, `To_Account "${to}" is not registered`);
    const r = await this.#send(body, { kind: 'c2c', to: [to] });
    return { MsgTime: r.msgTime, MsgSeq: r.msgSeq };
  }

  async #sendGroup(body: Body): Promise<Body> {
    const groupId = body.GroupId;
    if (typeof groupId !== 'string' || groupId === '')
      throw new TencentError(TencentCode.InvalidParameters, 'GroupId is required');
    const group = await this.ctx.groups.get(this.sdkAppId, groupId);
    if (!group) throw new TencentError(10010, `group "${groupId}" does not exist`);
    const [me] = await this.ctx.groups.members(this.sdkAppId, groupId, { userIds: [this.userId] });
    if (!me) throw new TencentError(10007, `you are not a member of group "${groupId}"`);
    const r = await this.#send(body, { kind: 'group', groupId });
    return { MsgTime: r.msgTime, MsgSeq: r.msgSeq };
  }

  async #send(
    body: Body,
    target: { kind: 'c2c'; to: string[] } | { kind: 'group'; groupId: string },
  ): Promise<{ msgTime: number; msgSeq: number }> {
    const parsedBody = msgBody.safeParse(body.MsgBody);
    if (!parsedBody.success)
      throw new TencentError(
        TencentCode.InvalidParameters,
        `invalid MsgBody: ${parsedBody.error.issues[0]?.message}`,
      );
    const size = Buffer.byteLength(JSON.stringify(parsedBody.data));
    if (size > this.ctx.options.maxMessageBytes)
      throw new TencentError(
        80002,
        `message body is ${size} bytes; at most ${this.ctx.options.maxMessageBytes}`,
      );
    let push: ReturnType<typeof offlinePushInfo.parse> | undefined;
    if (body.OfflinePushInfo !== undefined) {
      const p = offlinePushInfo.safeParse(body.OfflinePushInfo);
      if (!p.success)
        throw new TencentError(
          TencentCode.InvalidParameters,
          `invalid OfflinePushInfo: ${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`,
        );
      push = p.data;
    }
    const control = Array.isArray(body.SendMsgControl)
      ? body.SendMsgControl.filter((c): c is string => c === 'NoUnread' || c === 'NoLastMsg')
      : [];
    const random = typeof body.MsgRandom === 'number' ? body.MsgRandom : body.Random;
    // The SDK's own clock: part of its name for the message (frames.ts common()).
    const clientTime = body.MsgClientTime;
    if (
      clientTime !== undefined &&
      (typeof clientTime !== 'number' || !Number.isSafeInteger(clientTime) || clientTime < 0)
    )
      throw new TencentError(TencentCode.InvalidParameters, 'MsgClientTime must be UNIX seconds');
    // A C2C message's MsgSeq is the sender's (Tencent's rule, as in REST sendmsg): the SDK lists the message
    // under it, so history must give back the same one. Group MsgSeqs are the group's.
    const msgSeq = target.kind === 'c2c' ? body.MsgSeq : undefined;
    if (
      msgSeq !== undefined &&
      (typeof msgSeq !== 'number' || !Number.isInteger(msgSeq) || msgSeq < 0 || msgSeq >= 2 ** 32)
    )
      throw new TencentError(TencentCode.InvalidParameters, 'MsgSeq must be an unsigned 32-bit integer');
    const lifeTime = typeof body.MsgLifeTime === 'number' ? body.MsgLifeTime : undefined;
    const onlineOnly = body.OnlineOnlyFlag === 1 || lifeTime === 0;
    try {
      return await this.ctx.messaging.send({
        sdkAppId: this.sdkAppId,
        source: 'sdk',
        from: this.userId,
        target,
        body: parsedBody.data,
        offlinePushInfo: push,
        lifeTime: onlineOnly ? 0 : Math.min(604_800, Math.max(0, lifeTime ?? 604_800)),
        onlineOnly,
        msgRandom:
          typeof random === 'number' && Number.isInteger(random) && random >= 0 && random < 2 ** 32
            ? random
            : randomInt(0, 2 ** 32 - 1),
        cloudCustomData:
          typeof body.CloudCustomData === 'string' && body.CloudCustomData !== ''
            ? body.CloudCustomData
            : undefined,
        sendMsgControl: control,
        syncOtherMachine: 1,
        senderInstanceId: this.instanceId,
        clientTime,
        msgSeq,
        callbacks: {
          origin: { ClientIP: this.info.clientIp, OptPlatform: optPlatform(this.info.platform) },
          before: true,
          after: true,
          operator: this.userId,
        },
      });
    } catch (err) {
      if (err instanceof MessagingError) throw new TencentError(err.code, err.message);
      throw err;
    }
  }

  /**
   * setMessageRead on C2C conversations: each peer's conversation read on every device of the user (the
   * whole conversation: Pushline keeps one unread count per conversation, not a read position).
   */
  async #readC2C(body: Body): Promise<Body> {
    const readed = body.C2CMsgReaded;
    const items =
      readed && typeof readed === 'object' && Array.isArray((readed as Body).C2CMsgReadedItem)
        ? ((readed as Body).C2CMsgReadedItem as unknown[])
        : [];
    const peers = items
      .map((i) => (i && typeof i === 'object' ? (i as Body).To_Account : undefined))
      .filter((p): p is string => typeof p === 'string' && p !== '');
    if (peers.length === 0)
      throw new TencentError(TencentCode.InvalidParameters, 'C2CMsgReadedItem is empty');
    if (peers.length > 100)
      throw new TencentError(TencentCode.InvalidParameters, 'at most 100 C2CMsgReadedItem');
    for (const peer of new Set(peers))
      await this.ctx.inbox.markRead(this.sdkAppId, this.userId, `c2c_${peer}`, this.instanceId);
    return {};
  }

  async #readGroup(body: Body): Promise<Body> {
    const groupId = body.GroupId;
    if (typeof groupId !== 'string' || groupId === '')
      throw new TencentError(TencentCode.InvalidParameters, 'GroupId is required');
    await this.ctx.inbox.markRead(this.sdkAppId, this.userId, `group_${groupId}`, this.instanceId);
    return {};
  }

  /** markAllMessageAsRead: every C2C conversation (C2CReadAllMsg 1) and the groups listed in GroupReadInfo. */
  async #readAll(body: Body): Promise<Body> {
    const ids: string[] = [];
    if (body.C2CReadAllMsg === 1) {
      const list = await this.ctx.inbox.conversations(this.sdkAppId, this.userId);
      ids.push(
        ...list
          .filter((c) => c.unread > 0 && c.conversationId.startsWith('c2c_'))
          .map((c) => c.conversationId),
      );
    }
    const groups = Array.isArray(body.GroupReadInfo) ? body.GroupReadInfo.slice(0, 1000) : [];
    for (const g of groups) {
      const id = g && typeof g === 'object' ? (g as Body).GroupId : undefined;
      if (typeof id === 'string' && id !== '') ids.push(`group_${id}`);
    }
    for (const id of new Set(ids))
      await this.ctx.inbox.markRead(this.sdkAppId, this.userId, id, this.instanceId);
    return { C2CReadAllMsg: body.C2CReadAllMsg === 1 ? 1 : 0, GroupReadInfoArray: [] };
  }

  /**
   * Catch-up: C2C messages after the cookie (an inbox seq; empty = where this login resumes). Group messages
   * in the same range are skipped here (the SDK reads getmsg's list as C2C) and pushed instead.
   */
  async #getmsg(body: Body): Promise<Body> {
    const cookie =
      typeof body.Cookie === 'string' && /^\d{1,15}$/.test(body.Cookie) ? Number(body.Cookie) : undefined;
    if (cookie !== undefined) this.#ack(cookie);
    const after = cookie ?? this.#deliveredSeq;
    const page = await this.ctx.inbox.after(this.sdkAppId, this.userId, after, GETMSG_PAGE);
    const last = page.at(-1)?.seq ?? after;
    const c2c = page.filter((e) => e.message.type === 'c2c' && e.senderInstance !== this.instanceId);
    const groups = page.filter((e) => e.message.type === 'group' && e.seq > this.#deliveredSeq);
    if (last > this.#deliveredSeq) this.#deliveredSeq = last;
    if (groups.length > 0) await this.#push(groups, last);
    return {
      Cookie: String(last),
      SyncFlag: page.length < GETMSG_PAGE ? 2 : 1,
      MsgList: c2c.map((e) => c2cMessage(this.sdkAppId, this.userId, e)),
    };
  }

  #ackSessionData(data: unknown): void {
    const seq = typeof data === 'string' && /^\d{1,15}$/.test(data) ? Number(data) : undefined;
    if (seq !== undefined && seq <= this.#deliveredSeq) this.#ack(seq);
  }

  // ---- routing (router.ts) ----

  onInbox(): void {
    void this.#pull();
  }

  onEvent(event: ServerEvent): void {
    const notice =
      event.event === 'messageRevoked'
        ? revokedNotice(this.sdkAppId, event.data)
        : event.event === 'messageModified'
          ? modifiedNotice(event.data)
          : friendListNotice(this.userId, event);
    if (notice) {
      this.#sendFrame({
        head: { ver: 'v4', servcmd: 'im_open_push.msg_push', seq: ++this.#pushSeq },
        body: { EventArray: [notice] },
      });
      return;
    }
    // Other /ws events (conversation changes, ...) have no push of the Tencent SDK's here.
    this.ctx.log.debug({ event: event.event }, 'tencent gateway: event not forwarded');
  }

  onKick(code: number, reason: string): void {
    if (this.#ended) return;
    this.#end();
    const kickType = code === GatewayErrorCode.KickedByLogin ? KickType.MultipleAccount : KickType.RestApi;
    this.#sendFrame({
      head: { ver: 'v4', servcmd: 'im_open_status.stat_forceoffline', seq: ++this.#pushSeq },
      body: {
        EventArray: [
          { Event: 7, C2cNotifyMsgArray: [{ KickoutMsgNotify: { KickType: kickType, NewInstInfo: {} } }] },
        ],
        Reason: reason,
      },
    });
    // The SDK answers a kick with a logout on this socket (then closes it); one that does not is closed.
    setTimeout(() => this.ws.close(CloseCode.Kicked, 'kicked'), KICK_GRACE_MS).unref();
  }

  replace(): void {
    if (this.#ended) return;
    this.#end();
    this.ws.close(CloseCode.Kicked, 'replaced by a newer connection of the same instance');
  }

  expire(kind: 'timeout' | 'usersig'): void {
    if (kind === 'usersig') {
      this.ws.close(CloseCode.UserSigExpired, 'UserSig expired');
      return;
    }
    this.#timedOut = true;
    this.ws.close(CloseCode.HeartbeatTimeout, 'heartbeat timeout');
    setTimeout(() => this.ws.terminate(), 1_000).unref();
  }

  #end(): void {
    this.#ended = true;
    this.ctx.router.detach(this);
    const key = instanceKey(this.sdkAppId, this.userId, this.instanceId);
    if (this.ctx.byInstance.get(key) === this) this.ctx.byInstance.delete(key);
  }

  async onClose(): Promise<void> {
    await this.#queue.catch(() => undefined);
    if (!this.loggedIn || this.#ended) return;
    this.#end();
    await this.#acks.flush();
    const state = await this.ctx.sessions.disconnect(
      this.sdkAppId,
      this.userId,
      this.instanceId,
      this.#sessionId,
    );
    if (state) {
      this.ctx.stateChange(
        this.sdkAppId,
        {
          Action: 'Disconnect',
          To_Account: this.userId,
          Reason: this.#timedOut ? 'TimeOut' : 'LinkClose',
          Platform: this.info.platform,
          InstanceId: this.instanceId,
        },
        undefined,
        this.info.clientIp,
      );
    }
  }

  // ---- delivery ----

  async #pull(): Promise<void> {
    if (this.#pulling) {
      this.#pullAgain = true;
      return;
    }
    this.#pulling = true;
    try {
      do {
        this.#pullAgain = false;
        for (;;) {
          if (this.#ended || !this.loggedIn) return;
          const page = await this.ctx.inbox.after(this.sdkAppId, this.userId, this.#deliveredSeq, PULL_PAGE);
          if (page.length === 0) break;
          const last = page.at(-1)!.seq;
          // The sending device knows its own message already.
          const shown = page.filter((e) => e.senderInstance !== this.instanceId);
          this.#deliveredSeq = last;
          if (shown.length > 0) await this.#push(shown, last);
          else this.#ack(last);
          if (page.length < PULL_PAGE) break;
          await this.#drainSocket();
        }
      } while (this.#pullAgain);
    } catch (err) {
      this.ctx.log.error({ err }, 'tencent gateway: inbox pull failed');
    } finally {
      this.#pulling = false;
    }
  }

  async #push(entries: InboxEntry[], lastSeq: number): Promise<void> {
    const groupTypes = new Map<string, string>();
    for (const e of entries) {
      const id = e.message.groupId;
      if (id === undefined || groupTypes.has(id)) continue;
      const g = await this.ctx.groups.get(this.sdkAppId, id);
      groupTypes.set(id, g?.type ?? 'Work');
    }
    this.#sendFrame({
      head: { ver: 'v4', servcmd: 'im_open_push.msg_push', seq: ++this.#pushSeq },
      body: {
        EventArray: pushEvents(this.sdkAppId, this.userId, entries, groupTypes),
        NeedAck: 1,
        SessionData: String(lastSeq),
      },
    });
  }

  /** Backpressure: a large resume waits for a slow client instead of buffering everything in memory. */
  #drainSocket(): Promise<void> {
    return drainSocket(this.ws, this.ctx.options.maxBufferedBytes / 2);
  }

  #ack(seq: number): void {
    if (this.loggedIn) this.#acks.ack(seq);
  }

  // ---- output ----

  /** The answer to a request: its head back (without credentials), so the SDK matches servcmd + seq. */
  #reply(head: RequestHead, body: Body): void {
    const { identifier: _i, usersig: _u, a2: _a, ...rest } = head;
    this.#sendFrame({ head: rest, body });
  }

  #sendFrame(frame: unknown): void {
    const { ws } = this;
    if (ws.readyState !== ws.OPEN) return;
    const text = JSON.stringify(frame);
    ws.send(this.info.binary ? Buffer.from(text) : text);
    const buffered = ws.bufferedAmount;
    const { stats, options } = this.ctx;
    if (buffered > stats.maxBuffered) stats.maxBuffered = buffered;
    if (buffered > 2 * options.maxBufferedBytes && !this.#closingNotReading) {
      this.#closingNotReading = true;
      stats.closedNotReading++;
      this.ctx.log.info(
        { sdkAppId: this.sdkAppId, userId: this.userId, instanceId: this.instanceId, buffered },
        'tencent gateway: closing a connection that does not read (4009)',
      );
      ws.close(CloseCode.NotReading, 'not reading: too much data waiting to be sent');
      setTimeout(() => ws.terminate(), 1_000).unref();
    }
  }
}
