// Fault injection per vendor. The hot path is `decide()`: with no rules for a vendor it is one Map
// lookup. Status/reset/latency rules apply to the next `count` requests or to `percent` of them.
import type { SimulatorVendor } from './vendor-ids.js';

interface Selector {
  /** Apply to the next N requests, then the rule is removed. */
  count?: number;
  /** Apply to this percentage (0..100) of requests, until cleared. */
  percent?: number;
}

export type FaultRule =
  | ({ kind: 'status'; status: number; reason?: string; retryAfter?: number } & Selector)
  | ({ kind: 'latency'; ms: number } & Selector)
  | ({ kind: 'reset' } & Selector)
  /** HTTP/2 vendors send GOAWAY after this many streams on a connection; HTTP/1.1 ones close it. */
  | { kind: 'goaway'; afterStreams: number; reason?: string }
  /** Requests above this many per second are answered with the vendor's own rate-limit error. */
  | { kind: 'quota'; perSecond: number };

export type FaultKind = FaultRule['kind'];

export interface StoredFault {
  id: number;
  vendor: SimulatorVendor;
  rule: FaultRule;
  /** Requests this rule has affected so far. */
  hits: number;
}

export interface FaultDecision {
  latencyMs: number;
  reset: boolean;
  status?: { status: number; reason?: string; retryAfter?: number };
  quotaExceeded: boolean;
}

export class FaultInjector {
  private readonly rules = new Map<SimulatorVendor, StoredFault[]>();
  private nextId = 1;
  private readonly quotaWindows = new Map<SimulatorVendor, { second: number; used: number }>();

  add(vendor: SimulatorVendor, rule: FaultRule): StoredFault {
    validateRule(rule);
    const stored: StoredFault = { id: this.nextId++, vendor, rule: { ...rule }, hits: 0 };
    const list = this.rules.get(vendor) ?? [];
    list.push(stored);
    this.rules.set(vendor, list);
    return stored;
  }

  list(vendor?: SimulatorVendor): StoredFault[] {
    const all = [...this.rules.values()].flat();
    return vendor ? all.filter((f) => f.vendor === vendor) : all;
  }

  remove(id: number): boolean {
    for (const [vendor, list] of this.rules) {
      const i = list.findIndex((f) => f.id === id);
      if (i >= 0) {
        list.splice(i, 1);
        if (list.length === 0) this.rules.delete(vendor);
        return true;
      }
    }
    return false;
  }

  clear(vendor?: SimulatorVendor): void {
    if (vendor) {
      this.rules.delete(vendor);
      this.quotaWindows.delete(vendor);
    } else {
      this.rules.clear();
      this.quotaWindows.clear();
    }
  }

  /** GOAWAY threshold for new connections of this vendor, if any. */
  goaway(vendor: SimulatorVendor): { afterStreams: number; reason?: string } | undefined {
    const list = this.rules.get(vendor);
    if (!list) return undefined;
    for (const f of list) if (f.rule.kind === 'goaway') return f.rule;
    return undefined;
  }

  /** Called once per request. Returns undefined when nothing is injected. */
  decide(vendor: SimulatorVendor): FaultDecision | undefined {
    const list = this.rules.get(vendor);
    if (!list) return undefined;
    let d: FaultDecision | undefined;
    const get = (): FaultDecision => {
      d ??= { latencyMs: 0, reset: false, quotaExceeded: false };
      return d;
    };
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as StoredFault;
      const rule = f.rule;
      if (rule.kind === 'goaway') continue;
      if (rule.kind === 'quota') {
        const sec = Math.floor(Date.now() / 1000);
        let w = this.quotaWindows.get(vendor);
        if (!w || w.second !== sec) {
          w = { second: sec, used: 0 };
          this.quotaWindows.set(vendor, w);
        }
        if (++w.used > rule.perSecond) {
          get().quotaExceeded = true;
          f.hits++;
        }
        continue;
      }
      // One status answer per request: later status rules wait for the next request.
      if (rule.kind === 'status' && d?.status) continue;
      if (!selects(rule)) continue;
      f.hits++;
      if (rule.kind === 'latency') get().latencyMs += rule.ms;
      else if (rule.kind === 'reset') get().reset = true;
      else if (!get().status)
        get().status = { status: rule.status, reason: rule.reason, retryAfter: rule.retryAfter };
      if (rule.count !== undefined && --rule.count <= 0) {
        list.splice(i, 1);
        i--;
      }
    }
    if (list.length === 0) this.rules.delete(vendor);
    return d;
  }
}

function selects(rule: Selector): boolean {
  if (rule.count !== undefined) return rule.count > 0;
  if (rule.percent !== undefined) return Math.random() * 100 < rule.percent;
  return true;
}

function validateRule(rule: FaultRule): void {
  const bad = (msg: string): never => {
    throw new Error(`invalid fault: ${msg}`);
  };
  switch (rule.kind) {
    case 'status':
      if (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)
        bad('status must be 100..599');
      break;
    case 'latency':
      if (!(rule.ms >= 0)) bad('ms must be >= 0');
      break;
    case 'reset':
      break;
    case 'goaway':
      if (!Number.isInteger(rule.afterStreams) || rule.afterStreams < 1) bad('afterStreams must be >= 1');
      return;
    case 'quota':
      if (!(rule.perSecond >= 0)) bad('perSecond must be >= 0');
      return;
    default:
      bad(`unknown kind ${(rule as { kind: unknown }).kind}`);
  }
  const sel = rule as Selector;
  if (sel.count !== undefined && (!Number.isInteger(sel.count) || sel.count < 1)) bad('count must be >= 1');
  if (sel.percent !== undefined && !(sel.percent >= 0 && sel.percent <= 100)) bad('percent must be 0..100');
}
