// The outcomes recorder: what happened to every push, written where it happens (docs/delivery.md
// "Settlement"). The engine and the dispatcher call the `write*` methods inside their own transactions — the
// decisions with the jobs they enqueue, the vendor answers with the settlement of their jobs — and the
// `count*` methods after the commit, for the Prometheus metrics. Nothing waits in memory: a crash loses no
// record and a replayed settlement counts nothing twice. Receipts and clicks, and the convenience methods
// (accepted, skipped, vendorAnswers, throttled: one transaction each), commit before they resolve.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppsService } from '../../apps/apps.js';
import type { Database } from '../../store/schema.js';
import type { WebhookOutbox } from '../../webhooks/outbox.js';
import type { PushTask } from '../types.js';
import {
  answerStage,
  appHasCallback,
  type WrittenAnswers,
  writeAnswers,
  writeDecisions,
  writeHeld,
  writeReceiptStages,
  writeThrottled,
} from './batch-write.js';
import type { OutcomeMetrics } from './metrics.js';
import { matchReceipt, sameRequestPush, type TraceRow, traceRows } from './trace-store.js';
import type { PushRecord, Receipt, SkippedRecord, VendorAnswer } from './types.js';

interface Deps {
  db: Kysely<Database>;
  /** Whether an app has a callback URL: from its cache when fresh (updates on this node clear it). */
  apps: Pick<AppsService, 'peek'>;
  metrics: OutcomeMetrics;
  log: Logger;
  outbox: WebhookOutbox;
  now?: () => number;
}

type Tx = Kysely<Database>;

export class OutcomeRecorder {
  readonly #now: () => number;

  constructor(private readonly deps: Deps) {
    this.#now = deps.now ?? Date.now;
  }

  // In the caller's transaction.

