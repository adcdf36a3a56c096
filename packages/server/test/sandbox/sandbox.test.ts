// Sandbox mode (`npm start` = `pushline serve --sandbox`): the simulators run in-process, every vendor has
// a demo certificate that really delivers to its virtual phone through the real channel, every demo user
// has a phone in the background (PushOnline with a binding), and a restart reuses everything from
// <data>/sandbox.json. On SQLite and PostgreSQL.
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/certificates/types.js';
import { loadConfig } from '../../src/config.js';
import { DEMO_GROUP, DEMO_SDKAPPID, DEMO_SENDER, demoCertificateName } from '../../src/sandbox/demo.js';
import { runDemo } from '../../src/sandbox/demo-run.js';
import { DEMO_DEVICE_OWNERS } from '../../src/sandbox/simulators.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';
import { readSandboxState, sandboxFile } from '../../src/sandbox/state.js';
import { createPostgresDatabase, testBackends } from '../helpers/databases.js';

const backends = await testBackends();

describe.each(backends)('sandbox on %s', { timeout: 120_000 }, (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-sandbox-'));
  let db: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let running: Sandbox | undefined;

  const start = async () => {
    if (backend === 'postgres' && !db) {
      const created = await createPostgresDatabase();
      db = created.url;
      dropDb = created.drop;
    }
    const config = loadConfig({
      env: {},
      flags: { dataDir: dir, db, port: 0, host: '127.0.0.1', sandbox: true, logLevel: 'silent' },
    });
    running = await startSandbox(config);
    return running;
  };
  const stop = async () => {
    await running?.close();
    running = undefined;
  };

  afterAll(async () => {
    await stop();
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends the certificate's test notification to every demo phone and waits for each phone to show it. */
  async function expectEveryPhoneReachable(s: Sandbox): Promise<void> {
    for (const device of s.demo.devices) {
      const text = `sandbox check ${device.vendor} ${Date.now()}`;
      const { outcome } = await s.pushline.certificateService.test(
        DEMO_SDKAPPID,
        device.certificateId,
        device.pushToken,
        text,
      );
      expect(outcome, device.vendor).toMatchObject({ kind: 'sent' });
      const shown = await s.simulators.sim.waitFor({ vendor: device.vendor, token: device.token });
      expect(shown.body, device.vendor).toContain('sandbox check');
    }
  }

  it('creates the demo app, a certificate per vendor that delivers to its virtual phone, users, group and background phones', async () => {
    const s = await start();
    expect(s.demo.app.sdkAppId).toBe(DEMO_SDKAPPID);
    const certs = await s.pushline.certificateService.list(DEMO_SDKAPPID);
    for (const vendor of VENDORS) {
      expect(certs.find((c) => c.vendor === vendor && c.name === demoCertificateName(vendor))).toBeDefined();
    }
    expect(s.demo.devices.map((d) => d.vendor).sort()).toEqual([...VENDORS].sort());
    await expectEveryPhoneReachable(s);

    // Every demo user is logged in with the app in the background and a push binding: PushOnline.
    const owners = Object.values(DEMO_DEVICE_OWNERS).map((o) => o.userId);
    const targets = await s.pushline.sessions.pushTargets(DEMO_SDKAPPID, owners);
    for (const device of s.demo.devices) {
      const t = targets.find((x) => x.userId === device.userId && x.instanceId === device.instanceId);
      expect(t, device.userId).toMatchObject({ state: 'PushOnline' });
      const bindings = await s.pushline.bindings.of(DEMO_SDKAPPID, device.userId, device.instanceId);
      expect(bindings).toEqual([
        expect.objectContaining({ certificateId: device.certificateId, token: device.pushToken }),
      ]);
    }
    expect(await s.pushline.accounts.get(DEMO_SDKAPPID, DEMO_SENDER.userId)).toMatchObject({ nick: 'Sam' });
    expect(await s.pushline.groups.memberCount(DEMO_SDKAPPID, DEMO_GROUP.groupId)).toBe(owners.length + 1);

    // Where `pushline demo` finds the running sandbox; the file holds private keys, so 0600.
    expect(statSync(sandboxFile(dir)).mode & 0o777).toBe(0o600);
    const state = readSandboxState(dir);
    expect(state.server).toMatchObject({
      url: s.url,
      sdkAppId: DEMO_SDKAPPID,
      adminUserSig: s.adminUserSig,
      simulatorControl: s.simulators.sim.control,
    });
    const health = await fetch(`${state.server?.simulatorControl}/health`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('reuses the same credentials, certificates, tokens and instances after a restart', async () => {
    const before = running as Sandbox;
    const certIds = before.demo.devices.map((d) => d.certificateId);
    const tokens = before.demo.devices.map((d) => d.token);
    const instances = before.demo.devices.map((d) => d.instanceId);
    await stop();
    const after = await start();
    expect(after.demo.devices.map((d) => d.certificateId)).toEqual(certIds);
    expect(after.demo.devices.map((d) => d.token)).toEqual(tokens);
    expect(after.demo.devices.map((d) => d.instanceId)).toEqual(instances);
    expect((await after.pushline.certificateService.list(DEMO_SDKAPPID)).length).toBe(VENDORS.length);
    // The simulators were restarted and know the stored credentials again: every certificate still sends.
    await expectEveryPhoneReachable(after);
  });

  it('replaces the demo credentials when sandbox.json was deleted but the database kept', async () => {
    const certIds = (running as Sandbox).demo.devices.map((d) => d.certificateId);
    await stop();
    unlinkSync(sandboxFile(dir));
    const fresh = await start();
    expect(fresh.demo.devices.map((d) => d.certificateId)).toEqual(certIds);
    await expectEveryPhoneReachable(fresh);
  });

  it('the demo flow: every virtual phone shows the C2C and the group message as a notification', async () => {
    const s = running as Sandbox;
    const state = readSandboxState(dir);
    const server = state.server as NonNullable<typeof state.server>;
    const lines: string[] = [];
    const result = await runDemo(
      { ...server, devices: state.devices ?? [] },
      { timeoutMs: 60_000, write: (l) => lines.push(l) },
    );
    expect(result.sent).toBe(VENDORS.length + 1);
    expect(result.expected).toBe(VENDORS.length * 2);
    expect(result.received).toHaveLength(VENDORS.length * 2);
    for (const device of s.demo.devices) {
      const shown = result.received.filter((r) => r.token === device.token);
      // APNs shows one line; Android vendors and Web Push show the sender or group as the title and the text
      // without repeating it (docs/push-payloads.md).
      const expected =
        device.vendor === 'apns'
          ? [
              `Sam: Hi ${device.userId}, this is a C2C message`,
              'Sam (Demo Group): Hello everyone, this is a group message',
            ]
          : [
              `[Sam] Hi ${device.userId}, this is a C2C message`,
              '[Demo Group] Sam: Hello everyone, this is a group message',
            ];
      const texts = shown.map((r) => (device.vendor === 'apns' ? r.body : `[${r.title}] ${r.body}`));
      expect(texts, device.vendor).toEqual(expect.arrayContaining(expected));
      expect(lines.join('\n')).toContain(
        `${device.userId.padEnd(6)} ${device.vendor.padEnd(8)} ${device.token.slice(0, 10)}`,
      );
    }
    expect(lines.at(-1)).toBe(`${VENDORS.length * 2} notifications arrived.`);
  });

  it('starts on other ports when a port of the last start is taken, and the phones still get their pushes', async () => {
    const previous = readSandboxState(dir).ports as Record<string, number>;
    await stop();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(previous.webpush, '127.0.0.1', () => r()));
    try {
      const moved = await start();
      expect(new URL(moved.simulators.sim.urls.webpush as string).port).not.toBe(String(previous.webpush));
      expect(readSandboxState(dir).ports?.webpush).not.toBe(previous.webpush);
      await expectEveryPhoneReachable(moved);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
