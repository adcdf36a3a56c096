// Huawei, Honor, Xiaomi, OPPO, vivo and Meizu channels against their simulators: the happy path
// (with auth-token caching), per-token results of multi-token sends, wrong credentials, and every
// row of each channel's answer table reached through fault injection.
import { generateVendorApp, type OemVendor, type Simulators, type VendorApp } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInput } from '../../../src/certificates/input.js';
import { testTask } from '../../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import type { AnswerRow } from '../../../src/push/channels/answer-tables.js';
import { HONOR_ANSWERS } from '../../../src/push/vendors/honor/channel.js';
import { HUAWEI_ANSWERS } from '../../../src/push/vendors/huawei/channel.js';
import { MEIZU_ANSWERS } from '../../../src/push/vendors/meizu/channel.js';
import { OPPO_ANSWERS } from '../../../src/push/vendors/oppo/channel.js';
import { VIVO_ANSWERS } from '../../../src/push/vendors/vivo/channel.js';
import { XIAOMI_ANSWERS } from '../../../src/push/vendors/xiaomi/channel.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { simConfig, startSims } from '../../helpers/simulators.js';

interface VendorCase {
  vendor: OemVendor;
  input(app: VendorApp): Omit<CertificateInput, 'vendor'>;
  /** A copy of the credentials with the secret spoiled. */
  wrongSecret(app: VendorApp): Omit<CertificateInput, 'vendor'>;
  table: Record<string, AnswerRow>;
  /** Rows reachable by injecting the vendor's answer: code -> HTTP status of that answer. */
  injectable: Record<string, number>;
  /** Codes the channel answers by renewing its auth token once (inject twice to see the final outcome). */
  renews: string[];
  /** Requests one message to several tokens takes (OPPO and vivo store the message first, then push it). */
  requestsPerGroup: number;
  /** Auth-token requests go to the same simulator (a fault would hit them first). */
  exchangesToken: boolean;
  /** How an uninstalled app's token is reported next to a good one (in a multi-token request), and a token
   * never issued on its own (a single-token request). */
  uninstalled: string;
  unknown: string;
}

const CASES: VendorCase[] = [
  {
    vendor: 'huawei',
    input: (a) => ({ appId: a.appId, clientSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, clientSecret: 'wrong' }),
    table: HUAWEI_ANSWERS,
    injectable: {
      '80300007': 400,
      '80100001': 400,
      '80100003': 400,
      '80100004': 400,
      '80100016': 400,
      '80300002': 403,
      '80300008': 400,
      '80300010': 400,
      '80300011': 403,
      '80200001': 401,
      '80200003': 401,
      '80600003': 500,
      '81000001': 503,
    },
    renews: ['80200001', '80200003'],
    requestsPerGroup: 1,
    exchangesToken: true,
    uninstalled: 'illegal_token',
    unknown: '80300007',
  },
  {
    vendor: 'honor',
    input: (a) => ({ appId: a.appId, clientId: a.clientId, clientSecret: a.clientSecret }),
    wrongSecret: (a) => ({ appId: a.appId, clientId: a.clientId, clientSecret: 'wrong' }),
    table: HONOR_ANSWERS,
    injectable: {
      '80100001': 400,
      '80100003': 400,
      '80300008': 400,
      '80300010': 400,
      '80200001': 401,
      '80200003': 401,
      '81000001': 503,
    },
    renews: ['80200001', '80200003'],
    requestsPerGroup: 1,
    exchangesToken: true,
    uninstalled: 'expireToken',
    unknown: 'failToken',
  },
  {
    vendor: 'xiaomi',
    input: (a) => ({ packageName: a.appId, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ packageName: a.appId, appSecret: 'wrong' }),
    table: XIAOMI_ANSWERS,
    injectable: { '20301': 200, '21301': 200, '22022': 200, '10016': 200, '10017': 200, '200001': 200 },
    renews: [],
    requestsPerGroup: 1,
    exchangesToken: false,
    uninstalled: 'bad_regid',
    unknown: '20301',
  },
  {
    vendor: 'oppo',
    input: (a) => ({ appKey: a.appId, masterSecret: a.masterSecret }),
    wrongSecret: (a) => ({ appKey: a.appId, masterSecret: 'wrong' }),
    table: OPPO_ANSWERS,
    injectable: {
      '-2': 200,
      '-1': 200,
      '11': 200,
      '13': 200,
      '14': 200,
      '16': 200,
      '28': 200,
      '33': 200,
      '40': 200,
      '41': 200,
      '10000': 200,
    },
    renews: ['11'],
    requestsPerGroup: 2,
    exchangesToken: true,
    uninstalled: '10000',
    unknown: '10000',
  },
  {
    vendor: 'vivo',
    input: (a) => ({ appId: a.appId, appKey: a.appKey, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, appKey: a.appKey, appSecret: 'wrong' }),
    table: VIVO_ANSWERS,
    injectable: {
      '10000': 200,
      '10055': 200,
      '10070': 200,
      '10094': 200,
      '10252': 200,
      '10302': 200,
      '10305': 200,
    },
    renews: ['10000'],
    requestsPerGroup: 2,
    exchangesToken: true,
    uninstalled: 'invalidUser',
    unknown: '10302',
  },
  {
    vendor: 'meizu',
    input: (a) => ({ appId: a.appId, appSecret: a.appSecret }),
    wrongSecret: (a) => ({ appId: a.appId, appSecret: 'wrong' }),
    table: MEIZU_ANSWERS,
    injectable: Object.fromEntries(
      Object.keys(MEIZU_ANSWERS)
        .filter((c) => c !== '200')
        .map((c) => [c, 200]),
    ),
    renews: [],
    requestsPerGroup: 1,
    exchangesToken: false,
    uninstalled: '110002',
    unknown: '110003',
  },
];

