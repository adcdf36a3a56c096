// `pushline cert ...` as a user runs it: a real process on a real data directory, pointed at the vendor
// simulators through PUSHLINE_* environment variables. `cert add` + `cert test` deliver a notification
// through every vendor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateServiceAccount,
  generateVendorApp,
  type Simulators,
  type SimulatorVendor,
} from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';
import { registeredApnsKey, startSims } from '../helpers/simulators.js';

describe('pushline cert', { timeout: 120_000 }, () => {
  let sim: Simulators;
  let dir: string;
  let env: Record<string, string>;
  let app: number;

  const cli = (...args: string[]) => pushline([...args, '--data', dir], env);
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    assertBuilt();
    sim = await startSims();
    dir = mkdtempSync(join(tmpdir(), 'pushline-cert-cli-'));
    env = { ...sim.env, PUSHLINE_LOG_LEVEL: 'silent' };
    const created = await cli('app', 'create', '--name', 'Chat', '--json');
    expect(created.code).toBe(0);
    app = JSON.parse(created.stdout).sdkAppId;
  });
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A Web Push certificate with a VAPID key Pushline generates (`--json`: the whole certificate). */
  const addWebPush = () =>
    cli(
      'cert',
      'add',
      '--app',
      String(app),
      '--vendor',
      'webpush',
      '--subject',
      'mailto:ops@example.com',
      '--json',
    );

  async function addAndTest(vendor: SimulatorVendor, flags: string[], token: string): Promise<number> {
    const added = await cli('cert', 'add', '--app', String(app), '--vendor', vendor, ...flags);
    expect(added.stderr).toContain('added');
    expect(added.code).toBe(0);
    const id = Number(added.stdout.trim());
    expect(Number.isInteger(id)).toBe(true);
    // Untested until a vendor accepts a push of it; the accepted test push verifies it.
    expect((await cli('cert', 'show', '--cert', String(id))).stdout).toMatch(/^verification: +untested/m);
    const tested = await cli('cert', 'test', '--cert', String(id), '--token', token);
    expect(tested.stdout).toMatch(/^sent/);
    expect(tested.code).toBe(0);
    expect((await cli('cert', 'show', '--cert', String(id))).stdout).toMatch(
      /^verification: +verified \d{4}-\d\d-\d\dT/m,
    );
    expect((await cli('cert', 'list', '--app', String(app))).stdout).toMatch(
      new RegExp(`^${id}\\t[^\\t]+\\t[^\\t]+\\tactive\\tverified \\d{4}-\\d\\d-\\d\\d\\t`, 'm'),
    );
    return id;
  }

  it('delivers through APNs with a .p8 key and with a .p12 certificate', async () => {
    const key = registeredApnsKey(sim, 'com.example.chat');
    const phone = sim.devices.install('apns', { app: 'com.example.chat', environment: 'development' });
    // biome-ignore format: one flag per line reads better
    await addAndTest('apns', ['--p8', file('AuthKey.p8', key.p8), '--key-id', key.keyId, '--team-id', key.teamId,
      '--bundle-id', 'com.example.chat', '--environment', 'development'], phone.token);
    expect((await sim.waitFor({ token: phone.token })).title).toBe('Pushline test');

    const issued = sim.issueApnsClientCertificate({
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'pw',
    });
    const prodPhone = sim.devices.install('apns', { app: 'com.example.chat', environment: 'production' });
    await addAndTest(
      'apns',
      ['--p12', file('push.p12', issued.p12), '--password-file', file('pw.txt', 'pw\n')],
      prodPhone.token,
    );
    await sim.waitFor({ token: prodPhone.token });
  });

  it('delivers through FCM with a service-account file', async () => {
    const sa = generateServiceAccount('cli-project');
    sim.registerServiceAccount({ serviceAccount: sa });
    const phone = sim.devices.install('fcm', { app: 'cli-project' });
    await addAndTest(
      'fcm',
      ['--service-account', file('sa.json', JSON.stringify(sa)), '--channel-id', 'im'],
      phone.token,
    );
    expect((await sim.waitFor({ token: phone.token })).channel).toBe('im');
  });

  const androidFlags: Record<string, (a: ReturnType<typeof generateVendorApp>) => string[]> = {
    huawei: (a) => ['--app-id', a.appId, '--client-secret', a.appSecret as string],
    honor: (a) => [
      '--app-id',
      a.appId,
      '--client-id',
      a.clientId as string,
      '--client-secret',
      a.clientSecret as string,
    ],
    xiaomi: (a) => ['--package-name', a.appId, '--app-secret', a.appSecret as string],
    oppo: (a) => ['--app-key', a.appId, '--master-secret', a.masterSecret as string],
    vivo: (a) => [
      '--app-id',
      a.appId,
      '--app-key',
      a.appKey as string,
      '--app-secret',
      a.appSecret as string,
    ],
    meizu: (a) => ['--app-id', a.appId, '--app-secret', a.appSecret as string],
  };

  it.each(['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'] as const)(
    'delivers through %s',
    async (vendor) => {
      const vendorApp = sim.registerVendorApp(vendor, generateVendorApp(vendor));
      const phone = sim.devices.install(vendor, { app: vendorApp.appId });
      await addAndTest(
        vendor,
        (androidFlags[vendor] as (a: typeof vendorApp) => string[])(vendorApp),
        phone.token,
      );
      expect((await sim.waitFor({ vendor, token: phone.token })).body).toContain('It works');
    },
  );

  it('delivers through Web Push with a generated VAPID key', async () => {
    const added = await addWebPush();
    expect(added.code).toBe(0);
    const cert = JSON.parse(added.stdout);
    const browser = sim.devices.install('webpush', {
      app: 'web',
      applicationServerKey: cert.publicFields.vapidPublicKey,
    });
    const tested = await cli(
      'cert',
      'test',
      String(cert.id),
      '--token',
      JSON.stringify(browser.subscription),
    );
    expect(tested.stdout).toMatch(/^sent/);
    await sim.waitFor({ vendor: 'webpush', token: browser.token });
  });

  it('prints the vendor answer of a failed test and exits 1', async () => {
    const key = registeredApnsKey(sim, 'com.example.chat');
    // biome-ignore format: one flag per line reads better
    const added = await cli('cert', 'add', '--app', String(app), '--vendor', 'apns', '--p8', file('k2.p8', key.p8),
      '--key-id', key.keyId, '--team-id', key.teamId, '--bundle-id', 'com.example.chat', '--environment', 'production');
    const devPhone = sim.devices.install('apns', { app: 'com.example.chat', environment: 'development' });
    const tested = await cli('cert', 'test', '--cert', added.stdout.trim(), '--token', devPhone.token);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toContain('invalid-token BadDeviceToken');
    expect(tested.stdout).toContain('vendor answered: {"reason":"BadDeviceToken"}');
    // A refused test push does not verify the certificate.
    expect((await cli('cert', 'list', '--app', String(app))).stdout).toMatch(
      new RegExp(`^${added.stdout.trim()}\\tapns/production\\t[^\\t]+\\tactive\\tuntested\\t`, 'm'),
    );
  });

  describe('a vendor that cannot be reached', () => {
    // Every vendor URL (and OAuth URL) pointed at a port nothing listens on.
    let closedEnv: Record<string, string>;
    let closedUrl: string;
    const certs = new Map<string, { id: string; token: string; closedToken?: string }>();

    beforeAll(async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      closedUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await new Promise((r) => server.close(r));
      closedEnv = Object.fromEntries(
        Object.entries(sim.env).map(([k, v]) => [k, k.endsWith('_URL') ? closedUrl : v]),
      );
      const key = registeredApnsKey(sim, 'com.example.down');
      const p8 = file('down.p8', key.p8);
      // biome-ignore format: one flag per line reads better
      const apns = await cli('cert', 'add', '--app', String(app), '--vendor', 'apns', '--p8', p8, '--key-id', key.keyId,
        '--team-id', key.teamId, '--bundle-id', 'com.example.down', '--environment', 'development');
      certs.set('apns', { id: apns.stdout.trim(), token: 'ab'.repeat(32) });
      const sa = generateServiceAccount('down-project');
      sim.registerServiceAccount({ serviceAccount: sa });
      const fcm = await cli(
        'cert',
        'add',
        '--app',
        String(app),
        '--vendor',
        'fcm',
        '--service-account',
        file('down-sa.json', JSON.stringify(sa)),
      );
      certs.set('fcm', { id: fcm.stdout.trim(), token: 'f'.repeat(140) });
      for (const vendor of ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'] as const) {
        const vendorApp = sim.registerVendorApp(vendor, generateVendorApp(vendor));
        const phone = sim.devices.install(vendor, { app: vendorApp.appId });
        const flags = (androidFlags[vendor] as (a: typeof vendorApp) => string[])(vendorApp);
        const added = await cli('cert', 'add', '--app', String(app), '--vendor', vendor, ...flags);
        certs.set(vendor, { id: added.stdout.trim(), token: phone.token });
      }
      const web = await addWebPush();
      const vapid = JSON.parse(web.stdout);
      const browser = sim.devices.install('webpush', {
        app: 'web',
        applicationServerKey: vapid.publicFields.vapidPublicKey,
      });
      const endpoint = new URL(browser.subscription.endpoint);
      certs.set('webpush', {
        id: String(vapid.id),
        token: JSON.stringify(browser.subscription),
        // A browser's push service is named by its subscription, not by configuration.
        closedToken: JSON.stringify({
          ...browser.subscription,
          endpoint: `${closedUrl}${endpoint.pathname}`,
        }),
      });
      for (const [vendor, cert] of certs) expect(cert.id, vendor).toMatch(/^\d+$/);
    });

    const vendors = ['apns', 'fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'] as const;

    it.each(vendors)('%s on a closed port: prints the network error and exits 1', async (vendor) => {
      const cert = certs.get(vendor) as { id: string; token: string; closedToken?: string };
      const token = cert.closedToken ?? cert.token;
      const tested = await pushline(['cert', 'test', cert.id, '--token', token, '--data', dir], closedEnv);
      expect(tested.code).toBe(1);
      expect(tested.stdout).toMatch(/ECONNREFUSED/);
      expect(tested.stdout).not.toMatch(/^sent/);
    });

    it.each(vendors)(
      '%s with a TLS certificate that is not trusted: prints why and exits 1',
      async (vendor) => {
        const cert = certs.get(vendor) as { id: string; token: string };
        // The simulators' own CA is not given: their TLS certificates are untrusted.
        const untrusted = { ...sim.env, PUSHLINE_CA_FILE: '' };
        const tested = await pushline(
          ['cert', 'test', cert.id, '--token', cert.token, '--data', dir],
          untrusted,
        );
        expect(tested.code).toBe(1);
        expect(tested.stdout).toMatch(/certificate|CERT|self.signed/i);
        expect(tested.stdout).not.toMatch(/^sent/);
      },
    );
  });

  it('lists, shows (masked), pauses and removes', async () => {
    // biome-ignore format: one flag per line reads better
    const added = await cli('cert', 'add', '--app', String(app), '--vendor', 'meizu', '--app-id', '123456',
      '--app-secret', 'meizu-secret-abcdef123', '--name', 'Meizu prod', '--click-action', 'url:https://example.com/open',
      '--rate-limit', '5');
    const id = added.stdout.trim();
    const list = await cli('cert', 'list', '--app', String(app));
    expect(list.stdout).toMatch(
      new RegExp(`^${id}\\tmeizu\\t123456\\tactive\\tuntested\\tno expiry\\tMeizu prod$`, 'm'),
    );
    const show = await cli('cert', 'show', '--cert', id);
    expect(show.stdout).toContain('appSecret:       me****23');
    expect(show.stdout).not.toContain('meizu-secret-abcdef123');
    expect(show.stdout).toContain('"clickAction":{"type":"open_url","url":"https://example.com/open"}');
    expect(show.stdout).toContain('"rateLimit":{"perSecond":5}');
    // Its own send rate, instead of the vendor default (pushRateLimits).
    const limited = await cli('cert', 'limit', id, '--rate', '50/100');
    expect(limited.stdout).toContain(`certificate ${id} sends at most 50/s (burst 100)`);
    expect((await cli('cert', 'show', '--cert', id)).stdout).toContain(
      '"rateLimit":{"perSecond":50,"burst":100}',
    );
    const bad = await cli('cert', 'limit', id, '--rate', 'fast');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--rate: "fast" is not a rate limit');
    expect((await cli('cert', 'limit', id, '--rate', 'default')).code).toBe(0);
    const shownAgain = (await cli('cert', 'show', '--cert', id)).stdout;
    expect(shownAgain).not.toContain('rateLimit');
    expect(shownAgain).toContain('"clickAction":{"type":"open_url","url":"https://example.com/open"}');
    const titled = await cli('cert', 'set', id, '--display-name', '魅族 Chat');
    expect(titled.stdout).toContain(`certificate ${id}: notifications without a title show "魅族 Chat"`);
    expect((await cli('cert', 'show', '--cert', id)).stdout).toContain('"displayName":"魅族 Chat"');
    await cli('cert', 'set', id, '--display-name', '');
    expect((await cli('cert', 'show', '--cert', id)).stdout).not.toContain('displayName');
    expect((await cli('cert', 'pause', id, '--reason', 'testing')).code).toBe(0);
    expect((await cli('cert', 'list', '--app', String(app))).stdout).toContain(
      `${id}\tmeizu\t123456\tpaused (testing)`,
    );
    expect((await cli('cert', 'resume', id)).code).toBe(0);
    expect((await cli('cert', 'rm', '--cert', id)).stdout).toContain(`deleted certificate ${id}`);
    const gone = await cli('cert', 'show', '--cert', id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`no certificate ${id}`);
  });

  it('flags an expiring certificate in list and show', async () => {
    const { issueApnsClientCertificate } = await import('@pushline/simulator');
    const short = issueApnsClientCertificate({
      ca: sim.ca,
      bundleId: 'com.example.soon',
      environment: 'production',
      password: 'pw',
      notAfter: new Date(Date.now() + 5 * 86_400_000),
    });
    const added = await cli(
      'cert',
      'add',
      '--app',
      String(app),
      '--vendor',
      'apns',
      '--p12',
      file('soon.p12', short.p12),
      '--password',
      'pw',
    );
    const id = added.stdout.trim();
    expect((await cli('cert', 'list', '--app', String(app))).stdout).toMatch(
      new RegExp(`^${id}\\t.*EXPIRING SOON`, 'm'),
    );
    expect((await cli('cert', 'show', id)).stdout).toMatch(
      /expiry: +expires \d{4}-\d\d-\d\d \(EXPIRING SOON: renew it\)/,
    );
  });

  it('explains refused uploads next to the flag at fault', async () => {
    const issued = sim.issueApnsClientCertificate({
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'right',
    });
    const wrong = await cli(
      'cert',
      'add',
      '--app',
      String(app),
      '--vendor',
      'apns',
      '--p12',
      file('w.p12', issued.p12),
      '--password',
      'nope',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--password: wrong password for this .p12 file');
    const legacy = await cli(
      'cert',
      'add',
      '--app',
      String(app),
      '--vendor',
      'fcm',
      '--server-key',
      'AAAAxxxx:APA91bzzz',
    );
    expect(legacy.code).toBe(1);
    expect(legacy.stderr).toMatch(
      /--server-key: FCM legacy server keys no longer work: .*2024.*service-account JSON/,
    );
    const missing = await cli(
      'cert',
      'add',
      '--app',
      String(app),
      '--vendor',
      'apns',
      '--p12',
      join(dir, 'nope.p12'),
    );
    expect(missing.stderr).toContain('--p12: cannot read');
    const noApp = await cli('cert', 'list', '--app', '42');
    expect(noApp.stderr).toContain('no app with SDKAppID 42');
    const list = await cli('cert', 'list', '--app', String(app), '--json');
    expect(list.stdout).not.toContain('right');
  });
});
