// Builds the channel for one certificate: each vendor's module makes its own (vendors/<vendor>/index.ts).
import type { CertificateWithSecrets } from '../../certificates/store.js';
import type { Channel } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { ChannelContext } from './context.js';
import { SharedChannelState } from './shared-state.js';

export { SharedChannelState } from './shared-state.js';

export function createChannel(
  cert: CertificateWithSecrets,
  ctx: ChannelContext,
  shared = new SharedChannelState(),
): Channel {
  return vendorModule(cert.info.vendor).createChannel(cert, ctx, shared);
}
