// Builds the channel for one certificate: one file per vendor, all behind the Channel interface.
import type { CertificateWithSecrets } from '../../certificates/store.js';
import type { Channel } from '../types.js';
import { ApnsChannel } from '../vendors/apns/channel.js';
import { ApnsProviderToken, JWT_DEFAULT_REFRESH_MS } from '../vendors/apns/provider-token.js';
import { FcmChannel } from '../vendors/fcm/channel.js';
import { HonorChannel } from '../vendors/honor/channel.js';
import { HuaweiChannel } from '../vendors/huawei/channel.js';
import { MeizuChannel } from '../vendors/meizu/channel.js';
import { OppoChannel } from '../vendors/oppo/channel.js';
import { VivoChannel } from '../vendors/vivo/channel.js';
import { WebPushChannel } from '../vendors/webpush/channel.js';
import { XiaomiChannel } from '../vendors/xiaomi/channel.js';
import type { ChannelContext } from './context.js';

/** State shared by the channels of one registry: APNs provider tokens are per key, not per certificate. */
export class SharedChannelState {
  readonly apnsTokens = new Map<string, ApnsProviderToken>();

  apnsToken(cert: CertificateWithSecrets, ctx: ChannelContext): ApnsProviderToken | undefined {
    const p8 = cert.secrets.p8;
    if (!p8) return undefined;
    const keyId = cert.info.publicFields.keyId as string;
    const teamId = cert.info.publicFields.teamId as string;
    const id = `${teamId}/${keyId}/${p8}`;
    let token = this.apnsTokens.get(id);
    if (!token) {
      token = new ApnsProviderToken(
        p8,
        keyId,
        teamId,
        ctx.now,
        ctx.apns?.jwtRefreshMs ?? JWT_DEFAULT_REFRESH_MS,
      );
      this.apnsTokens.set(id, token);
    }
    return token;
  }
}

export function createChannel(
  cert: CertificateWithSecrets,
  ctx: ChannelContext,
  shared = new SharedChannelState(),
): Channel {
  switch (cert.info.vendor) {
    case 'apns':
      return new ApnsChannel(cert, ctx, shared.apnsToken(cert, ctx));
    case 'fcm':
      return new FcmChannel(cert, ctx);
    case 'huawei':
      return new HuaweiChannel(cert, ctx);
    case 'honor':
      return new HonorChannel(cert, ctx);
    case 'xiaomi':
      return new XiaomiChannel(cert, ctx);
    case 'oppo':
      return new OppoChannel(cert, ctx);
    case 'vivo':
      return new VivoChannel(cert, ctx);
    case 'meizu':
      return new MeizuChannel(cert, ctx);
    case 'webpush':
      return new WebPushChannel(cert, ctx);
  }
}
