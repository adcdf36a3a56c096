// The shapes the vendor servers, the core stores and startSimulators() share. They live here, in core
// and away from simulators.ts and vendors/registry.ts, so that a vendor module never imports the
// registry or the entry point for a type and core never imports a vendor: the import graph of src is
// acyclic (check: node scripts/import-cycles.mjs).
import type {
  ApnsKey,
  ApnsKeyRegistration,
  CredentialStore,
  OemVendor,
  ServiceAccount,
  ServiceAccountRegistration,
  VendorApp,
} from './credentials.js';
import type { DeviceRegistry, InstallOptions, VirtualDevice } from './devices.js';
import type { FaultInjector, FaultRule, StoredFault } from './faults.js';
import type { PushRecord, RecordFilter, RecordListener, RecordStore, VendorCounters } from './records.js';
import type { ApnsCertificateEnvironment, ApnsClientCertificate, TestCa } from './tls.js';
import type { SimulatorVendor } from './vendor-ids.js';
export interface SimOptions {
  /** MAX_CONCURRENT_STREAMS APNs advertises after the first accepted push (token auth) or at once (certificate auth). */
  apnsMaxConcurrentStreams: number;
  /** APNs: drop MAX_CONCURRENT_STREAMS back to 1 after a rejected push, until the next success (observed, not documented). */
  apnsDropStreamsOnError: boolean;
  /** APNs: distinct provider tokens per key allowed within 20 minutes before TooManyProviderTokenUpdates. */
  apnsTokenUpdateLimit: number;
  /** MAX_CONCURRENT_STREAMS the FCM server advertises on HTTP/2 connections. */
  fcmMaxConcurrentStreams: number;
  /** The Web Push service negotiates HTTP/2 (ALPN h2) as well as HTTP/1.1. */
  webpushHttp2: boolean;
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

/** A listening vendor (or control) server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A request/response vendor's server, as vendors/registry.ts lists it. */
export interface VendorServerDef {
  /** The URL keys its one server answers for (OAuth paths hang off the same base as the send paths). */
  urlKeys: (keyof SimulatorUrls)[];
  start(ctx: SimContext, opts: { host: string; port: number }): Promise<RunningServer>;
}

export interface SimulatorUrls {
  apnsProduction?: string;
  apnsDevelopment?: string;
  fcm?: string;
  fcmOAuth?: string;
  huawei?: string;
  huaweiOAuth?: string;
  honor?: string;
  honorOAuth?: string;
  xiaomi?: string;
  oppo?: string;
  vivo?: string;
  meizu?: string;
  webpush?: string;
}

export interface Simulators {
  urls: SimulatorUrls;
  /** PUSHLINE_* environment variables that point a Pushline server at these simulators. */
  env: Record<string, string>;
  ca: TestCa;
  caCertPem: string;
  caFile: string;
  /** Base URL of the control HTTP API ('' when disabled). */
  control: string;
  devices: {
    install(vendor: SimulatorVendor, opts: InstallOptions): VirtualDevice;
    uninstall(vendor: SimulatorVendor, token: string): VirtualDevice | undefined;
    get(vendor: SimulatorVendor, token: string): VirtualDevice | undefined;
    list(vendor?: SimulatorVendor): VirtualDevice[];
    remove(vendor: SimulatorVendor, token: string): boolean;
  };
  received(filter?: RecordFilter): PushRecord[];
  /** Resolves with the first record (new or buffered) matching the filter. */
  waitFor(filter?: RecordFilter, timeoutMs?: number): Promise<PushRecord>;
  subscribe(listener: RecordListener): () => void;
  counters(): Record<string, VendorCounters>;
  clear(opts?: { keepCounters?: boolean }): void;
  faults: {
    add(vendor: SimulatorVendor, rule: FaultRule): StoredFault;
    list(vendor?: SimulatorVendor): StoredFault[];
    remove(id: number): boolean;
    clear(vendor?: SimulatorVendor): void;
  };
  registerApnsKey(reg: ApnsKeyRegistration): ApnsKey;
  registerServiceAccount(reg: ServiceAccountRegistration): ServiceAccount;
  registerVendorApp(vendor: OemVendor, app: VendorApp): VendorApp;
  /** Expires every OAuth/auth token issued so far (of one vendor), to exercise refresh paths. */
  expireAccessTokens(vendor?: SimulatorVendor): number;
  /** An APNs client certificate signed by this simulator's CA (valid for certificate auth). */
  issueApnsClientCertificate(opts: {
    bundleId: string;
    environment?: ApnsCertificateEnvironment;
    teamId?: string;
    password?: string;
    /** A "VoIP Services" certificate: PushKit topic only, both environments. */
    voip?: boolean;
  }): ApnsClientCertificate;
  stop(): Promise<void>;
}
