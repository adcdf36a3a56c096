// Device instances (and, through binding-store.ts, their push bindings), persisted so that every node (and
// the push engine) sees who is where. States as in docs/internals/tencent-im.md#online-states: Online (socket
// up, foreground), PushOnline (logged in, app in background or killed), Offline (logged out, kicked, never
// logged in).
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { withValues } from '../store/bulk.js';
import { isSqlite } from '../store/db.js';
import type { Database, InstancesTable, PushBindingsTable } from '../store/schema.js';
import { deleteBindings, type PushBinding, toBinding } from './binding-store.js';
import { instancesToEvict, type LoginPolicy, type Platform } from './login-policy.js';

export type { PushBinding } from './binding-store.js';

export type SessionState = 'Online' | 'PushOnline' | 'Offline';

export interface InstanceInfo {
  userId: string;
  instanceId: string;
  platform: string;
  state: SessionState;
  /** True after doBackground until doForeground. */
  background: boolean;
  /** The unread count the client reported with doBackground: the badge base of the next push. */
  badgeBase: number;
  ackedSeq: number;
  loggedInAt: number;
  lastSeenAt: number;
}

/** A logged-in instance with its bindings: what the push engine needs per recipient. */
export interface PushTarget extends InstanceInfo {
  bindings: PushBinding[];
}

type Db = Kysely<Database> | Transaction<Database>;

/** A binding's columns beside its instance's in pushTargets' SQLite join (null: the instance has none). */
interface BindingColumns {
  binding_token_type: number | null;
  binding_certificate_id: number | null;
  binding_token: string | null;
  binding_reported_at: number | null;
}

// The fan-out's statements on PostgreSQL take a page's users as ONE array parameter: `user_id = any($2)` is
// looked up in the primary key, whereas `user_id in (values ...)` is planned as a join that, once the table
// is a few times larger than the page, PostgreSQL estimated cheaper as a scan of the app's every row — per
// page of 500 users (bench/README.md, 2026-12-05). One statement text for every page size, too.
const PG_TARGET_INSTANCES =
  "select * from instances where sdkappid = $1 and state != 'Offline' and user_id = any(cast($2 as text[]))";
const PG_TARGET_BINDINGS =
  'select * from push_bindings where sdkappid = $1 and user_id = any(cast($2 as text[]))';
const PG_ADD_TO_BADGES =
  'update instances set unread_base = unread_base + $1 where sdkappid = $2 and user_id = any(cast($3 as text[])) ' +
  'and (user_id, instance_id) in (select * from unnest(cast($3 as text[]), cast($4 as text[])))';

export class SessionStore {
  readonly #loginListeners: ((sdkAppId: number, userId: string) => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** Calls `listener` after every committed login (the daily statistics count them, apps/daily-stats.ts). */
  onLogin(listener: (sdkAppId: number, userId: string) => void): void {
    this.#loginListeners.push(listener);
  }

