// Routes live traffic to the connections holding a user's sockets. The in-memory router serves one node;
// a multi-node router (Redis pub/sub) implements the same interface and fans out across nodes.
import type { ServerEvent } from '@pushline/contracts';

/** What a logged-in connection exposes to the router. */
export interface RoutedConnection {
  readonly sdkAppId: number;
  readonly userId: string;
  readonly instanceId: string;
  /** The login this socket belongs to (sessions.ts); a newer login of the same instance has another. */
  readonly sessionId: string;
  /** New inbox rows exist for this user: pull them. */
  onInbox(): void;
  onEvent(event: ServerEvent): void;
  /** End the session: send the kicked event, then close. */
  onKick(code: number, reason: string): void;
  /** A newer socket logged in as the same instance: close without touching the instance state. */
  replace(): void;
}

export interface Router {
  attach(conn: RoutedConnection): void;
  detach(conn: RoutedConnection): void;
  /** Tell every connection of these users that their inbox grew. */
  notifyInbox(sdkAppId: number, userIds: Iterable<string>): void;
  /** Send an event to every connection of the user, optionally except one instance. */
  sendEvent(sdkAppId: number, userId: string, event: ServerEvent, exceptInstanceId?: string): void;
  /** Kick the given instances of the user (all when `instanceIds` is null). */
  kick(sdkAppId: number, userId: string, instanceIds: string[] | null, code: number, reason: string): void;
  /**
   * Whether the user may have a live connection now: false only when it certainly has none, so that what
   * only live connections are sent (the new unread totals of a send) need not be read for it.
   */
  mayReach(sdkAppId: number, userId: string): boolean;
  /** Number of connections attached on this node. */
  readonly size: number;
}

export class InMemoryRouter implements Router {
  readonly #byUser = new Map<string, Set<RoutedConnection>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  attach(conn: RoutedConnection): void {
    const key = userKey(conn.sdkAppId, conn.userId);
    let set = this.#byUser.get(key);
    if (!set) {
      set = new Set();
      this.#byUser.set(key, set);
    }
    if (!set.has(conn)) {
      set.add(conn);
      this.#size++;
    }
  }

  detach(conn: RoutedConnection): void {
    const key = userKey(conn.sdkAppId, conn.userId);
    const set = this.#byUser.get(key);
    if (set?.delete(conn)) {
      this.#size--;
      if (set.size === 0) this.#byUser.delete(key);
    }
  }

  notifyInbox(sdkAppId: number, userIds: Iterable<string>): void {
    for (const userId of userIds) {
      for (const conn of this.#connections(sdkAppId, userId)) conn.onInbox();
    }
  }

  sendEvent(sdkAppId: number, userId: string, event: ServerEvent, exceptInstanceId?: string): void {
    for (const conn of this.#connections(sdkAppId, userId)) {
      if (conn.instanceId !== exceptInstanceId) conn.onEvent(event);
    }
  }

  kick(sdkAppId: number, userId: string, instanceIds: string[] | null, code: number, reason: string): void {
    for (const conn of this.#connections(sdkAppId, userId)) {
      if (instanceIds === null || instanceIds.includes(conn.instanceId)) conn.onKick(code, reason);
    }
  }

  /** One node: every connection of the user is attached here. */
  mayReach(sdkAppId: number, userId: string): boolean {
    return this.#byUser.has(userKey(sdkAppId, userId));
  }

  /** Closes this node's sockets of the instance that belong to another login than `sessionId`. */
  replaceInstance(sdkAppId: number, userId: string, instanceId: string, sessionId: string): void {
    for (const conn of this.#connections(sdkAppId, userId)) {
      if (conn.instanceId === instanceId && conn.sessionId !== sessionId) conn.replace();
    }
  }

  #connections(sdkAppId: number, userId: string): RoutedConnection[] {
    // A copy: handlers may detach while we iterate.
    return [...(this.#byUser.get(userKey(sdkAppId, userId)) ?? [])];
  }
}

function userKey(sdkAppId: number, userId: string): string {
  return `${sdkAppId}\u0000${userId}`;
}
