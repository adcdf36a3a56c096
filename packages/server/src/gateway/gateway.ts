// The WebSocket gateway: accepts sockets on the Fastify server's port at `options.path`, checks heartbeats
// and UserSig expiry, ends sessions on admin kicks, and reports state changes as webhooks.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { HeldSocket } from '../devices/redis-presence.js';
import { clientIp, optPlatform } from '../webhooks/sign.js';
import { Connection } from './connection.js';
import {
  DEFAULT_GATEWAY_OPTIONS,
  type GatewayContext,
  type GatewayDeps,
  type GatewayOptions,
  type GatewayStats,
} from './context.js';
import { CloseCode, GatewayErrorCode } from './protocol.js';
import { TencentGateway } from './tencent/gateway.js';

/** Offline instances are forgotten after this long (a device back later starts without a backlog). */
const OFFLINE_INSTANCE_RETENTION_MS = 30 * 86_400_000;

export class Gateway {
  readonly #ctx: GatewayContext;
  readonly #wss: WebSocketServer;
  /** The front door of Tencent's own client SDK (tencent/), on the same state. */
  readonly #tencent: TencentGateway;
  readonly #connections = new Set<Connection>();
  readonly #closing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #lastPurge = 0;

  constructor(deps: GatewayDeps, options: Partial<GatewayOptions> = {}) {
    const opts = { ...DEFAULT_GATEWAY_OPTIONS, ...options };
    this.#ctx = {
      ...deps,
      options: opts,
      stats: { paused: 0, closedNotReading: 0, refused: 0, maxBuffered: 0 },
      byInstance: new Map(),
      stateChange: (sdkAppId, info, kicked, ip) =>
        deps.webhooks.post(
          sdkAppId,
          'State.StateChange',
          {
            CallbackCommand: 'State.StateChange',
            EventTime: deps.now(),
            Info: info,
            ...(kicked && kicked.length > 0 ? { KickedDevice: kicked } : {}),
          },
          { ...(ip ? { ClientIP: ip } : {}), OptPlatform: optPlatform(info.Platform, true) },
        ),
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxFrameBytes,
      perMessageDeflate: false,
    });
    this.#tencent = new TencentGateway(this.#ctx);
    this.#wss.on('connection', (ws, req: IncomingMessage) =>
      this.#accept(ws, clientIp(req.socket.remoteAddress)),
    );
  }

  get options(): GatewayOptions {
    return this.#ctx.options;
  }

  /** Number of open sockets on this node (both gateways). */
  get connectionCount(): number {
    return this.#connections.size + this.#tencent.connectionCount;
  }

  /** Backpressure counters (metrics.ts). */
  get stats(): Readonly<GatewayStats> {
    return this.#ctx.stats;
  }

  /** Bytes queued for sending on all sockets of this node now. */
  bufferedBytes(): number {
    let total = 0;
    for (const conn of this.#connections) total += conn.bufferedAmount;
    return total + this.#tencent.bufferedBytes();
  }

  /**
   * Takes over WebSocket upgrades for our path on the HTTP server, and the Tencent SDK's paths
   * (tencent/gateway.ts, which answers 404 to every other path).
   */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== this.#ctx.options.path) return;
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
    });
    this.#tencent.attach(server, [this.#ctx.options.path]);
    if (this.#ctx.options.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => void this.sweep(), this.#ctx.options.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  #accept(ws: import('ws').WebSocket, ip: string): void {
    const conn = new Connection(ws, this.#ctx, ip);
    this.#connections.add(conn);
    ws.on('message', (data, isBinary) => conn.onFrame(data as Buffer, isBinary));
    ws.on('error', (err) => this.#ctx.log.debug({ err }, 'gateway socket error'));
    ws.on('close', () => {
      this.#connections.delete(conn);
      const done = conn
        .onClose()
        .catch((err) => this.#ctx.log.error({ err }, 'gateway close handling failed'));
      this.#closing.add(done);
      void done.finally(() => this.#closing.delete(done));
    });
  }

  /**
   * Closes connections that have been silent too long, have not logged in in time, or whose UserSig
   * expired; purges expired messages once a minute. Runs on a timer; tests call it after moving the clock.
   */
  async sweep(): Promise<void> {
    this.#tencent.sweep();
    const now = this.#ctx.now();
    const { heartbeatTimeoutMs, loginTimeoutMs } = this.#ctx.options;
    for (const conn of this.#connections) {
      if (!conn.loggedIn && now - conn.openedAt > loginTimeoutMs) conn.expire('timeout');
      else if (now - conn.lastSeen > heartbeatTimeoutMs) conn.expire('timeout');
      else if (conn.loggedIn && conn.sigExpiresAt < now) conn.expire('usersig');
    }
    if (now - this.#lastPurge >= 60_000) {
      this.#lastPurge = now;
      await this.#ctx.messaging.purgeExpired().catch((err) => this.#ctx.log.error({ err }, 'purge failed'));
      await this.#ctx.sessions
        .purgeOffline(OFFLINE_INSTANCE_RETENTION_MS)
        .catch((err) => this.#ctx.log.error({ err }, 'instance purge failed'));
    }
  }

  /** Resolves when every closed socket's state change is written (tests wait on it). */
  async settled(): Promise<void> {
    while (this.#closing.size > 0) await Promise.allSettled([...this.#closing]);
    await this.#tencent.settled();
  }

  /** Admin kick: every instance Offline without bindings, live sockets get `kicked` and close. */
  async kickUser(sdkAppId: number, userId: string): Promise<void> {
    const ended = await this.#ctx.sessions.endAll(sdkAppId, userId);
    this.#ctx.router.kick(
      sdkAppId,
      userId,
      null,
      GatewayErrorCode.KickedByAdmin,
      'kicked by the administrator',
    );
    for (const { instanceId, platform } of ended) {
      this.#ctx.stateChange(sdkAppId, {
        Action: 'Logout',
        To_Account: userId,
        Reason: 'Kicked',
        Platform: platform,
        InstanceId: instanceId,
      });
    }
  }

  /**
   * The sockets of a node that died (redis-presence.ts): their instances go PushOnline or Offline as on a
   * disconnect, unless they logged in again since.
   */
  async releaseSockets(sockets: readonly HeldSocket[]): Promise<void> {
    for (const s of sockets) {
      const [info] = (await this.#ctx.sessions.instancesOf(s.sdkAppId, [s.userId])).filter(
        (i) => i.instanceId === s.instanceId,
      );
      const state = await this.#ctx.sessions.disconnect(s.sdkAppId, s.userId, s.instanceId, s.sessionId);
      if (state && info) {
        this.#ctx.stateChange(s.sdkAppId, {
          Action: 'Disconnect',
          To_Account: s.userId,
          Reason: 'TimeOut',
          Platform: info.platform,
          InstanceId: s.instanceId,
        });
      }
    }
  }

  /** Deleted accounts: sockets closed, instances and bindings removed. */
  async forgetUsers(sdkAppId: number, userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      this.#ctx.router.kick(sdkAppId, userId, null, GatewayErrorCode.KickedByAdmin, 'account deleted');
    }
    await this.#ctx.sessions.forget(sdkAppId, userIds);
  }

  /** Closes every socket; their instances go PushOnline or Offline as on any disconnect. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    for (const ws of this.#wss.clients) ws.close(CloseCode.ServerShutdown, 'server shutting down');
    const deadline = Date.now() + 1_000;
    while (this.#wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await this.#tencent.close();
    await this.settled();
  }
}