  /**
   * Logs the instance in (state Online, foreground) and logs out whatever the policy evicts, removing the
   * evicted instances' bindings. Returns the evicted instance IDs and the instance's previous record.
   */
  async login(
    sdkAppId: number,
    userId: string,
    instanceId: string,
    platform: Platform,
    policy: LoginPolicy,
  ): Promise<{ evicted: InstanceInfo[]; previous: InstanceInfo | undefined; sessionId: string }> {
    const now = this.now();
    const sessionId = randomUUID();
    const result = await this.db.transaction().execute(async (trx) => {
      // Concurrent logins of one user must see each other to apply the policy: on PostgreSQL they queue
      // on the account row (SQLite runs one transaction at a time anyway).
      if (!isSqlite(trx)) {
        await trx
          .selectFrom('accounts')
          .select('user_id')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .forUpdate()
          .execute();
      }
      const rows = await trx
        .selectFrom('instances')
        .selectAll()
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .execute();
      const all = rows.map(toInfo);
      const previous = all.find((i) => i.instanceId === instanceId);
      const others = all.filter((i) => i.instanceId !== instanceId && i.state !== 'Offline');
      const evicted = instancesToEvict(policy, others, { platform });
      for (const e of evicted) await this.#endInstance(trx, sdkAppId, userId, e.instanceId);
      await trx
        .insertInto('instances')
        .values({
          sdkappid: sdkAppId,
          user_id: userId,
          instance_id: instanceId,
          platform,
          state: 'Online',
          background: 0,
          connected: 1,
          unread_base: 0,
          acked_seq: 0,
          session_id: sessionId,
          logged_in_at: now,
          last_seen_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['sdkappid', 'user_id', 'instance_id']).doUpdateSet({
            platform,
            state: 'Online',
            background: 0,
            connected: 1,
            session_id: sessionId,
            logged_in_at: previous && previous.state !== 'Offline' ? previous.loggedInAt : now,
            last_seen_at: now,
            updated_at: now,
          }),
        )
        .execute();
      return { evicted, previous, sessionId };
    });
    for (const listener of this.#loginListeners) listener(sdkAppId, userId);
    return result;
  }

  /**
   * The socket closed or timed out without logout: PushOnline if the instance has a binding, else Offline.
   * With `sessionId`, only if that login is still the instance's current one.
   */
  async disconnect(
    sdkAppId: number,
    userId: string,
    instanceId: string,
    sessionId?: string,
  ): Promise<SessionState | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('instances')
        .select(['state', 'session_id'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId)
        .executeTakeFirst();
      if (!row || row.state === 'Offline') return undefined;
      if (sessionId !== undefined && row.session_id !== sessionId) return undefined;
      const binding = await trx
        .selectFrom('push_bindings')
        .select('token_type')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId)
        .executeTakeFirst();
      const state: SessionState = binding ? 'PushOnline' : 'Offline';
      await this.#update(trx, sdkAppId, userId, instanceId, {
        state,
        connected: 0,
        last_seen_at: this.now(),
      });
      return state;
    });
  }

  /**
   * The instance's current login, if it was neither logged out nor ended (by the login policy or an admin
   * kick); a socket that merely closed keeps it.
   */
  async currentSessionId(sdkAppId: number, userId: string, instanceId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('instances')
      .select('session_id')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row?.session_id ? row.session_id : undefined;
  }

  /** logout: Offline and the push bindings gone. */
  async logout(sdkAppId: number, userId: string, instanceId: string): Promise<void> {
    await this.db.transaction().execute((trx) => this.#endInstance(trx, sdkAppId, userId, instanceId));
  }

  /** Admin kick: every instance of the user Offline, every binding gone. Returns the instances ended. */
  async endAll(sdkAppId: number, userId: string): Promise<{ instanceId: string; platform: string }[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('instances')
        .select(['instance_id', 'platform'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('state', '!=', 'Offline')
        .execute();
      await trx
        .updateTable('instances')
        .set({ state: 'Offline', background: 0, session_id: '', updated_at: this.now() })
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .execute();
      await deleteBindings(trx, sdkAppId, [userId]);
      return rows.map((r) => ({ instanceId: r.instance_id, platform: r.platform }));
    });
  }

  /** Deleted accounts leave no instances or bindings behind. */
  async forget(sdkAppId: number, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await deleteBindings(trx, sdkAppId, userIds);
      await trx
        .deleteFrom('instances')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', userIds)
        .execute();
    });
  }

  /**
   * The app went to the background: PushOnline when the instance has a push binding (it gets pushes), else
   * it stays Online — connected, and reachable only live (binding-store.ts keeps the two in step).
   */
  async background(sdkAppId: number, userId: string, instanceId: string, unread: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const binding = await trx
        .selectFrom('push_bindings')
        .select('token_type')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId)
        .executeTakeFirst();
      await this.#update(trx, sdkAppId, userId, instanceId, {
        state: binding ? 'PushOnline' : 'Online',
        background: 1,
        unread_base: unread,
      });
    });
  }

  async foreground(sdkAppId: number, userId: string, instanceId: string): Promise<void> {
    await this.#update(this.db, sdkAppId, userId, instanceId, { state: 'Online', background: 0 });
  }

  async ack(sdkAppId: number, userId: string, instanceId: string, seq: number): Promise<void> {
    await this.db
      .updateTable('instances')
      .set({ acked_seq: seq })
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .where('acked_seq', '<', seq)
      .execute();
  }

  /**
   * For the push engine: adds `n` to the instance's badge base (one per pushed message that counts toward
   * the badge) and returns the new badge, or undefined if there is no such instance.
   */
  async addToBadge(sdkAppId: number, userId: string, instanceId: string, n = 1): Promise<number | undefined> {
    const row = await this.db
      .updateTable('instances')
      .set({ unread_base: sql<number>`unread_base + ${n}` })
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .returning('unread_base')
      .executeTakeFirst();
    return row ? Number(row.unread_base) : undefined;
  }

  /**
   * For push fan-out: adds `n` to the badge base of many instances in a few statements (one UPDATE per
   * instance costs more than rendering the push at all-member scale).
   */
  async addToBadges(
    sdkAppId: number,
    instances: { userId: string; instanceId: string }[],
    n = 1,
  ): Promise<void> {
    if (instances.length === 0) return;
    if (!isSqlite(this.db)) {
      // One array per column: PostgreSQL looks the users up in the primary key (see pushTargets).
      await this.db.executeQuery(
        CompiledQuery.raw(PG_ADD_TO_BADGES, [
          n,
          sdkAppId,
          instances.map((x) => x.userId),
          instances.map((x) => x.instanceId),
        ]),
      );
      return;
    }
    await withValues(
      this.db,
      {
        key: 'instances_badges',
        text: (values) =>
          `update instances set unread_base = unread_base + ? where sdkappid = ? and (user_id, instance_id) in (${values})`,
        before: [n, sdkAppId],
      },
      2,
      instances.map((x) => [x.userId, x.instanceId]),
    );
  }

  async get(sdkAppId: number, userId: string, instanceId: string): Promise<InstanceInfo | undefined> {
    return this.#get(this.db, sdkAppId, userId, instanceId);
  }

  /** Every instance of the given users, Offline ones included. */
  async instancesOf(sdkAppId: number, userIds: string[]): Promise<InstanceInfo[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('instances')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', userIds)
      .orderBy('logged_in_at')
      .execute();
    return rows.map(toInfo);
  }

  /**
   * For the push engine: the logged-in (Online or PushOnline) instances of the given users with their
   * bindings and badge base. Pushes go to the PushOnline ones that have a binding.
   */
  async pushTargets(sdkAppId: number, userIds: string[]): Promise<PushTarget[]> {
    if (userIds.length === 0) return [];
    if (isSqlite(this.db)) return this.#pushTargetsSqlite(sdkAppId, userIds);
    const [instances, bindings] = await Promise.all([
      this.db
        .executeQuery<Selectable<InstancesTable>>(CompiledQuery.raw(PG_TARGET_INSTANCES, [sdkAppId, userIds]))
        .then((r) => r.rows),
      this.db
        .executeQuery<Selectable<PushBindingsTable>>(
          CompiledQuery.raw(PG_TARGET_BINDINGS, [sdkAppId, userIds]),
        )
        .then((r) => r.rows),
    ]);
    // Grouped once: filtering every binding per instance is quadratic in the page size.
    const byInstance = new Map<string, PushBinding[]>();
    for (const b of bindings) {
      const key = `${b.user_id}\u0000${b.instance_id}`;
      const list = byInstance.get(key);
      if (list) list.push(toBinding(b));
      else byInstance.set(key, [toBinding(b)]);
    }
    return instances.map((row) => ({
      ...toInfo(row),
      bindings: byInstance.get(`${row.user_id}\u0000${row.instance_id}`) ?? [],
    }));
  }

  /**
   * pushTargets on SQLite: ONE statement, the instances joined with their bindings (a row per binding, or one
   * with no binding) over a VALUES list, its text built once per page size — a statement fewer on every send
   * than reading instances and bindings apart (bench/README.md).
   */
  async #pushTargetsSqlite(sdkAppId: number, userIds: string[]): Promise<PushTarget[]> {
    const rows = await withValues<Selectable<InstancesTable> & BindingColumns>(
      this.db,
      {
        key: 'push_targets',
        text: (values) =>
          'select i.*, b.token_type as binding_token_type, b.certificate_id as binding_certificate_id, ' +
          'b.token as binding_token, b.reported_at as binding_reported_at from instances i left join ' +
          'push_bindings b on b.sdkappid = i.sdkappid and b.user_id = i.user_id and b.instance_id = i.instance_id ' +
          `where i.sdkappid = ? and i.state != 'Offline' and i.user_id in (${values})`,
        before: [sdkAppId],
      },
      1,
      userIds.map((u) => [u]),
    );
    const targets = new Map<string, PushTarget>();
    for (const row of rows) {
      const { binding_token_type, binding_certificate_id, binding_token, binding_reported_at, ...instance } =
        row;
      const key = `${instance.user_id}\u0000${instance.instance_id}`;
      let target = targets.get(key);
      if (!target) {
        target = { ...toInfo(instance), bindings: [] };
        targets.set(key, target);
      }
      if (binding_token === null) continue;
      target.bindings.push({
        certificateId: binding_certificate_id as number,
        token: binding_token,
        tokenType: binding_token_type as number,
        reportedAt: binding_reported_at as number,
      });
    }
    return [...targets.values()];
  }

  /** Forgets instances that have been Offline for longer than `maxAgeMs` (their resume point goes too). */
  async purgeOffline(maxAgeMs: number): Promise<number> {
    const r = await this.db
      .deleteFrom('instances')
      .where('state', '=', 'Offline')
      .where('updated_at', '<', this.now() - maxAgeMs)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** After a restart of a single node no socket is up: Online instances become PushOnline or Offline. */
  async recoverAfterRestart(): Promise<void> {
    const rows = await this.db
      .selectFrom('instances')
      .select(['sdkappid', 'user_id', 'instance_id'])
      .where('state', '=', 'Online')
      .execute();
    for (const r of rows) await this.disconnect(r.sdkappid, r.user_id, r.instance_id);
  }

  async #endInstance(trx: Db, sdkAppId: number, userId: string, instanceId: string): Promise<void> {
    // The login is over: no session of it can be resumed (tencent/connection.ts checks its a2 against it).
    await this.#update(trx, sdkAppId, userId, instanceId, {
      state: 'Offline',
      background: 0,
      connected: 0,
      session_id: '',
    });
    await deleteBindings(trx, sdkAppId, [userId], instanceId);
  }

  async #get(db: Db, sdkAppId: number, userId: string, instanceId: string) {
    const row = await db
      .selectFrom('instances')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row ? toInfo(row) : undefined;
  }

  async #update(
    db: Db,
    sdkAppId: number,
    userId: string,
    instanceId: string,
    set: Partial<
      Pick<Database['instances'], 'state' | 'background' | 'unread_base' | 'last_seen_at' | 'session_id'> & {
        connected: number;
      }
    >,
  ): Promise<void> {
    await db
      .updateTable('instances')
      .set({ ...set, updated_at: this.now() })
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .execute();
  }
}

function toInfo(row: Selectable<InstancesTable>): InstanceInfo {
  return {
    userId: row.user_id,
    instanceId: row.instance_id,
    platform: row.platform,
    state: row.state as SessionState,
    background: row.background === 1,
    badgeBase: row.unread_base,
    ackedSeq: row.acked_seq,
    loggedInAt: row.logged_in_at,
    lastSeenAt: row.last_seen_at,
  };
}
