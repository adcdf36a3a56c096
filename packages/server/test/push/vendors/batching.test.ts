// Multi-token requests of the vendors with batch APIs, against their simulators. A batch of N identical
// tasks goes out as ceil(N / the vendor's maximum) requests, counted from the requests the simulator
// recorded; uninstalled tokens among them come back invalid-token for exactly those tasks; a single task
// still uses the single-send endpoint (OPPO unicast, vivo /message/send); and a request that fails as a
// whole (vendor error with Retry-After, wrong secret) answers every task of its group, after renewing an
// expired auth token once.
import {
  generateVendorApp,
  type OemVendor,
  type PushRecord,
  type Simulators,
  type VendorApp,
} from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInput } from '../../../src/certificates/input.js';
import { testTask } from '../../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import { HONOR_MAX_TOKENS } from '../../../src/push/vendors/honor/channel.js';
import { HUAWEI_MAX_TOKENS } from '../../../src/push/vendors/huawei/channel.js';
import { MEIZU_MAX_TOKENS } from '../../../src/push/vendors/meizu/channel.js';
import { OPPO_MAX_TOKENS } from '../../../src/push/vendors/oppo/channel.js';
import { VIVO_MAX_TOKENS } from '../../../src/push/vendors/vivo/channel.js';
import { XIAOMI_MAX_TOKENS } from '../../../src/push/vendors/xiaomi/channel.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { simConfig, startSims } from '../../helpers/simulators.js';

interface BatchCase {
  vendor: OemVendor;
  /** The vendor's maximum of tokens per request, as the channel uses it. */
  max: number;
  input(app: VendorApp): Omit<CertificateInput, 'vendor'>;
  wrongSecret(app: VendorApp): Omit<CertificateInput, 'vendor'>;
  /** The request that carries the tokens of a multi-token send. */
  batchPath: RegExp;
  /** The request of a one-token send. */
  singlePath: RegExp;
  /** Requests per group: OPPO and vivo store the message first, then push it to the tokens. */
  requestsPerGroup: number;
  /** Auth tokens come from an exchange (and can expire). */
  exchangesToken: boolean;
}

const CASES: BatchCase[] = [
  {
    vendor: 'huawei',
    max: HUAWEI_MAX_TOKENS,
    input: (a) => ({ appId: a.appId, clientSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, clientSecret: 'wrong' }),
    batchPath: /\/messages:send$/,
    singlePath: /\/messages:send$/,
    requestsPerGroup: 1,
    exchangesToken: true,
  },
  {
    vendor: 'honor',
    max: HONOR_MAX_TOKENS,
    input: (a) => ({ appId: a.appId, clientId: a.clientId, clientSecret: a.clientSecret }),
    wrongSecret: (a) => ({ appId: a.appId, clientId: a.clientId, clientSecret: 'wrong' }),
    batchPath: /\/sendMessage$/,
    singlePath: /\/sendMessage$/,
    requestsPerGroup: 1,
    exchangesToken: true,
  },
  {
    vendor: 'xiaomi',
    max: XIAOMI_MAX_TOKENS,
    input: (a) => ({ packageName: a.appId, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ packageName: a.appId, appSecret: 'wrong' }),
    batchPath: /^\/v3\/message\/regid$/,
    singlePath: /^\/v3\/message\/regid$/,
    requestsPerGroup: 1,
    exchangesToken: false,
  },
  {
    vendor: 'oppo',
    max: OPPO_MAX_TOKENS,
    input: (a) => ({ appKey: a.appId, masterSecret: a.masterSecret }),
    wrongSecret: (a) => ({ appKey: a.appId, masterSecret: 'wrong' }),
    batchPath: /\/message\/notification\/broadcast$/,
    singlePath: /\/message\/notification\/unicast$/,
    requestsPerGroup: 2,
    exchangesToken: true,
  },
  {
    vendor: 'vivo',
    max: VIVO_MAX_TOKENS,
    input: (a) => ({ appId: a.appId, appKey: a.appKey, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, appKey: a.appKey, appSecret: 'wrong' }),
    batchPath: /^\/message\/pushToList$/,
    singlePath: /^\/message\/send$/,
    requestsPerGroup: 2,
    exchangesToken: true,
  },
  {
    vendor: 'meizu',
    max: MEIZU_MAX_TOKENS,
    input: (a) => ({ appId: a.appId, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, appSecret: 'wrong' }),
    batchPath: /\/varnished\/pushByPushId$/,
    singlePath: /\/varnished\/pushByPushId$/,
    requestsPerGroup: 1,
    exchangesToken: false,
  },
];

