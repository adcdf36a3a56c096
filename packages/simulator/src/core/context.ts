import type { CredentialStore } from './credentials.js';
import type { DeviceRegistry } from './devices.js';
import type { FaultInjector } from './faults.js';
import type { RecordStore } from './records.js';

export interface SimOptions {
  /** MAX_CONCURRENT_STREAMS APNs advertises after the first accepted push (token auth) or at once (certificate auth). */
  apnsMaxConcurrentStreams: number;
  /** APNs: drop MAX_CONCURRENT_STREAMS back to 1 after a rejected push, until the next success (observed, not documented). */
  apnsDropStreamsOnError: boolean;
  /** APNs: distinct provider tokens per key allowed within 20 minutes before TooManyProviderTokenUpdates. */
  apnsTokenUpdateLimit: number;
  /** MAX_CONCURRENT_STREAMS the FCM server advertises on HTTP/2 connections. */
  fcmMaxConcurrentStreams: number;
}

/** Everything the vendor servers share. */
export interface SimContext {
  devices: DeviceRegistry;
  records: RecordStore;
  faults: FaultInjector;
  credentials: CredentialStore;
  tls: { certPem: string; keyPem: string; caPem: string };
  options: SimOptions;
}
