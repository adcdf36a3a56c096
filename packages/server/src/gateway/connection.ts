// One client socket: parses frames, logs in and out, answers requests, and delivers the user's inbox in
// seq order (notify-then-pull: a notification makes the connection read everything after the last seq it
// delivered, so messages are neither lost nor duplicated across reconnects).

import type { WebSocket } from 'ws';
import { verifyUserSig } from '../auth/usersig.js';
import { loginPolicyOf } from '../devices/login-policy.js';
import type { RoutedConnection } from '../devices/router.js';
import { findBadText } from '../text.js';
import { AckWriter, drainSocket } from './acks.js';
import { type GatewayContext, instanceKey } from './context.js';
import type { Session } from './handler.js';
import { kickIfEndedWhileLoggingIn } from './login-race.js';
import { sessionOps } from './ops.js';
import {
  type ClientFrame,
  CloseCode,
  clientFrame,
  describeIssue,
  GatewayError,
  GatewayErrorCode,
  type Op,
  type OpData,
  requestSchemas,
  type ServerEvent,
} from './protocol.js';

const PULL_PAGE = 100;
/** A resume waits for the client below this many queued bytes (or half of `maxBufferedBytes`). */
const PULL_BUFFERED_BYTES = 1024 * 1024;
const POLL_MS = 20;

