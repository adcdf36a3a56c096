// Delivery outcomes arrive one push at a time; writing a counter row for each would cost one UPDATE per push.
// TaskProgressBuffer sums them in memory per task and writes each task's sums in one UPDATE per flush
// (every `flushMs`, and on close). A failed flush keeps the sums for the next one. Counters are for display:
// a crash loses at most the last `flushMs` of outcome counts, never a push.
import type { OutcomeCounts, PushTaskService } from './store.js';

export class TaskProgressBuffer {
  private pending = new Map<string, Required<OutcomeCounts>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly tasks: PushTaskService,
    private readonly opts: { flushMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  add(taskId: string, c: OutcomeCounts): void {
    const sums = this.pending.get(taskId) ?? { sent: 0, failed: 0, skipped: 0 };
    sums.sent += c.sent ?? 0;
    sums.failed += c.failed ?? 0;
    sums.skipped += c.skipped ?? 0;
    this.pending.set(taskId, sums);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err) => this.opts.onError?.(err));
    }, this.opts.flushMs ?? 1000).unref();
  }

  /** Writes every pending sum now (one UPDATE per task). */
  async flush(): Promise<void> {
    await this.flushing;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      const entries = [...batch];
      for (let i = 0; i < entries.length; i++) {
        const [taskId, sums] = entries[i]!;
        try {
          await this.tasks.addOutcomes(taskId, sums);
        } catch (err) {
          // Keep this task's sums and every one not yet written for the next flush.
          for (const [id, rest] of entries.slice(i)) this.add(id, rest);
          throw err;
        }
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
