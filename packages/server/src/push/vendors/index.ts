// The vendor registry: the only place that lists the vendors' modules (vendors/types.ts VendorModule). Adding a
// vendor: its folder, one line here, its name in VENDORS (@pushline/contracts) and its request type in
// push/types.ts (docs/internals/adding-a-vendor.md). Receipt vendors are listed in this order
// (outcomes/receipts.ts RECEIPT_VENDORS: `pushline receipts urls`, the receipt endpoint's error).
import type { Vendor } from '../../certificates/types.js';
import { apns } from './apns/index.js';
import { fcm } from './fcm/index.js';
import { honor } from './honor/index.js';
import { huawei } from './huawei/index.js';
import { meizu } from './meizu/index.js';
import { oppo } from './oppo/index.js';
import type { VendorModule } from './types.js';
import { vivo } from './vivo/index.js';
import { webpush } from './webpush/index.js';
import { xiaomi } from './xiaomi/index.js';

export type { VendorModule } from './types.js';

export const VENDOR_MODULES = {
  apns,
  fcm,
  huawei,
  honor,
  vivo,
  meizu,
  xiaomi,
  oppo,
  webpush,
} satisfies { [V in Vendor]: VendorModule<V> };

/** The module of a vendor. */
export function vendorModule<V extends Vendor>(vendor: V): VendorModule<V> {
  return VENDOR_MODULES[vendor] as unknown as VendorModule<V>;
}

/** The module of a vendor name from outside (a stored row, a URL); undefined when no vendor has that name. */
export function findVendorModule(name: string | null | undefined): VendorModule | undefined {
  return name && Object.hasOwn(VENDOR_MODULES, name) ? vendorModule(name as Vendor) : undefined;
}

/** The vendors whose channels keep connections open (HTTP/2): a starting node opens them ahead of the first push. */
export const WARMABLE_VENDORS: readonly Vendor[] = Object.values(VENDOR_MODULES)
  .filter((m) => m.warmable)
  .map((m) => m.vendor);
