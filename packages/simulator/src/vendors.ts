import { VENDORS } from '@pushline/contracts';

/** The vendors the simulators run: @pushline/contracts' VENDORS, the server's and the console's list. */
export const SIMULATOR_VENDORS = VENDORS;
export type SimulatorVendor = (typeof SIMULATOR_VENDORS)[number];

export function isVendor(v: unknown): v is SimulatorVendor {
  return typeof v === 'string' && (SIMULATOR_VENDORS as readonly string[]).includes(v);
}
