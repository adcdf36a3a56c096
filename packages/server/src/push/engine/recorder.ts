// The seam between the engine and whoever records what happened to each push (traces, statistics,
// webhooks: push/outcomes). The shapes match push/outcomes/types.ts so its recorder plugs in as is.
import type { Vendor } from '../certificates/types.js';
import type { PushOutcome, PushTask } from '../types.js';

export type PushKind = 'c2c' | 'group' | 'call' | 'all-member' | 'batch';

/** One push to one device as the engine decided it. */
export interface EnginePushRecord {
  pushId: string;
  sdkAppId: number;
  kind: PushKind;
  toUser: string;
  fromUser?: string;
  groupId?: string;
  msgKey?: string;
  taskId?: string;
  instanceId?: string;
  vendor?: Vendor;
  certificateId?: number;
  token?: string;
  at?: number;
}

export interface EngineSkipRecord extends EnginePushRecord {
  /** A PUSH_SKIP_REASONS key (push/push-reasons.ts). */
  reason: string;
}

export interface EngineVendorAnswer {
  task: PushTask;
  outcome: PushOutcome;
  attempt: number;
  latencyMs: number;
  /** The dispatcher is done with the task (false while another attempt follows). */
  final?: boolean;
  at?: number;
}

/** A push deferred by its certificate's rate limit; it comes back after `delayMs`. */
export interface EngineThrottled {
  task: PushTask;
  delayMs: number;
  at?: number;
}

export interface PushRecorder {
  /** Pushes deferred by a rate limit (not an attempt, not an answer). */
  throttled?(items: EngineThrottled[]): void;
  /** Pushes queued (called after the message and its jobs committed). */
  accepted(records: EnginePushRecord[]): void;
  /** Devices that get no push, with the reason. */
  skipped(records: EngineSkipRecord[]): void;
  /** Each channel answer. */
  vendorAnswers(answers: EngineVendorAnswer[]): void;
}

/** Keeps the last `limit` records in memory: the default until a persistent recorder is plugged in. */
export class MemoryPushRecorder implements PushRecorder {
  readonly acceptedRecords: EnginePushRecord[] = [];
  readonly skippedRecords: EngineSkipRecord[] = [];
  readonly answers: EngineVendorAnswer[] = [];
  readonly throttledRecords: EngineThrottled[] = [];

  constructor(private readonly limit = 10_000) {}

  accepted(records: EnginePushRecord[]): void {
    this.#keep(this.acceptedRecords, records);
  }
  skipped(records: EngineSkipRecord[]): void {
    this.#keep(this.skippedRecords, records);
  }
  vendorAnswers(answers: EngineVendorAnswer[]): void {
    this.#keep(this.answers, answers);
  }
  throttled(items: EngineThrottled[]): void {
    this.#keep(this.throttledRecords, items);
  }

  #keep<T>(list: T[], items: T[]): void {
    list.push(...items);
    if (list.length > this.limit) list.splice(0, list.length - this.limit);
  }
}

/** Reports to every recorder given. */
export function teeRecorder(...recorders: PushRecorder[]): PushRecorder {
  return {
    accepted: (records) => {
      for (const r of recorders) r.accepted(records);
    },
    skipped: (records) => {
      for (const r of recorders) r.skipped(records);
    },
    vendorAnswers: (answers) => {
      for (const r of recorders) r.vendorAnswers(answers);
    },
    throttled: (items) => {
      for (const r of recorders) r.throttled?.(items);
    },
  };
}