let sim: Simulators;
let s: TestServer;

beforeAll(async () => {
  sim = await startSims({ vendors: CASES.map((c) => c.vendor), recordLimit: 50_000 });
  s = await startTestServer({ config: simConfig(sim) });
});
afterAll(async () => {
  await s?.close();
  await sim?.stop();
});

describe.each(CASES)('$vendor multi-token requests', (c) => {
  let app: VendorApp;
  let cert: CertificateInfo;

  beforeAll(async () => {
    app = sim.registerVendorApp(c.vendor, generateVendorApp(c.vendor));
    cert = await s.pushline.certificateService.add(s.app.sdkAppId, { vendor: c.vendor, ...c.input(app) });
  });

  const install = () => sim.devices.install(c.vendor, { app: app.appId }).token;
  /** The same test notification to every token: one identical vendor request for all tasks. */
  const send = (tokens: string[], certificate = cert) =>
    s.pushline.channels.send(
      certificate.id,
      tokens.map((t) => testTask(certificate, t, 'one message for everyone')),
    );
  const requests = () => sim.counters()[c.vendor]?.requests ?? 0;
  /** The vendor requests that delivered to these tokens (one record per token, sharing its request). */
  const requestsFor = (tokens: string[]): PushRecord['raw'][] => {
    const wanted = new Set(tokens);
    const byBody = new Map<string, PushRecord['raw']>();
    for (const r of sim.received({ vendor: c.vendor, limit: 50_000 })) {
      if (wanted.has(r.token)) byBody.set(`${r.raw.path} ${r.raw.body}`, r.raw);
    }
    return [...byBody.values()];
  };

  it('sends 2 × max + 2 identical tasks as 3 requests; uninstalled tokens answer for themselves', async () => {
    await send([install()]); // a cached auth token: only the sends below are counted
    const n = 2 * c.max + 2; // the third request has two tokens: a group, not a single send
    const phones = Array.from({ length: n }, install);
    // One uninstalled token in each request: first, middle and last position of the batch.
    const gone = new Set([0, c.max + Math.floor(c.max / 2), n - 1]);
    for (const i of gone) sim.devices.uninstall(c.vendor, phones[i] as string);
    const before = requests();

    const outcomes = await send(phones);

    expect(outcomes).toHaveLength(n);
    const wrong = outcomes.flatMap((o, i) =>
      (gone.has(i) ? o.kind !== 'invalid-token' : o.kind !== 'sent') ? [{ i, o }] : [],
    );
    expect(wrong).toEqual([]);
    expect(requests() - before).toBe(Math.ceil(n / c.max) * c.requestsPerGroup);
    const sent = requestsFor(phones);
    expect(sent).toHaveLength(Math.ceil(n / c.max));
    for (const raw of sent) expect(raw.path).toMatch(c.batchPath);
    const delivered = new Set(sim.received({ vendor: c.vendor, limit: 50_000 }).map((r) => r.token));
    expect(phones.filter((p, i) => !gone.has(i) && !delivered.has(p))).toEqual([]);
  });

  it('sends a single task with the single-send request', async () => {
    await send([install()]);
    const before = requests();
    const phone = install();
    expect((await send([phone]))[0]?.kind).toBe('sent');
    expect(requests() - before).toBe(1);
    const [raw] = requestsFor([phone]);
    expect(raw?.path).toMatch(c.singlePath);
  });

  it('answers every task of a request the vendor refuses as a whole, with its Retry-After', async () => {
    await send([install()]);
    sim.faults.add(c.vendor, { kind: 'status', status: 503, reason: 'busy', retryAfter: 7, count: 1 });
    const outcomes = await send([install(), install(), install()]);
    sim.faults.clear(c.vendor);
    expect(outcomes).toEqual([0, 1, 2].map(() => expect.objectContaining({ kind: 'retry', afterMs: 7000 })));
  });

  it('reports a wrong secret for every task of the request', async () => {
    const bad = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: c.vendor,
      ...c.wrongSecret(app),
    });
    const outcomes = await send([install(), install()], bad);
    expect(outcomes.map((o) => o.kind)).toEqual(['credential-error', 'credential-error']);
  });

  it.runIf(c.exchangesToken)('renews an expired auth token and sends the whole request', async () => {
    await send([install()]);
    expect(sim.expireAccessTokens(c.vendor)).toBeGreaterThan(0);
    const phones = [install(), install(), install()];
    expect((await send(phones)).map((o) => o.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(requestsFor(phones)).toHaveLength(1);
  });
});
