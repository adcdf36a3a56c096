// Which node holds which sockets, so that a node that dies without closing its sockets (crash, kill -9, power
// loss) does not leave their instances Online — and unreachable by push — forever. One node alone repairs
// this at its next start (sessions.recoverAfterRestart); with several nodes the survivors do it:
//
//   <prefix>nodes                 set of node IDs
//   <prefix>node:<id>             "alive" marker, refreshed every third of the node timeout, expiring after it
//   <prefix>node:<id>:sockets     the node's logged-in sockets (app, user, instance, login session)
//
// Every node sweeps the set: a node whose marker expired is claimed by one survivor (SET NX), which hands its
// sockets to `onNodeDown` (the server marks each instance PushOnline or Offline, as if the socket had closed,
// unless the instance logged in again since) and forgets the node. A node stalled longer than the timeout
// (a very long pause) is treated as dead too; its clients' next heartbeat or reconnect repairs their state.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RoutedConnection } from './router.js';

export interface HeldSocket {
  sdkAppId: number;
  userId: string;
  instanceId: string;
  sessionId: string;
}

export type NodeDownHandler = (nodeId: string, sockets: HeldSocket[]) => Promise<void>;

export class NodePresence {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #nodeId: string;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  #handler: NodeDownHandler | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<void> = Promise.resolve();

  constructor(redis: Redis, opts: { prefix: string; nodeId: string; timeoutMs: number; log: Logger }) {
    this.#redis = redis;
    this.#prefix = opts.prefix;
    this.#nodeId = opts.nodeId;
    this.#timeoutMs = opts.timeoutMs;
    this.#log = opts.log;
  }

  /** Who repairs the instances of a dead node; sweeping starts once it is set. */
  onNodeDown(handler: NodeDownHandler): void {
    this.#handler = handler;
  }

  /** Announces this node and starts the heartbeat and the sweep. */
  async start(): Promise<void> {
    await this.#heartbeat();
    this.#timer = setInterval(() => {
      this.#beat = this.#beat
        .then(() => this.#heartbeat())
        .then(() => this.sweep())
        .then(
          () => {},
          (err: unknown) => this.#log.error({ err }, 'node presence: heartbeat or sweep failed'),
        );
    }, this.#timeoutMs / 3);
    this.#timer.unref();
  }

  add(conn: RoutedConnection): void {
    this.#write(this.#redis.sadd(this.#sockets(this.#nodeId), socketMember(conn)));
  }

  remove(conn: RoutedConnection): void {
    this.#write(this.#redis.srem(this.#sockets(this.#nodeId), socketMember(conn)));
  }

  /** Repairs the instances of nodes whose marker expired; returns how many nodes it took over. */
  async sweep(): Promise<number> {
    if (!this.#handler) return 0;
    let taken = 0;
    for (const id of await this.#redis.smembers(`${this.#prefix}nodes`)) {
      if (id === this.#nodeId || (await this.#redis.exists(this.#alive(id))) === 1) continue;
      const claimed = await this.#redis.set(
        `${this.#alive(id)}:reaper`,
        this.#nodeId,
        'PX',
        this.#timeoutMs,
        'NX',
      );
      if (claimed !== 'OK') continue;
      const sockets = (await this.#redis.smembers(this.#sockets(id))).map(parseMember);
      this.#log.warn(
        { node: id, sockets: sockets.length },
        'node presence: a node died; releasing its devices',
      );
      await this.#handler(id, sockets);
      await this.#redis
        .multi()
        .del(this.#sockets(id))
        .srem(`${this.#prefix}nodes`, id)
        .del(`${this.#alive(id)}:reaper`)
        .exec();
      taken++;
    }
    return taken;
  }

  /** Graceful stop, after the gateway closed its sockets: this node leaves the set. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#beat;
    await this.#redis
      .multi()
      .del(this.#alive(this.#nodeId))
      .del(this.#sockets(this.#nodeId))
      .srem(`${this.#prefix}nodes`, this.#nodeId)
      .exec();
  }

  async #heartbeat(): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#alive(this.#nodeId), String(Date.now()), 'PX', this.#timeoutMs)
      .sadd(`${this.#prefix}nodes`, this.#nodeId)
      .exec();
  }

  #write(p: Promise<unknown>): void {
    p.catch((err: unknown) => this.#log.error({ err }, 'node presence: recording a socket failed'));
  }

  #alive(id: string): string {
    return `${this.#prefix}node:${id}`;
  }

  #sockets(id: string): string {
    return `${this.#prefix}node:${id}:sockets`;
  }
}

function socketMember(c: RoutedConnection): string {
  return JSON.stringify([c.sdkAppId, c.userId, c.instanceId, c.sessionId]);
}

function parseMember(m: string): HeldSocket {
  const [sdkAppId, userId, instanceId, sessionId] = JSON.parse(m) as [number, string, string, string];
  return { sdkAppId, userId, instanceId, sessionId };
}
