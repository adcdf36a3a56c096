// Request/response vendors and the URL keys their one server answers for (OAuth paths hang off the
// same base as the send paths, so fcmOAuth === fcm etc.). APNs has its own two listeners.
import type { VendorServerDef } from '../core/types.js';
import type { SimulatorVendor } from '../core/vendor-ids.js';
import { fcmServer } from './fcm.js';
import { honorServer } from './honor.js';
import { huaweiServer } from './huawei.js';
import { meizuServer } from './meizu.js';
import { oppoServer } from './oppo.js';
import { vivoServer } from './vivo.js';
import { webpushServer } from './webpush.js';
import { xiaomiServer } from './xiaomi.js';

export const VENDOR_SERVERS: Partial<Record<SimulatorVendor, VendorServerDef>> = {
  fcm: fcmServer,
  huawei: huaweiServer,
  honor: honorServer,
  xiaomi: xiaomiServer,
  oppo: oppoServer,
  vivo: vivoServer,
  meizu: meizuServer,
  webpush: webpushServer,
};
