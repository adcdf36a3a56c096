// The one callback sender: every callback that is not answered in the request path waits in
// push_webhook_outbox — Push.* webhook batches (written in the same transaction as the traces),
// C2C/Group.CallbackAfterSendMsg (in the send's transaction) and State.StateChange — so a restart loses
// none (at least once). A delivery loop POSTs due rows to the app's callback URL, signed (webhooks/sign.ts),
// deletes them on 2xx, and otherwise retries with exponential backoff until `maxAgeMs` (or `maxAttempts`).
// An app whose endpoint stays down keeps at most `maxPendingBatchesPerApp` rows: the oldest are dropped
// and counted. Before-send callbacks are the exception: they are answered in the send (messaging/callbacks.ts)
// through the same WebhookPoster.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { AppsService } from '../apps/apps.js';
import type { Database, PushWebhookOutboxTable } from '../store/schema.js';
import { type RetryPolicy, retryDelay, WebhookPoster } from './poster.js';
import type { CallbackOrigin } from './sign.js';

/** Tencent's callbacks carry at most 100 events per request. */
export const MAX_EVENTS_PER_REQUEST = 100;

/** The delivery counters the outbox keeps (the push outcome metrics hold them). */
export interface WebhookMetrics {
  webhookDeliveries: { inc(labels: { result: 'ok' | 'retry' | 'dropped' }): void };
  webhookEventsDropped: { inc(labels: { reason: string }, value?: number): void };
}

export interface OutboxOptions {
  retry: RetryPolicy;
  /** A batch not delivered within this time is dropped. */
  maxAgeMs: number;
  /** A row is dropped after this many failed attempts; absent = only `maxAgeMs` limits. */
  maxAttempts?: number;
  maxPendingBatchesPerApp: number;
  pollIntervalMs: number;
  /** Requests in flight at once (all apps). */
  concurrency: number;
  timeoutMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  retry: { baseMs: 1000, maxMs: 300_000 },
  maxAgeMs: 24 * 3_600_000,
  maxPendingBatchesPerApp: 10_000,
  pollIntervalMs: 1000,
  concurrency: 8,
  timeoutMs: 5000,
};

type Row = Pick<
  PushWebhookOutboxTable,
  'sdkappid' | 'command' | 'events' | 'event_count' | 'attempts' | 'next_at' | 'created_at' | 'query'
> & {
  batched: number;
  id: number;
};

export class WebhookOutbox {
  readonly #poster: WebhookPoster;
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> | undefined;
  #again = false;
  #closed = false;
  readonly #inFlight = new Set<Promise<void>>();
  /** Requests in flight per app. */
  readonly #perApp = new Map<number, number>();
  readonly #maxPerApp: number;