  /** Trace rows and counters of pushes queued (`accepted`) and of devices that get none (`skipped`). */
  writeDecisions(tx: Tx, accepted: readonly PushRecord[], skipped: readonly SkippedRecord[]): Promise<void> {
    return writeDecisions(tx, accepted, skipped, this.#now());
  }

  /**
   * Vendor answers, with everything they imply (see batch-write.ts). Resolves to the answers recorded by this
   * call (an answer already recorded for that push and attempt is not recorded again) and the webhook
   * batches it queued: pass both to `countAnswers` after the commit.
   */
  writeAnswers(tx: Tx, answers: readonly VendorAnswer[]): Promise<WrittenAnswers> {
    return writeAnswers(tx, answers, {
      outbox: this.deps.outbox,
      now: this.#now,
      hasCallback: (t, id) => this.#hasCallback(t, id),
    });
  }

  /** Pushes held while their certificate is paused (a `held` trace stage). */
  writeHeld(tx: Tx, tasks: readonly PushTask[], at = this.#now()): Promise<void> {
    return writeHeld(
      tx,
      tasks.map((t) => ({ pushId: t.pushId, at })),
    );
  }

  writeThrottled(tx: Tx, tasks: readonly PushTask[], at = this.#now()): Promise<void> {
    return writeThrottled(
      tx,
      tasks.map((t) => ({ pushId: t.pushId, at })),
    );
  }

  // After the commit: metrics and the webhook outbox.

  countDecisions(accepted: readonly PushRecord[], skipped: readonly SkippedRecord[]): void {
    for (const r of accepted) this.deps.metrics.pushes.inc({ vendor: r.vendor ?? '', outcome: 'accepted' });
    for (const r of skipped) this.deps.metrics.skipped.inc({ reason: r.reason });
  }

  /** After the commit of `writeAnswers`: metrics, and the webhook outbox woken if it queued anything. */
  countAnswers({ recorded, webhookBatches }: WrittenAnswers): void {
    for (const a of recorded) {
      const vendor = a.task.request.vendor;
      this.deps.metrics.pushes.inc({ vendor, outcome: answerStage(a) });
      this.deps.metrics.vendorLatency.observe({ vendor }, a.latencyMs / 1000);
    }
    // Only when batches were queued: waking it after every settlement cost a query per batch sent.
    if (webhookBatches > 0) this.deps.outbox.wake();
  }

  countThrottled(tasks: readonly PushTask[]): void {
    for (const t of tasks) this.deps.metrics.pushes.inc({ vendor: t.request.vendor, outcome: 'throttled' });
  }

  // In a transaction of their own.

  /** Pushes handed to the queue for a vendor (tests and tools; the engine writes with its jobs). */
  async accepted(records: PushRecord[]): Promise<void> {
    await this.deps.db.transaction().execute((tx) => this.writeDecisions(tx, records, []));
    this.countDecisions(records, []);
  }

  /** Devices that get no push, with the reason (push/decide/skip-reasons.ts). */
  async skipped(records: SkippedRecord[]): Promise<void> {
    await this.deps.db.transaction().execute((tx) => this.writeDecisions(tx, [], records));
    this.countDecisions([], records);
  }

  /** Channel answers, one per task (the dispatcher writes them with the settlement of their jobs). */
  async vendorAnswers(answers: VendorAnswer[]): Promise<VendorAnswer[]> {
    const written = await this.deps.db.transaction().execute((tx) => this.writeAnswers(tx, answers));
    this.countAnswers(written);
    return written.recorded;
  }

  /** Pushes deferred under their certificate's rate limit (a `throttled` trace stage). */
  async throttled(tasks: PushTask[], at?: number): Promise<void> {
    await this.deps.db.transaction().execute((tx) => this.writeThrottled(tx, tasks, at));
    this.countThrottled(tasks);
  }

  /** Records a vendor receipt; resolves to the number of pushes it matched. */
  async receipt(receipt: Receipt): Promise<number> {
    return this.receipts([receipt]);
  }

  /** Records vendor receipts (one vendor request); resolves to the number of pushes they matched. */
  async receipts(receipts: Receipt[]): Promise<number> {
    const matched: { receipt: Receipt; rows: TraceRow[] }[] = [];
    for (const receipt of receipts)
      matched.push({ receipt, rows: await matchReceipt(this.deps.db, receipt) });
    const stages = matched.flatMap(({ receipt, rows }) =>
      rows.map((row) => ({
        row,
        status: receipt.status,
        at: receipt.at ?? this.#now(),
        ...(receipt.code !== undefined ? { code: receipt.code } : {}),
      })),
    );
    await this.#writeStages(stages);
    for (const { receipt, rows } of matched) {
      this.deps.metrics.receipts.inc({
        vendor: receipt.vendor,
        result: rows.length ? 'matched' : 'unmatched',
      });
    }
    return stages.length;
  }

  /**
   * An SDK click report: only the push's receiver may report it. Resolves false for an unknown PushID. A
   * multi-token vendor request (Huawei, Honor, Xiaomi, Meizu) carries its first push's PushID to every
   * device: another receiver's report is matched to their own push of that same request.
   */
  async clicked(sdkAppId: number, userId: string, pushId: string, at = this.#now()): Promise<boolean> {
    let row = (await traceRows(this.deps.db, sdkAppId, [pushId])).get(pushId);
    if (row && row.to_user !== userId) row = await sameRequestPush(this.deps.db, sdkAppId, pushId, userId);
    if (!row) return false;
    await this.#writeStages([{ row, status: 'clicked', at }]);
    this.deps.metrics.receipts.inc({ vendor: row.vendor ?? '', result: 'matched' });
    return true;
  }

  async #writeStages(stages: Parameters<typeof writeReceiptStages>[2]): Promise<void> {
    if (stages.length === 0) return;
    const batches = await this.deps.db
      .transaction()
      .execute((tx) =>
        writeReceiptStages(
          tx,
          { outbox: this.deps.outbox, hasCallback: (t, id) => this.#hasCallback(t, id) },
          stages,
        ),
      );
    for (const s of stages) this.deps.metrics.pushes.inc({ vendor: s.row.vendor ?? '', outcome: s.status });
    if (batches > 0) this.deps.outbox.wake();
  }

  /** Whether the app has a callback URL: the apps cache when fresh, else read through the caller's transaction. */
  async #hasCallback(tx: Tx, sdkAppId: number): Promise<boolean> {
    const cached = this.deps.apps.peek(sdkAppId);
    if (cached !== undefined) return Boolean(cached?.settings.callbackUrl);
    return appHasCallback(tx, sdkAppId);
  }
}
