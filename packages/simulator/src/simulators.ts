// startSimulators(): the library entry point. Starts the chosen vendors on loopback ports (random by
// default), the control HTTP API, and returns everything a test needs to point a client at them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlApi } from './core/control.js';
import { CredentialStore } from './core/credentials.js';
import { DeviceRegistry } from './core/devices.js';
import { FaultInjector } from './core/faults.js';
import { type PushRecord, type RecordFilter, RecordStore } from './core/records.js';
import { createTestCa, issueApnsClientCertificate, issueServerCertificate, type TestCa } from './core/tls.js';
import type { RunningServer, SimContext, SimOptions, Simulators, SimulatorUrls } from './core/types.js';
import { SIMULATOR_VENDORS, type SimulatorVendor } from './core/vendor-ids.js';
import { startApns } from './vendors/apns/listener.js';
import { VENDOR_SERVERS } from './vendors/registry.js';

export type PortName = keyof SimulatorUrls | 'control';

export interface StartSimulatorsOptions {
  /** Vendors to start (default: all). */
  vendors?: readonly SimulatorVendor[];
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Fixed ports (default 0 = random). fcmOAuth/huaweiOAuth/honorOAuth share their vendor's server. */
  ports?: Partial<Record<'apnsProduction' | 'apnsDevelopment' | SimulatorVendor | 'control', number>>;
  /** Full push records kept in the ring buffer (default 10000; 0 keeps counters only). */
  recordLimit?: number;
  /** Reuse a CA (e.g. one persisted between runs) instead of generating one. */
  ca?: TestCa;
  /** Where to write the CA certificate PEM (default: a new temp directory). */
  caFile?: string;
  /** Start the control HTTP API (default true). */
  control?: boolean;
  apnsMaxConcurrentStreams?: number;
  apnsDropStreamsOnError?: boolean;
  apnsTokenUpdateLimit?: number;
  /** MAX_CONCURRENT_STREAMS of the FCM server's HTTP/2 connections (default 100). */
  fcmMaxConcurrentStreams?: number;
  /** The Web Push service offers HTTP/2 next to HTTP/1.1, as FCM's, Mozilla's and Apple's do (default true). */
  webpushHttp2?: boolean;
}

const ENV_NAMES: Record<keyof SimulatorUrls, string> = {
  apnsProduction: 'PUSHLINE_APNS_PRODUCTION_URL',
  apnsDevelopment: 'PUSHLINE_APNS_DEVELOPMENT_URL',
  fcm: 'PUSHLINE_FCM_URL',
  fcmOAuth: 'PUSHLINE_FCM_OAUTH_URL',
  huawei: 'PUSHLINE_HUAWEI_URL',
  huaweiOAuth: 'PUSHLINE_HUAWEI_OAUTH_URL',
  honor: 'PUSHLINE_HONOR_URL',
  honorOAuth: 'PUSHLINE_HONOR_OAUTH_URL',
  xiaomi: 'PUSHLINE_XIAOMI_URL',
  oppo: 'PUSHLINE_OPPO_URL',
  vivo: 'PUSHLINE_VIVO_URL',
  meizu: 'PUSHLINE_MEIZU_URL',
  webpush: 'PUSHLINE_WEBPUSH_URL',
};

