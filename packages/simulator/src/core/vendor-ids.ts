// The vendors the simulator speaks, as ids: @pushline/contracts' VENDORS, the server's and the console's
// list. A leaf module (no relative imports) so that every core store (devices, credentials, faults,
// records) can name a vendor without importing anything that in turn imports them; core/types.ts builds
// the shared shapes on top of it.
import { VENDORS } from '@pushline/contracts';

export const SIMULATOR_VENDORS = VENDORS;
export type SimulatorVendor = (typeof SIMULATOR_VENDORS)[number];

export function isVendor(v: unknown): v is SimulatorVendor {
  return typeof v === 'string' && (SIMULATOR_VENDORS as readonly string[]).includes(v);
}
