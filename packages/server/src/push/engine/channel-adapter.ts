// The dispatcher's view of the live channels: sends, and whether a certificate may send.
import type { CertificateChannels } from '../channels/index.js';
import type { CertificateState, DispatchChannels } from '../dispatch/index.js';

export function dispatchChannels(channels: CertificateChannels): DispatchChannels {
  return {
    send: (certificateId, tasks) => channels.send(certificateId, tasks),
    async certificateStatus(certificateId): Promise<CertificateState> {
      const info = await channels.certificate(certificateId);
      if (!info) return 'missing';
      if (info.status !== 'paused') return 'active';
      return info.pausedMode === 'discard' ? 'discarding' : 'paused';
    },
  };
}
