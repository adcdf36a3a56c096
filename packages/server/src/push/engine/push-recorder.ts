// The seam between the engine and whoever records what happened to each push (traces, statistics,
// webhooks: push/outcomes). The record shapes are push/outcomes/types.ts's, so its recorder plugs in as is.

import type { PushRecord, SkippedRecord, VendorAnswer } from '../outcomes/types.js';
import type { PushTask } from '../types.js';

export type { PushKind } from '../outcomes/types.js';

/** One push to one device as the engine decided it. */
export type EnginePushRecord = PushRecord;
/** A device that gets no push, with a PUSH_SKIP_REASONS key (push/decide/skip-reasons.ts). */
export type EngineSkipRecord = SkippedRecord;
/** A channel's answer for one task, as the dispatcher reports it. */
export type EngineVendorAnswer = VendorAnswer;

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