let sim: Simulators;
let s: TestServer;

beforeAll(async () => {
  sim = await startSims({ vendors: ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'] });
  s = await startTestServer({ config: simConfig(sim) });
});
afterAll(async () => {
  await s?.close();
  await sim?.stop();
});

describe.each(CASES)('$vendor channel', (c) => {
  let app: VendorApp;
  let cert: CertificateInfo;

  beforeAll(async () => {
    app = sim.registerVendorApp(c.vendor, generateVendorApp(c.vendor));
    cert = await s.pushline.certificateService.add(s.app.sdkAppId, { vendor: c.vendor, ...c.input(app) });
  });

  const send = (tokens: string[], certificate = cert) =>
    s.pushline.channels.send(
      certificate.id,
      tokens.map((t) => testTask(certificate, t, 'hello from Pushline')),
    );
  const install = () => sim.devices.install(c.vendor, { app: app.appId }).token;
  const code = (o: { kind: string } | undefined) => (o && 'code' in o ? o.code : undefined);

  it('delivers, reusing its auth token', async () => {
    const phone = install();
    const [first] = await send([phone]);
    expect(first).toMatchObject({ kind: 'sent' });
    const record = await sim.waitFor({ vendor: c.vendor, token: phone });
    expect(record).toMatchObject({ title: 'Pushline test', body: 'hello from Pushline', app: app.appId });
    const tokenRequests = () => sim.counters()[c.vendor]?.byReason.token ?? 0;
    const before = tokenRequests();
    expect((await send([install(), install()])).map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(tokenRequests()).toBe(before);
  });

  it('sends one message to many tokens in as few requests as the vendor allows', async () => {
    await send([install()]);
    const requests = () => sim.counters()[c.vendor]?.requests ?? 0;
    const before = requests();
    const phones = Array.from({ length: 5 }, install);
    const outcomes = await send(phones);
    expect(outcomes.map((o) => o.kind)).toEqual(phones.map(() => 'sent'));
    expect(requests() - before).toBe(c.requestsPerGroup);
    for (const phone of phones) await sim.waitFor({ vendor: c.vendor, token: phone });
  });

  it('answers per token: uninstalled and unknown tokens among good ones', async () => {
    const good = install();
    const gone = install();
    sim.devices.uninstall(c.vendor, gone);
    const stranger = sim.devices.install(c.vendor, { app: 'some.other.app' }).token;
    const [a, b] = await send([good, gone]);
    expect(a?.kind).toBe('sent');
    expect(code(b)).toBe(c.uninstalled);
    expect(b?.kind).toBe(c.table[c.uninstalled]?.outcome);
    const [unknown] = await send([stranger]);
    expect(code(unknown)).toBe(c.unknown);
    expect(unknown?.kind).toBe(c.table[c.unknown]?.outcome);
  });

  it('reports a wrong secret as a credential error', async () => {
    const bad = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: c.vendor,
      ...c.wrongSecret(app),
    });
    const [o] = await send([install()], bad);
    expect(o?.kind).toBe('credential-error');
  });

  it('renews an expired auth token and sends', async () => {
    if (!c.exchangesToken) return;
    await send([install()]);
    expect(sim.expireAccessTokens(c.vendor)).toBeGreaterThan(0);
    const [o] = await send([install()]);
    expect(o?.kind).toBe('sent');
  });

  it.each(Object.entries(c.injectable))('maps answer %s to its table outcome', async (answer, status) => {
    await send([install()]); // a cached auth token, so the fault hits the send itself
    if (c.renews.includes(answer)) {
      // An auth-token answer: the channel renews its token and sends again...
      sim.faults.add(c.vendor, { kind: 'status', status, reason: answer, count: 1 });
      expect((await send([install()]))[0]?.kind).toBe('sent');
      // ...and reports the credential when it keeps failing (the renewal itself is refused here).
      sim.faults.add(c.vendor, { kind: 'status', status, reason: answer, count: 3 });
      expect((await send([install()]))[0]?.kind).toBe(c.table[answer]?.outcome);
    } else {
      sim.faults.add(c.vendor, { kind: 'status', status, reason: answer, count: 1 });
      const [o] = await send([install()]);
      expect(o).toMatchObject({ kind: c.table[answer]?.outcome, code: answer });
    }
    sim.faults.clear(c.vendor);
  });

  it('retries on 5xx with Retry-After and on a dropped connection', async () => {
    await send([install()]);
    sim.faults.add(c.vendor, { kind: 'status', status: 503, reason: 'busy', retryAfter: 3, count: 1 });
    const [o] = await send([install()]);
    expect(o).toMatchObject({ kind: 'retry', afterMs: 3000 });
    sim.faults.add(c.vendor, { kind: 'reset', count: 1 });
    const [r] = await send([install()]);
    expect(r?.kind).toBe('retry');
    expect(code(r)).toMatch(/^Network:/);
  });
});
