// What the virtual phones showed. Counters are always kept (a few integer increments per request);
// full records go into a fixed-size ring buffer so benchmarks never grow memory or slow down.
import type { SimulatorVendor } from './vendor-ids.js';

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One notification as the device would show it. Fields a vendor has no notion of stay undefined. */
export interface PushRecord {
  seq: number;
  vendor: SimulatorVendor;
  token: string;
  /** Bundle ID, FCM project, vendor app ID or package the push was sent for. */
  app?: string;
  environment?: 'production' | 'development';
  messageId?: string;
  title?: string;
  body?: string;
  subtitle?: string;
  badge?: number;
  sound?: string;
  image?: string;
  channel?: string;
  category?: string;
  clickAction?: string;
  data?: unknown;
  priority?: string;
  pushType?: string;
  collapseId?: string;
  /**
   * What the phone addresses the shown notification by: APNs apns-collapse-id (the notification's identifier
   * on iOS), Huawei/Honor/Xiaomi notify ID, FCM and Web Push tag.
   */
  notifyId?: string;
  /** Not a notification but an instruction the app acted on (a recall's retraction: data or background push). */
  retraction?: boolean;
  /** When the notification left the phone: revoked by the vendor, replaced by one with the same notify ID, or removed by the app. */
  retractedAt?: number;
  retractedBy?: 'revoke' | 'replaced' | 'app';
  receivedAt: number;
  raw: RawRequest;
}

export type NewPushRecord = Omit<PushRecord, 'seq' | 'receivedAt' | 'retractedAt' | 'retractedBy'>;

export interface VendorCounters {
  requests: number;
  /** Notifications delivered to virtual devices (one request can carry many). */
  delivered: number;
  /** Requests answered with an error, injected faults included. */
  rejected: number;
  /** Requests answered by an injected fault (status, quota, reset). */
  faults: number;
  /** Answer counts by reason/code ("ok" for success). */
  byReason: Record<string, number>;
}

export interface RecordFilter {
  vendor?: SimulatorVendor;
  token?: string;
  app?: string;
  /** Only records with seq greater than this. */
  since?: number;
  limit?: number;
}

export type RecordListener = (record: PushRecord) => void;

const emptyCounters = (): VendorCounters => ({
  requests: 0,
  delivered: 0,
  rejected: 0,
  faults: 0,
  byReason: {},
});

export class RecordStore {
  private ring: (PushRecord | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly counters = new Map<SimulatorVendor, VendorCounters>();
  private readonly listeners = new Set<RecordListener>();

  constructor(readonly limit: number) {
    this.ring = new Array(Math.max(0, limit));
  }

  private vendorCounters(vendor: SimulatorVendor): VendorCounters {
    let c = this.counters.get(vendor);
    if (!c) {
      c = emptyCounters();
      this.counters.set(vendor, c);
    }
    return c;
  }

  /** Counts one answered request. `ok` is false for every error answer. */
  countRequest(vendor: SimulatorVendor, reason: string, ok: boolean, fault = false): void {
    const c = this.vendorCounters(vendor);
    c.requests++;
    if (!ok) c.rejected++;
    if (fault) c.faults++;
    c.byReason[reason] = (c.byReason[reason] ?? 0) + 1;
  }

  add(rec: NewPushRecord): PushRecord {
    this.vendorCounters(rec.vendor).delivered++;
    const full = rec as PushRecord;
    full.seq = ++this.seq;
    full.receivedAt = Date.now();
    if (this.ring.length > 0) {
      this.ring[this.next] = full;
      this.next = (this.next + 1) % this.ring.length;
    }
    if (this.listeners.size > 0) for (const l of this.listeners) l(full);
    return full;
  }

  /**
   * The phone no longer shows the notifications of `token` addressed by `notifyId` (vendor revoke API,
   * replacement, or the app acting on a retraction push). Listeners hear of each changed record again.
   * Returns how many were shown.
   */
  retract(
    vendor: SimulatorVendor,
    token: string,
    notifyId: string,
    by: NonNullable<PushRecord['retractedBy']>,
  ): number {
    let n = 0;
    for (const r of this.ring) {
      if (!r || r.vendor !== vendor || r.token !== token || r.notifyId !== notifyId) continue;
      if (r.retraction || r.retractedAt !== undefined) continue;
      r.retractedAt = Date.now();
      r.retractedBy = by;
      n++;
      if (this.listeners.size > 0) for (const l of this.listeners) l(r);
    }
    return n;
  }

  /** Records still in the buffer, oldest first. */
  list(filter: RecordFilter = {}): PushRecord[] {
    const out: PushRecord[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const r = this.ring[(this.next + i) % n];
      if (!r) continue;
      if (filter.vendor && r.vendor !== filter.vendor) continue;
      if (filter.token && r.token !== filter.token) continue;
      if (filter.app && r.app !== filter.app) continue;
      if (filter.since !== undefined && r.seq <= filter.since) continue;
      out.push(r);
    }
    return filter.limit !== undefined && out.length > filter.limit
      ? out.slice(out.length - filter.limit)
      : out;
  }

  counts(): Record<string, VendorCounters> {
    return Object.fromEntries([...this.counters].map(([v, c]) => [v, { ...c, byReason: { ...c.byReason } }]));
  }

  /** Empties the record buffer and, unless `keepCounters`, the counters. */
  clear(opts: { keepCounters?: boolean } = {}): void {
    this.ring = new Array(this.ring.length);
    this.next = 0;
    if (!opts.keepCounters) this.counters.clear();
  }

  subscribe(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