  constructor(
    readonly db: Kysely<Database>,
    private readonly apps: AppsService,
    private readonly metrics: WebhookMetrics,
    private readonly log: Logger,
    private readonly options: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {
    this.#poster = new WebhookPoster(options.timeoutMs);
    this.#maxPerApp = Math.max(1, Math.floor(options.concurrency / 2));
  }

  /** Its HTTP client (the app-info counters listen to it: webhook-poster.ts onPosted). */
  get poster(): WebhookPoster {
    return this.#poster;
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.#timer.unref();
    this.wake();
  }

  /**
   * Adds one (unbatched) callback whose body is `body`, within the caller's transaction or straight to the
   * database, and looks for due rows soon.
   */
  async enqueueOne(
    db: Kysely<Database> | Transaction<Database>,
    sdkAppId: number,
    command: string,
    body: Record<string, unknown>,
    origin?: CallbackOrigin,
  ): Promise<void> {
    const now = Date.now();
    await db
      .insertInto('push_webhook_outbox')
      .values({
        sdkappid: sdkAppId,
        command,
        events: JSON.stringify(body),
        event_count: 1,
        batched: 0,
        query: origin ? JSON.stringify(origin) : null,
        attempts: 0,
        next_at: now,
        created_at: now,
        last_error: null,
      })
      .execute();
    await this.#capApp(db, sdkAppId);
    if (!db.isTransaction) this.wake();
  }

  /** Rows waiting (for every app): 0 once everything was delivered or given up. */
  async pending(): Promise<number> {
    const { n } = await this.db
      .selectFrom('push_webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Adds events in batches of up to 100 within the caller's transaction; returns the batch count. */
  async enqueue(
    tx: Transaction<Database>,
    sdkAppId: number,
    command: string,
    events: Record<string, unknown>[],
  ): Promise<number> {
    const now = Date.now();
    const rows = [];
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) {
      const chunk = events.slice(i, i + MAX_EVENTS_PER_REQUEST);
      rows.push({
        sdkappid: sdkAppId,
        command,
        events: JSON.stringify(chunk),
        event_count: chunk.length,
        query: null,
        attempts: 0,
        next_at: now,
        created_at: now,
        last_error: null,
      });
    }
    if (!rows.length) return 0;
    await tx.insertInto('push_webhook_outbox').values(rows).execute();
    await this.#capApp(tx, sdkAppId);
    return rows.length;
  }

  /** Looks for due batches now (or right after the current look). */
  wake(): void {
    if (this.#closed) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((err) => this.log.error({ err }, 'push webhooks: looking for due batches failed'))
      .finally(() => {
        this.#pumping = undefined;
        if (this.#again) this.wake();
      });
  }

  /** Resolves when no request is in flight and no look for due batches is running. */
  async idle(): Promise<void> {
    while (this.#pumping || this.#inFlight.size) {
      await Promise.all([this.#pumping, ...this.#inFlight]);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.idle();
  }

  /**
   * Claims due batches for the free request slots and starts them; each finished request looks again.
   * Requests run independently, so an endpoint that hangs until the timeout holds only its own slots
   * (at most half of them per app).
   */
  async #pump(): Promise<void> {
    do {
      this.#again = false;
      const free = this.options.concurrency - this.#inFlight.size;
      if (free <= 0 || this.#closed) return;
      const full = [...this.#perApp].filter(([, n]) => n >= this.#maxPerApp).map(([app]) => app);
      const now = Date.now();
      let query = this.db
        .selectFrom('push_webhook_outbox')
        .select([
          'id',
          'sdkappid',
          'command',
          'events',
          'event_count',
          'attempts',
          'next_at',
          'created_at',
          'batched',
          'query',
        ])
        .where('next_at', '<=', now);
      if (full.length) query = query.where('sdkappid', 'not in', full);
      const due = await query
        .orderBy('next_at')
        .orderBy('id')
        .limit(free * 4)
        .execute();
      for (const row of due) {
        if (this.#inFlight.size >= this.options.concurrency || this.#closed) return;
        if ((this.#perApp.get(row.sdkappid) ?? 0) >= this.#maxPerApp) continue;
        // Another node may have taken it: the update only succeeds for the first claimant.
        const r = await this.db
          .updateTable('push_webhook_outbox')
          .set({ next_at: now + this.options.timeoutMs * 2 + 1000 })
          .where('id', '=', row.id)
          .where('next_at', '=', row.next_at)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) this.#start(row);
      }
    } while (this.#again && !this.#closed);
  }

  #start(row: Row): void {
    this.#perApp.set(row.sdkappid, (this.#perApp.get(row.sdkappid) ?? 0) + 1);
    const request: Promise<void> = this.#deliver(row)
      .catch((err) => this.log.error({ err }, 'push webhooks: delivery bookkeeping failed'))
      .finally(() => {
        this.#inFlight.delete(request);
        const left = (this.#perApp.get(row.sdkappid) ?? 1) - 1;
        if (left > 0) this.#perApp.set(row.sdkappid, left);
        else this.#perApp.delete(row.sdkappid);
        this.wake();
      });
    this.#inFlight.add(request);
  }

  async #deliver(row: Row): Promise<void> {
    const app = await this.apps.get(row.sdkappid);
    const url = app?.settings.callbackUrl;
    if (!url) {
      await this.#drop(row, 'no-callback-url');
      return;
    }
    const events = JSON.parse(row.events);
    const result = await this.#poster.post(
      url,
      row.sdkappid,
      row.command,
      Number(row.batched) === 0 ? events : { Events: events },
      { token: app.settings.callbackToken, origin: row.query ? JSON.parse(row.query) : undefined },
    );
    if (result.ok) {
      this.metrics.webhookDeliveries.inc({ result: 'ok' });
      await this.db.deleteFrom('push_webhook_outbox').where('id', '=', row.id).execute();
      return;
    }
    const attempts = row.attempts + 1;
    const now = Date.now();
    const tooMany = this.options.maxAttempts !== undefined && attempts >= this.options.maxAttempts;
    if (now - row.created_at >= this.options.maxAgeMs || tooMany) {
      this.log.warn(
        { sdkAppId: row.sdkappid, attempts, error: result.error },
        'webhooks: giving up a callback',
      );
      await this.#drop(row, tooMany ? 'attempts' : 'expired');
      return;
    }
    this.metrics.webhookDeliveries.inc({ result: 'retry' });
    await this.db
      .updateTable('push_webhook_outbox')
      .set({
        attempts,
        next_at: now + Math.round(retryDelay(this.options.retry, attempts, result.retryAfterMs)),
        last_error: result.error ?? null,
      })
      .where('id', '=', row.id)
      .execute();
  }

  async #drop(row: Row, reason: string): Promise<void> {
    this.metrics.webhookDeliveries.inc({ result: 'dropped' });
    this.metrics.webhookEventsDropped.inc({ reason }, row.event_count);
    await this.db.deleteFrom('push_webhook_outbox').where('id', '=', row.id).execute();
  }

  /** Keeps an app's pending batches under the cap by dropping its oldest. */
  async #capApp(tx: Kysely<Database> | Transaction<Database>, sdkAppId: number): Promise<void> {
    const { n } = await tx
      .selectFrom('push_webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sdkappid', '=', sdkAppId)
      .executeTakeFirstOrThrow();
    const excess = Number(n) - this.options.maxPendingBatchesPerApp;
    if (excess <= 0) return;
    const oldest = await tx
      .selectFrom('push_webhook_outbox')
      .select(['id', 'event_count'])
      .where('sdkappid', '=', sdkAppId)
      .orderBy('id')
      .limit(excess)
      .execute();
    await tx
      .deleteFrom('push_webhook_outbox')
      .where(
        'id',
        'in',
        oldest.map((o) => o.id),
      )
      .execute();
    const events = oldest.reduce((sum, o) => sum + o.event_count, 0);
    this.metrics.webhookEventsDropped.inc({ reason: 'overflow' }, events);
    this.log.warn(
      { sdkAppId, batches: oldest.length, events },
      'push webhooks: too many pending, dropped the oldest',
    );
  }
}