export class Connection implements RoutedConnection {
  sdkAppId = 0;
  userId = '';
  instanceId = '';
  #platform = '';
  #sessionId = '';
  lastSeen: number;
  readonly openedAt: number;
  #sigExpiresAt = 0;
  #deliveredSeq = 0;
  #pulling = false;
  #pullAgain = false;
  #pullRun: Promise<void> = Promise.resolve();
  readonly #acks = new AckWriter(
    (seq) => this.ctx.sessions.ack(this.sdkAppId, this.userId, this.instanceId, seq),
    (err) => this.ctx.log.error({ err }, 'ack write failed'),
  );
  /** Set once the session ended by logout, kick or replacement: closing must not change the state. */
  #ended = false;
  #timedOut = false;
  #queue: Promise<void> = Promise.resolve();
  /** Requests queued or running. */
  #inFlight = 0;
  #closingNotReading = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: GatewayContext,
    /** The client's address (ClientIP of callbacks). */
    readonly clientIp = '',
  ) {
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

  /** Bytes queued for sending on this socket. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  onFrame(raw: Buffer, isBinary: boolean): void {
    this.lastSeen = this.ctx.now();
    if (isBinary) {
      this.#error(GatewayErrorCode.BadFrame, 'binary frames are not supported: send JSON text');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      this.#error(GatewayErrorCode.BadFrame, 'frame is not valid JSON');
      return;
    }
    const parsed = clientFrame.safeParse(json);
    if (!parsed.success) {
      this.#error(GatewayErrorCode.BadFrame, describeIssue(parsed.error));
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'ack') {
      this.#ack(frame.seq);
      return;
    }
    // A client that sends requests faster than they are answered gets 7008 beyond the cap, at once.
    const { maxInFlight } = this.ctx.options;
    if (this.#inFlight >= maxInFlight) {
      this.ctx.stats.refused++;
      this.#send({
        type: 'res',
        id: frame.id,
        code: GatewayErrorCode.TooManyRequests,
        message: `more than ${maxInFlight} requests in flight on this connection: wait for their answers`,
      });
      return;
    }
    this.#inFlight++;
    // Requests run one after another so that responses and state changes keep the client's order.
    this.#queue = this.#queue.then(() => this.#request(frame));
  }

  async #request(frame: Extract<ClientFrame, { type: 'req' }>): Promise<void> {
    try {
      // A socket that closed meanwhile (or was closed for not reading) gets no more work done for it.
      if (!(await this.#writable())) return;
      await this.#answer(frame);
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * Backpressure: while more than `maxBufferedBytes` wait to be sent, the socket is not read (no new
   * requests) until the client has read half of them. False if the socket is no longer open.
   */
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

  async #answer(frame: Extract<ClientFrame, { type: 'req' }>): Promise<void> {
    try {
      const data = await this.#dispatch(frame.op, frame.data ?? {});
      this.#send({ type: 'res', id: frame.id, code: 0, message: '', data });
    } catch (err) {
      if (err instanceof GatewayError) {
        this.#send({ type: 'res', id: frame.id, code: err.code, message: err.message });
      } else {
        this.ctx.log.error({ err, op: frame.op }, 'gateway request failed');
        this.#send({ type: 'res', id: frame.id, code: GatewayErrorCode.Internal, message: 'internal error' });
      }
    }
    if (frame.op === 'login') void this.#pullAndAnnounce();
  }

  async #dispatch(op: string, data: unknown): Promise<Record<string, unknown>> {
    if (!Object.hasOwn(requestSchemas, op)) {
      throw new GatewayError(GatewayErrorCode.UnknownOp, `unknown op "${op}"`);
    }
    const bad = findBadText(data);
    if (bad) {
      const where = ['data', ...bad.path].join('.');
      throw new GatewayError(GatewayErrorCode.InvalidParameters, `invalid ${where}: ${bad.problem}`);
    }
    const schema = requestSchemas[op as Op];
    const parsed = schema.safeParse(data);
    if (!parsed.success)
      throw new GatewayError(GatewayErrorCode.InvalidParameters, describeIssue(parsed.error));
    if (op === 'login') return this.#login(parsed.data as OpData<'login'>);
    if (!this.loggedIn || this.#ended) throw new GatewayError(GatewayErrorCode.NotLoggedIn, 'log in first');
    if (op === 'logout') return this.#logout();
    const session: Session = {
      sdkAppId: this.sdkAppId,
      userId: this.userId,
      instanceId: this.instanceId,
      platform: this.#platform,
      clientIp: this.clientIp,
    };
    const handler = sessionOps[op as Exclude<Op, 'login' | 'logout'>] as (
      ...args: unknown[]
    ) => Promise<Record<string, unknown>>;
    return handler(this.ctx, session, parsed.data);
  }

  async #login(d: OpData<'login'>): Promise<Record<string, unknown>> {
    if (this.loggedIn) {
      throw new GatewayError(GatewayErrorCode.InvalidParameters, 'already logged in: log out first');
    }
    const { ctx } = this;
    const startedAt = ctx.now();
    const app = await ctx.apps.get(d.sdkAppId);
    if (!app)
      throw new GatewayError(GatewayErrorCode.SdkAppIdNotFound, `SDKAppID ${d.sdkAppId} does not exist`);
    const account = await ctx.accounts.get(d.sdkAppId, d.userId);
    const verified = verifyUserSig({
      userSig: d.userSig,
      sdkAppId: d.sdkAppId,
      key: app.secretKey,
      identifier: d.userId,
      invalidatedAt: account?.kickedAt ?? null,
    });
    if (!verified.ok) throw new GatewayError(verified.code, verified.message);
    // A valid UserSig proves the app's backend vouches for the user: first logins import the account,
    // as Tencent IM does.
    if (!account) await ctx.accounts.import(d.sdkAppId, [{ userId: d.userId }]);

    const key = instanceKey(d.sdkAppId, d.userId, d.instanceId);
    ctx.byInstance.get(key)?.replace();
    const { evicted, previous, sessionId } = await ctx.sessions.login(
      d.sdkAppId,
      d.userId,
      d.instanceId,
      d.platform,
      loginPolicyOf(app.settings),
    );
    // Where delivery resumes; fixed before the router can notify this connection. Messages committed
    // meanwhile have higher seqs and are picked up by the first pull after login.
    const resumeFrom =
      d.lastSeq ?? (previous ? previous.ackedSeq : await ctx.inbox.lastSeq(d.sdkAppId, d.userId));
    if (this.ws.readyState !== this.ws.OPEN) {
      await ctx.sessions.disconnect(d.sdkAppId, d.userId, d.instanceId, sessionId);
      throw new GatewayError(GatewayErrorCode.Internal, 'connection closed during login');
    }
    this.#deliveredSeq = resumeFrom;
    this.#sessionId = sessionId;
    this.#acks.reset(previous?.ackedSeq ?? 0);
    this.sdkAppId = d.sdkAppId;
    this.userId = d.userId;
    this.instanceId = d.instanceId;
    this.#platform = d.platform;
    this.#sigExpiresAt = (verified.sig.time + verified.sig.expire) * 1000;
    ctx.byInstance.set(key, this);
    ctx.router.attach(this);
    void kickIfEndedWhileLoggingIn(ctx, this, sessionId, startedAt);
    if (evicted.length > 0) {
      ctx.router.kick(
        d.sdkAppId,
        d.userId,
        evicted.map((e) => e.instanceId),
        GatewayErrorCode.KickedByLogin,
        'logged in on another device beyond the login policy',
      );
    }
    ctx.stateChange(
      d.sdkAppId,
      {
        Action: 'Login',
        To_Account: d.userId,
        Reason: 'Register',
        Platform: d.platform,
        InstanceId: d.instanceId,
      },
      evicted.map((e) => ({ Platform: e.platform, InstanceId: e.instanceId })),
      this.clientIp,
    );
    return {
      instanceId: d.instanceId,
      serverTime: ctx.now(),
      heartbeatIntervalMs: ctx.options.heartbeatIntervalMs,
      resumeFromSeq: this.#deliveredSeq,
      /** Requests run at once on this connection; more get 7008 (the SDK holds them back). */
      maxInFlight: ctx.options.maxInFlight,
    };
  }

  async #logout(): Promise<Record<string, unknown>> {
    this.#end();
    await this.ctx.sessions.logout(this.sdkAppId, this.userId, this.instanceId);
    this.ctx.stateChange(this.sdkAppId, this.#info('Logout', 'Unregister'), undefined, this.clientIp);
    setImmediate(() => this.ws.close(CloseCode.Normal, 'logged out'));
    return {};
  }

  #info(Action: 'Login' | 'Logout' | 'Disconnect', Reason: string) {
    return { Action, To_Account: this.userId, Reason, Platform: this.#platform, InstanceId: this.instanceId };
  }

  /** Stops routing to this connection; the caller decides what happens to the instance state. */
  #end(): void {
    this.#ended = true;
    this.ctx.router.detach(this);
    const key = instanceKey(this.sdkAppId, this.userId, this.instanceId);
    if (this.ctx.byInstance.get(key) === this) this.ctx.byInstance.delete(key);
  }

  /** Another socket logged in as the same instance: close this one without touching the state. */
  replace(): void {
    if (this.#ended) return;
    this.#end();
    this.ws.close(CloseCode.Kicked, 'replaced by a newer connection of the same instance');
  }

  onKick(code: number, reason: string): void {
    if (this.#ended) return;
    this.#end();
    this.#send({ type: 'event', event: 'kicked', data: { code, reason } });
    this.ws.close(CloseCode.Kicked, 'kicked');
  }

  onEvent(event: ServerEvent): void {
    if (!this.#ended) this.#send(event);
  }

  onInbox(): void {
    void this.#pull();
  }

  /** Closes a silent connection (heartbeat timeout) or one whose UserSig expired. */
  expire(kind: 'timeout' | 'usersig'): void {
    if (kind === 'usersig' && !this.#ended) {
      this.#send({ type: 'event', event: 'userSigExpired', data: {} });
      this.ws.close(CloseCode.UserSigExpired, 'UserSig expired');
      return;
    }
    this.#timedOut = true;
    this.ws.close(CloseCode.HeartbeatTimeout, 'heartbeat timeout');
    // A silent peer may never complete the closing handshake.
    setTimeout(() => this.ws.terminate(), 1_000).unref();
  }

  /** The socket is gone: an instance that did not log out goes PushOnline (with a binding) or Offline. */
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
        this.#info('Disconnect', this.#timedOut ? 'TimeOut' : 'LinkClose'),
        undefined,
        this.clientIp,
      );
    }
  }

  async #pullAndAnnounce(): Promise<void> {
    if (!this.loggedIn) return;
    await this.#pull();
    this.#send({ type: 'event', event: 'syncFinished', data: { lastSeq: this.#deliveredSeq } });
  }

  /** Sends every inbox entry after the last one sent; resolves when none is left (even if notified meanwhile). */
  #pull(): Promise<void> {
    if (this.#pulling) {
      this.#pullAgain = true;
      return this.#pullRun;
    }
    this.#pulling = true;
    this.#pullRun = this.#drain();
    return this.#pullRun;
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#pullAgain = false;
        for (;;) {
          if (this.#ended || !this.loggedIn) return;
          const page = await this.ctx.inbox.after(this.sdkAppId, this.userId, this.#deliveredSeq, PULL_PAGE);
          for (const { senderInstance, ...entry } of page) {
            // The sending device knows its own message: it gets it marked, to advance its seq only.
            const data = senderInstance === this.instanceId ? { ...entry, fromThisDevice: true } : entry;
            this.#send({ type: 'event', event: 'message', data });
            this.#deliveredSeq = entry.seq;
          }
          if (page.length < PULL_PAGE) break;
          await this.#drainSocket();
        }
      } while (this.#pullAgain);
    } catch (err) {
      this.ctx.log.error({ err }, 'inbox pull failed');
    } finally {
      // Cleared synchronously after the last check, so a later notification starts a new drain.
      this.#pulling = false;
    }
  }

  /** Backpressure: a large resume waits for a slow client instead of buffering everything in memory. */
  #drainSocket(): Promise<void> {
    return drainSocket(this.ws, Math.min(PULL_BUFFERED_BYTES, this.ctx.options.maxBufferedBytes / 2));
  }

  #ack(seq: number): void {
    if (this.loggedIn) this.#acks.ack(seq);
  }

  #error(code: number, message: string): void {
    this.#send({ type: 'error', code, message });
  }

  #send(frame: unknown): void {
    const { ws } = this;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(frame));
    const buffered = ws.bufferedAmount;
    const { stats, options } = this.ctx;
    if (buffered > stats.maxBuffered) stats.maxBuffered = buffered;
    // Requests stop being read at the limit; events (live messages, unread counts) keep coming for a
    // client that does not read them: at twice the limit it is closed, and its queue freed.
    if (buffered > 2 * options.maxBufferedBytes) this.#closeNotReading(buffered);
  }

  #closeNotReading(buffered: number): void {
    if (this.#closingNotReading) return;
    this.#closingNotReading = true;
    this.ctx.stats.closedNotReading++;
    this.ctx.log.info(
      { sdkAppId: this.sdkAppId, userId: this.userId, instanceId: this.instanceId, buffered },
      'gateway: closing a connection that does not read (4009)',
    );
    this.ws.close(CloseCode.NotReading, 'not reading: too much data waiting to be sent');
    // The close frame waits behind everything queued, which this client does not read: free it soon.
    setTimeout(() => this.ws.terminate(), 1_000).unref();
  }
}
