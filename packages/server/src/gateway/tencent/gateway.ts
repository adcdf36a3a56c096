// The second client gateway: Tencent's own SDK (`@tencentcloud/chat`) connects here when an app sets
// `proxyServer` to this server (docs/tencent-sdk.md). It shares the /ws gateway's context — sessions,
// router, inbox, messaging, login policy, limits — so both kinds of client see one state.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { clientIp } from '../../webhooks/sign.js';
import type { GatewayContext } from '../context.js';
import { CloseCode } from '../protocol.js';
import { TencentConnection } from './connection.js';
import { platformOf } from './frames.js';

/** The SDK appends these to `proxyServer`: `/binfo` (binary frames) where it can, `/info` (text) otherwise. */
export const TENCENT_PATHS = { binary: '/binfo', text: '/info' } as const;

export class TencentGateway {
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<TencentConnection>();
  readonly #closing = new Set<Promise<void>>();

  constructor(private readonly ctx: GatewayContext) {
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.options.maxFrameBytes,
      perMessageDeflate: false,
    });
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Bytes queued for sending on this gateway's sockets. */
  bufferedBytes(): number {
    let total = 0;
    for (const conn of this.#connections) total += conn.bufferedAmount;
    return total;
  }

  /**
   * Takes the upgrades of `/binfo` and `/info`. `otherPaths` are served by other listeners; any path that
   * is neither gets a 404 here.
   */
  attach(server: Server, otherPaths: readonly string[]): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const [path = '', query = ''] = (req.url ?? '').split('?');
      const binary = path === TENCENT_PATHS.binary;
      if (!binary && path !== TENCENT_PATHS.text) {
        if (!otherPaths.includes(path)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      const params = new URLSearchParams(query);
      const instanceId = params.get('instanceid') ?? '';
      if (!/^[\w-]{1,64}$/.test(instanceId)) {
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n' +
            'instanceid must be 1-64 letters, digits, _ or -\n',
        );
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new TencentConnection(ws, this.ctx, {
          instanceId,
          platform: platformOf(params.get('platform'), params.get('host')),
          binary,
          clientIp: clientIp(req.socket.remoteAddress),
        });
        this.#connections.add(conn);
        ws.on('message', (data) => conn.onFrame(data as Buffer));
        ws.on('error', (err) => this.ctx.log.debug({ err }, 'tencent gateway socket error'));
        ws.on('close', () => {
          this.#connections.delete(conn);
          const done = conn
            .onClose()
            .catch((err) => this.ctx.log.error({ err }, 'tencent gateway close handling failed'));
          this.#closing.add(done);
          void done.finally(() => this.#closing.delete(done));
        });
      });
    });
  }

  /** Closes sockets silent too long, not logged in in time, or whose UserSig expired (Gateway.sweep). */
  sweep(): void {
    const now = this.ctx.now();
    const { heartbeatTimeoutMs, loginTimeoutMs } = this.ctx.options;
    for (const conn of this.#connections) {
      if (!conn.loggedIn && now - conn.openedAt > loginTimeoutMs) conn.expire('timeout');
      else if (now - conn.lastSeen > heartbeatTimeoutMs) conn.expire('timeout');
      else if (conn.loggedIn && conn.sigExpiresAt < now) conn.expire('usersig');
    }
  }

  /** Resolves when every closed socket's state change is written. */
  async settled(): Promise<void> {
    while (this.#closing.size > 0) await Promise.allSettled([...this.#closing]);
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.close(CloseCode.ServerShutdown, 'server shutting down');
    const deadline = Date.now() + 1_000;
    while (this.#wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await this.settled();
  }
}
