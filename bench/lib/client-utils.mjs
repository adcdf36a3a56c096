// Small helpers shared by the child processes that must not load the whole harness.
export { serve as serveLite } from './rpc.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** p-th percentile (0..100) of sorted numbers, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
