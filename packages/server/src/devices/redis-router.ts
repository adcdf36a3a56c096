// The router of a multi-node deployment: every node routes to its own sockets through an InMemoryRouter and
// publishes each call on one Redis pub/sub channel, so that the node holding the user's socket delivers it
// too. Instance state (Online / PushOnline / Offline) stays in the database; the router only delivers.
// Broadcasting (rather than looking up the user's nodes first) has no window in which a fresh socket is
// missed and costs each node the parsing of every live event: right for a handful of nodes.
//
// Node liveness and the sockets each node holds are kept in Redis too (redis-presence.ts), so that the
// devices of a node that died are released by the survivors.
//
// Delivery is at-most-once, like a socket write: a node that misses a notification (Redis restarting) loses
// nothing durable: clients pull their inbox by sequence number after reconnecting and on the next `inbox`
// notification, and kicks are written to the database (sessions.ts) before they are routed.
import { randomUUID } from 'node:crypto';
import type { ServerEvent } from '@pushline/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis, openRedis, waitForRedis } from '../store/redis.js';
import { type NodeDownHandler, NodePresence } from './redis-presence.js';
import { InMemoryRouter, type RoutedConnection, type Router } from './router.js';

/** What nodes publish to each other: one Router call. */
type RouterMessage = { node: string } & (
  | { op: 'inbox'; app: number; users: string[] }
  | { op: 'event'; app: number; user: string; event: ServerEvent; except?: string }
  | { op: 'kick'; app: number; user: string; instances: string[] | null; code: number; reason: string }
  | { op: 'attach'; app: number; user: string; instance: string; session: string }
);

export class RedisRouter implements Router {
  readonly #local = new InMemoryRouter();
  readonly #node = randomUUID();
  readonly #channel: string;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #log: Logger;
  readonly #url: string;
  readonly #presence: NodePresence;

  /** `nodeTimeoutMs`: how long a node may stay silent before the others release its devices. */
  constructor(url: string, opts: { prefix: string; log: Logger; nodeTimeoutMs: number }) {
    this.#url = url;
    this.#channel = `${opts.prefix}router`;
    this.#log = opts.log;
    this.#pub = openRedis(url, 'pushline-router-pub', opts.log);
    // A subscribed connection can do nothing else: a second one.
    this.#sub = openRedis(url, 'pushline-router-sub', opts.log);
    this.#sub.on('message', (channel: string, raw: string) => {
      if (channel === this.#channel) this.#receive(raw);
    });
    this.#presence = new NodePresence(this.#pub, {
      prefix: opts.prefix,
      nodeId: this.#node,
      timeoutMs: opts.nodeTimeoutMs,
      log: opts.log,
    });
  }

  /** Who marks the devices of a node that died PushOnline or Offline (Gateway.releaseSockets). */
  onNodeDown(handler: NodeDownHandler): void {
    this.#presence.onNodeDown(handler);
  }

  /** Subscribes; resolves once this node receives what other nodes publish. */
  async start(): Promise<void> {
    await waitForRedis(this.#pub, this.#url);
    await this.#sub.subscribe(this.#channel);
    await this.#presence.start();
  }

  get size(): number {
    return this.#local.size;
  }

  /** The user's sockets may be on any node: always. */
  mayReach(): boolean {
    return true;
  }

  attach(conn: RoutedConnection): void {
    this.#local.attach(conn);
    this.#presence.add(conn);
    // A socket of the same instance on another node (a reconnect through the load balancer that landed
    // elsewhere while the old socket lingers) is replaced, as on one node.
    this.#publish({
      node: this.#node,
      op: 'attach',
      app: conn.sdkAppId,
      user: conn.userId,
      instance: conn.instanceId,
      session: conn.sessionId,
    });
  }

  detach(conn: RoutedConnection): void {
    this.#local.detach(conn);
    this.#presence.remove(conn);
  }

  notifyInbox(sdkAppId: number, userIds: Iterable<string>): void {
    const users = [...userIds];
    if (users.length === 0) return;
    this.#local.notifyInbox(sdkAppId, users);
    this.#publish({ node: this.#node, op: 'inbox', app: sdkAppId, users });
  }

  sendEvent(sdkAppId: number, userId: string, event: ServerEvent, exceptInstanceId?: string): void {
    this.#local.sendEvent(sdkAppId, userId, event, exceptInstanceId);
    this.#publish({
      node: this.#node,
      op: 'event',
      app: sdkAppId,
      user: userId,
      event,
      ...(exceptInstanceId !== undefined ? { except: exceptInstanceId } : {}),
    });
  }

  kick(sdkAppId: number, userId: string, instanceIds: string[] | null, code: number, reason: string): void {
    this.#local.kick(sdkAppId, userId, instanceIds, code, reason);
    this.#publish({
      node: this.#node,
      op: 'kick',
      app: sdkAppId,
      user: userId,
      instances: instanceIds,
      code,
      reason,
    });
  }

  /** After the gateway closed its sockets: leaves the node set, then closes both connections. */
  async close(): Promise<void> {
    await this.#presence
      .stop()
      .catch((err: unknown) => this.#log.error({ err }, 'router: leaving the node set'));
    await Promise.all([closeRedis(this.#sub), closeRedis(this.#pub)]);
  }

  #publish(message: RouterMessage): void {
    this.#pub.publish(this.#channel, JSON.stringify(message)).catch((err: unknown) => {
      this.#log.error({ err, op: message.op }, 'router: publishing to other nodes failed');
    });
  }

  #receive(raw: string): void {
    let m: RouterMessage;
    try {
      m = JSON.parse(raw) as RouterMessage;
    } catch (err) {
      this.#log.error({ err }, 'router: unreadable message from another node');
      return;
    }
    if (m.node === this.#node) return; // already delivered locally
    if (m.op === 'inbox') this.#local.notifyInbox(m.app, m.users);
    else if (m.op === 'event') this.#local.sendEvent(m.app, m.user, m.event, m.except);
    else if (m.op === 'kick') this.#local.kick(m.app, m.user, m.instances, m.code, m.reason);
    else if (m.op === 'attach') this.#local.replaceInstance(m.app, m.user, m.instance, m.session);
  }
}
