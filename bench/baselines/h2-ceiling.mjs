// Baseline "ceiling": the least an APNs sender must do, with nothing else. A minimal node:http2 client
// (own process) that opens `sessions` sessions, waits for the server's SETTINGS, sends one push to get the
// stream limit raised (APNs starts token-auth connections at 1), then keeps `inflight` streams busy per
// session with the same payload and headers Pushline sends, until every token has been posted.
import { sign } from 'node:crypto';
import { connect } from 'node:http2';
import { serve } from '../lib/rpc.mjs';
import { tokenFor } from '../lib/tokens.mjs';

function providerToken({ p8, keyId, teamId }) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'ES256', kid: keyId })}.${b64({ iss: teamId, iat: Math.floor(Date.now() / 1000) })}`;
  const sig = sign('sha256', Buffer.from(input), { key: p8, dsaEncoding: 'ieee-p1363' });
  return `bearer ${input}.${sig.toString('base64url')}`;
}

function post(session, headers, body) {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    let status = 0;
    req.on('response', (h) => {
      status = h[':status'];
    });
    req.on('data', () => {});
    req.on('end', () => (status === 200 ? resolve() : reject(new Error(`APNs answered ${status}`))));
    req.on('error', reject);
    req.end(body);
  });
}

async function run({ origin, caPem, key, topic, from, count, sessions, inflight, payload }) {
  const authorization = providerToken(key);
  const body = JSON.stringify(payload);
  const headersFor = (i) => ({
    ':method': 'POST',
    ':path': `/3/device/${tokenFor('apns', i)}`,
    authorization,
    'apns-topic': topic,
    'apns-push-type': 'alert',
    'apns-priority': '10',
    'content-type': 'application/json',
  });
  const opened = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const s = connect(origin, { ca: caPem });
      await new Promise((resolve, reject) => {
        s.once('remoteSettings', resolve);
        s.once('error', reject);
      });
      return s;
    }),
  );
  let next = from;
  const end = from + count;
  // First push per session alone: the server raises the stream limit after it.
  await Promise.all(opened.map((s) => (next < end ? post(s, headersFor(next++), body) : undefined)));
  const lanes = [];
  for (const s of opened) {
    const window = Math.min(inflight, s.remoteSettings.maxConcurrentStreams ?? inflight);
    for (let l = 0; l < window; l++) {
      lanes.push(
        (async () => {
          while (next < end) await post(s, headersFor(next++), body);
        })(),
      );
    }
  }
  await Promise.all(lanes);
  for (const s of opened) s.close();
  return { sent: count, cpu: process.cpuUsage() };
}

/** Latency baseline: one push at a time at a steady `rate` for `count` pushes; returns when each was sent. */
async function paced({ origin, caPem, key, topic, from, count, rate, payload }) {
  const authorization = providerToken(key);
  const body = JSON.stringify(payload);
  const s = connect(origin, { ca: caPem });
  await new Promise((resolve, reject) => {
    s.once('remoteSettings', resolve);
    s.once('error', reject);
  });
  const headersFor = (i) => ({
    ':method': 'POST',
    ':path': `/3/device/${tokenFor('apns', i)}`,
    authorization,
    'apns-topic': topic,
    'apns-push-type': 'alert',
    'apns-priority': '10',
    'content-type': 'application/json',
  });
  await post(s, headersFor(from), body); // raises the stream limit
  const sentAt = [];
  const inflight = [];
  const start = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (i < due) {
      sentAt.push(performance.timeOrigin + performance.now());
      inflight.push(post(s, headersFor(from + 1 + i), body));
      i++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  s.close();
  return { sentAt };
}

serve({ run, paced });
process.on('disconnect', () => process.exit(0));
