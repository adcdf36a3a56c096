// Send workers (docs/delivery.md "Workers"): with `workers: 3` the channels run on two worker threads beside
// the main thread. Pushes of both vendors go out through them and are recorded; a certificate paused and
// resumed on the main thread is followed; a worker that dies is replaced and the batch it held is retried; a
// large Web Push batch is split over both workers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateWithSecrets } from '../../src/certificates/store.js';
import { testTask } from '../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../src/certificates/types.js';
import { loadConfig } from '../../src/config.js';
import { SendWorkers, workerIndex } from '../../src/push/channels/send-workers.js';
import { createPushline } from '../../src/server.js';
import { waitFor } from '../helpers/clients.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';
import type { TestServer } from '../helpers/server.js';
import { startWebPushWorld, type WebPushWorld } from '../helpers/webpush-world.js';

describe('a node with send workers', () => {
  it("closes right after it was created without waiting out the workers' grace period", async () => {
    // A worker closed while it still starts answers "ready" before "closed": the close used to miss the
    // second answer and wait 10 s for its fallback (every CLI command and test that opens a node without
    // serving paid it).
    const dataDir = mkdtempSync(join(tmpdir(), 'pushline-workers-'));
    try {
      const pushline = await createPushline(
        loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent', workers: 3 } }),
      );
      const started = Date.now();
      await pushline.close();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports itself listening only once its send workers have started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pushline-workers-'));
    const config = loadConfig({
      env: {},
      flags: { dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', workers: 3 },
    });
    const pushline = await createPushline(config);
    try {
      let started = false;
      void pushline.channels.ready().then(() => {
        started = true;
      });
      await pushline.listen();
      // A push accepted now does not wait for a thread still loading (bench/README.md, first notification).
      expect(started).toBe(true);
    } finally {
      await pushline.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('send workers', () => {
  let w: PushWorld;
  let workers: SendWorkers;

  beforeAll(async () => {
    w = await startPushWorld('sqlite', {}, { workers: 3 });
    const sender = w.s.pushline.channels.sender;
    if (!(sender instanceof SendWorkers))
      throw new Error('workers: 3 should run the channels on send workers');
    workers = sender;
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        { UserID: 'sender', Nick: 'Sender' },
        { UserID: 'ana' },
        { UserID: 'ben' },
        { UserID: 'cy' },
      ],
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const sendmsg = (to: string, body: string) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'sender',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(body),
    });
  const stages = (pushId: string) =>
    w.s.pushline.db
      .selectFrom('push_trace_events')
      .select(['stage', 'code'])
      .where('push_id', '=', pushId)
      .orderBy('id')
      .execute();
  const pushIdOf = (msgKey: unknown) =>
    w.recorder.acceptedRecords.find((r) => r.msgKey === msgKey)?.pushId ?? '';

  it('sends APNs and FCM pushes from two worker threads and records their answers', async () => {
    expect(workers.size).toBe(2);
    const iphone = await backgroundPhone(w, 'ana', 'apns');
    const android = await backgroundPhone(w, 'ben', 'fcm');
    const toAna = await sendmsg('ana', 'hello ana');
    const toBen = await sendmsg('ben', 'hello ben');
    expect(await w.sim.waitFor({ token: iphone.token })).toMatchObject({ body: 'Sender: hello ana' });
    expect(await w.sim.waitFor({ token: android.token })).toMatchObject({ vendor: 'fcm' });
    for (const r of [toAna, toBen]) {
      const pushId = pushIdOf(r.MsgKey);
      await waitFor(
        async () => (await stages(pushId)).some((s) => s.stage === 'sent'),
        'the recorded answer',
      );
    }
    await iphone.client.chat.logout();
    await android.client.chat.logout();
  });

  it('follows a certificate paused and resumed on the main thread', async () => {
    const phone = await backgroundPhone(w, 'cy', 'fcm');
    // Paused to discard: the worker's channel must not send this one, ever.
    await w.s.pushline.certificateService.pause(w.s.app.sdkAppId, w.fcm.id, 'key rotation', 'discard');
    const paused = await sendmsg('cy', 'while paused');
    expect(w.recorder.skippedRecords.find((r) => r.msgKey === paused.MsgKey)).toMatchObject({
      reason: 'certificate-paused',
    });
    // Paused to hold: queued, held, and sent through the worker after the resume.
    await w.s.pushline.certificateService.pause(w.s.app.sdkAppId, w.fcm.id, 'key rotation', 'hold');
    await sendmsg('cy', 'held');
    await waitFor(async () => (await w.s.pushline.pushQueue.stats()).held >= 1, 'the push held');
    expect(w.sim.received({ token: phone.token })).toEqual([]);
    await w.s.pushline.certificateService.resume(w.s.app.sdkAppId, w.fcm.id);
    await sendmsg('cy', 'after the resume');
    await waitFor(() => w.sim.received({ token: phone.token }).length >= 2, 'two pushes');
    expect(
      w.sim
        .received({ token: phone.token })
        .map((n) => n.body)
        .sort(),
    ).toEqual(['after the resume', 'held']);
    await phone.client.chat.logout();
  });

  it('sends a certificate to its worker once per version', async () => {
    const phone = await backgroundPhone(w, 'ben', 'fcm', 0, 'ben-tablet');
    const cert = (await w.s.pushline.certificates.getWithSecrets(w.fcm.id)) as CertificateWithSecrets;
    const worker = workers.threads[workerIndex(cert, workers.size)]!;
    const carried: boolean[] = [];
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (m: { type: string; cert?: unknown }) => {
      if (m.type === 'send') carried.push(m.cert !== undefined);
      post(m);
    };
    try {
      const delivered = async (n: number) =>
        waitFor(() => w.sim.received({ token: phone.token }).length >= n, `${n} pushes`);
      await sendmsg('ben', 'one');
      await delivered(1);
      await sendmsg('ben', 'two');
      await delivered(2);
      // The worker already holds this version (earlier tests sent with it): no batch carries it.
      expect(carried).toEqual([false, false]);
      // An edit makes a new version: the next batch carries it, the one after does not.
      await w.s.pushline.certificateService.update(w.s.app.sdkAppId, w.fcm.id, {
        defaults: { channelId: 'im_messages_v2' },
      });
      await sendmsg('ben', 'three');
      await delivered(3);
      await sendmsg('ben', 'four');
      await delivered(4);
      expect(carried).toEqual([false, false, true, false]);
      expect(w.sim.received({ token: phone.token }).map((n) => n.body)).toEqual([
        'one',
        'two',
        'three',
        'four',
      ]);
    } finally {
      worker.postMessage = post;
      await phone.client.chat.logout();
    }
  });

  it('replaces a worker that dies and retries the batch it held', async () => {
    const phone = await backgroundPhone(w, 'ana', 'fcm', 0, 'ana-tablet');
    // FCM answers slowly: the batch is on its worker when the worker is stopped.
    w.sim.faults.add('fcm', { kind: 'latency', ms: 1_500, count: 1 });
    const r = await sendmsg('ana', 'through a dying worker');
    const pushId = pushIdOf(r.MsgKey);
    const before = workers.threads;
    const cert = (await w.s.pushline.certificates.getWithSecrets(w.fcm.id)) as CertificateWithSecrets;
    const index = workerIndex(cert, workers.size);
    // The latency rule is used up when the request reaches FCM: the batch is then in flight on its worker.
    await waitFor(() => w.sim.faults.list('fcm').length === 0, 'the request reaching FCM');
    await before[index]!.terminate();
    await waitFor(() => workers.threads[index] !== before[index], 'a new worker');
    await waitFor(async () => {
      const s = await stages(pushId);
      return s.some((x) => x.stage === 'sent') ? s : undefined;
    }, 'the retried push to be answered');
    expect((await stages(pushId)).map((s) => [s.stage, s.code])).toEqual([
      ['retry', 'send-failed'],
      ['sent', null],
    ]);
    await phone.client.chat.logout();
  });

  it('keeps the certificates that share an APNs signing key on one worker', () => {
    const apns = (id: number, keyId: string): CertificateWithSecrets =>
      ({
        info: { id, vendor: 'apns', publicFields: { keyId, teamId: 'TEAM123456' } },
        secrets: { p8: 'key' },
      }) as unknown as CertificateWithSecrets;
    for (let n = 2; n <= 8; n++) {
      expect(workerIndex(apns(1, 'KEY1'), n)).toBe(workerIndex(apns(2, 'KEY1'), n));
      expect(workerIndex(apns(3, 'KEY1'), n)).toBeLessThan(n);
    }
  });
});

describe('Web Push over send workers', () => {
  let world: WebPushWorld;
  let sim: Simulators;
  let s: TestServer;
  let cert: CertificateInfo;
  let workers: SendWorkers;

  beforeAll(async () => {
    world = await startWebPushWorld({ workers: 3 });
    ({ sim, s, cert } = world);
    const sender = s.pushline.channels.sender;
    if (!(sender instanceof SendWorkers))
      throw new Error('workers: 3 should run the channels on send workers');
    workers = sender;
  });
  afterAll(async () => {
    await world?.close();
  });

  /** The pushes each worker thread is handed, by thread index. */
  function countSends(): { counts: number[]; restore(): void } {
    const counts = workers.threads.map(() => 0);
    const restores = workers.threads.map((worker, i) => {
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: { type: string; tasks?: unknown[] }) => {
        if (m.type === 'send') counts[i]! += m.tasks?.length ?? 0;
        post(m);
      };
      return () => {
        worker.postMessage = post;
      };
    });
    return {
      counts,
      restore: () => {
        for (const r of restores) r();
      },
    };
  }

  it("splits a large batch over every worker and answers each push in the batch's order", async () => {
    const browsers = Array.from({ length: 40 }, () =>
      sim.devices.install('webpush', {
        app: 'https://chat.example.com',
        applicationServerKey: cert.publicFields.vapidPublicKey,
      }),
    );
    // One subscription gone, in the second half: its answer must come back at its own place.
    sim.devices.uninstall('webpush', browsers[29]!.token);
    const tasks = browsers.map((b, i) => testTask(cert, JSON.stringify(b.subscription), `web ${i}`));
    const sends = countSends();
    try {
      const outcomes = await s.pushline.channels.send(cert.id, tasks);
      expect(outcomes.map((o) => o.kind)).toEqual(
        browsers.map((_, i) => (i === 29 ? 'invalid-token' : 'sent')),
      );
      expect(sends.counts).toEqual([20, 20]);
      for (const [i, b] of browsers.entries()) {
        if (i === 29) continue;
        expect(JSON.stringify(await sim.waitFor({ vendor: 'webpush', token: b.token }))).toContain(
          `web ${i}`,
        );
      }
      // A small batch stays on one worker.
      sends.counts.fill(0);
      const few = await s.pushline.channels.send(cert.id, tasks.slice(0, 5));
      expect(few.map((o) => o.kind)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      expect([...sends.counts].sort()).toEqual([0, 5]);
    } finally {
      sends.restore();
    }
  });
});