export async function startSimulators(opts: StartSimulatorsOptions = {}): Promise<Simulators> {
  const host = opts.host ?? '127.0.0.1';
  const vendors = new Set(opts.vendors ?? SIMULATOR_VENDORS);
  const ca = opts.ca ?? createTestCa();
  const serverCert = issueServerCertificate(ca);
  const tempDir = opts.caFile ? undefined : mkdtempSync(join(tmpdir(), 'pushline-sim-'));
  const caFile = opts.caFile ?? join(tempDir as string, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  const options: SimOptions = {
    apnsMaxConcurrentStreams: opts.apnsMaxConcurrentStreams ?? 1000,
    apnsDropStreamsOnError: opts.apnsDropStreamsOnError ?? false,
    apnsTokenUpdateLimit: opts.apnsTokenUpdateLimit ?? 2,
    fcmMaxConcurrentStreams: opts.fcmMaxConcurrentStreams ?? 100,
    webpushHttp2: opts.webpushHttp2 ?? true,
  };
  const ctx: SimContext = {
    devices: new DeviceRegistry(),
    records: new RecordStore(opts.recordLimit ?? 10_000),
    faults: new FaultInjector(),
    credentials: new CredentialStore(),
    tls: { certPem: serverCert.certPem, keyPem: serverCert.keyPem, caPem: ca.certPem },
    options,
  };
  const ports = opts.ports ?? {};
  const servers: RunningServer[] = [];
  let urls: SimulatorUrls = {};
  try {
    const starts: Promise<void>[] = [];
    if (vendors.has('apns')) {
      starts.push(
        startApns(ctx, {
          host,
          productionPort: ports.apnsProduction,
          developmentPort: ports.apnsDevelopment,
        }).then((s) => {
          servers.push(s.production, s.development);
          urls.apnsProduction = s.production.url;
          urls.apnsDevelopment = s.development.url;
        }),
      );
    }
    for (const [vendor, def] of Object.entries(VENDOR_SERVERS)) {
      const v = vendor as SimulatorVendor;
      if (!vendors.has(v) || !def) continue;
      starts.push(
        def.start(ctx, { host, port: ports[v] ?? 0 }).then((s) => {
          servers.push(s);
          for (const key of def.urlKeys) urls[key] = s.url;
        }),
      );
    }
    await Promise.all(starts);
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  if (urls.webpush) ctx.devices.webpushBase = urls.webpush;
  // Canonical order (servers start concurrently).
  const ordered: SimulatorUrls = {};
  for (const k of Object.keys(ENV_NAMES) as (keyof SimulatorUrls)[]) if (urls[k]) ordered[k] = urls[k];
  urls = ordered;

  const env: Record<string, string> = { PUSHLINE_CA_FILE: caFile };
  for (const [k, v] of Object.entries(urls)) env[ENV_NAMES[k as keyof SimulatorUrls]] = v;

  const sim: Simulators = {
    urls,
    env,
    ca,
    caCertPem: ca.certPem,
    caFile,
    control: '',
    devices: {
      install: (vendor, o) => ctx.devices.install(vendor, o),
      uninstall: (vendor, token) => ctx.devices.uninstall(vendor, token),
      get: (vendor, token) => ctx.devices.get(vendor, token),
      list: (vendor) => ctx.devices.list(vendor),
      remove: (vendor, token) => ctx.devices.remove(vendor, token),
    },
    received: (filter) => ctx.records.list(filter),
    waitFor: (filter = {}, timeoutMs = 10_000) =>
      new Promise<PushRecord>((resolve, reject) => {
        const existing = ctx.records.list(filter)[0];
        if (existing) return resolve(existing);
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no push matching ${JSON.stringify(filter)} within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = ctx.records.subscribe((r) => {
          if (!matches(r, filter)) return;
          clearTimeout(timer);
          off();
          resolve(r);
        });
      }),
    subscribe: (l) => ctx.records.subscribe(l),
    counters: () => ctx.records.counts(),
    clear: (o) => ctx.records.clear(o),
    faults: {
      add: (vendor, rule) => ctx.faults.add(vendor, rule),
      list: (vendor) => ctx.faults.list(vendor),
      remove: (id) => ctx.faults.remove(id),
      clear: (vendor) => ctx.faults.clear(vendor),
    },
    registerApnsKey: (reg) => ctx.credentials.registerApnsKey(reg),
    registerServiceAccount: (reg) => ctx.credentials.registerServiceAccount(reg),
    registerVendorApp: (vendor, app) => ctx.credentials.registerVendorApp(vendor, app),
    expireAccessTokens: (vendor) => ctx.credentials.expireAccessTokens(vendor),
    issueApnsClientCertificate: (o) => issueApnsClientCertificate({ ca, ...o }),
    stop: async () => {
      await Promise.all(servers.map((s) => s.close()));
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
  if (opts.control !== false) {
    const control = await startControlApi(sim, host, ports.control ?? 0);
    servers.push(control);
    sim.control = control.url;
  }
  return sim;
}

function matches(r: PushRecord, f: RecordFilter): boolean {
  return (
    (!f.vendor || r.vendor === f.vendor) && (!f.token || r.token === f.token) && (!f.app || r.app === f.app)
  );
}
