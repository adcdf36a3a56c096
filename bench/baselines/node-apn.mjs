// Baseline: @parse/node-apn (the most used Node APNs client) sending the same notifications straight to
// the simulator from its own process, with the same number of notifications in flight as Pushline.
import apn from '@parse/node-apn';
import { serve } from '../lib/rpc.mjs';
import { tokenFor } from '../lib/tokens.mjs';

async function run({ port, caPem, key, topic, from, count, inflight, payload }) {
  const provider = new apn.Provider({
    token: { key: key.p8, keyId: key.keyId, teamId: key.teamId },
    production: false,
    address: '127.0.0.1',
    port,
    ca: caPem,
  });
  const note = new apn.Notification();
  note.rawPayload = payload;
  note.topic = topic;
  note.pushType = 'alert';
  note.priority = 10;
  let next = from;
  const end = from + count;
  let failed = 0;
  const sendOne = async () => {
    const r = await provider.send(note, tokenFor('apns', next++));
    failed += r.failed.length;
  };
  // node-apn does not wait for the server's SETTINGS: one push first, so the stream limit is raised.
  await sendOne();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < end) await sendOne();
    }),
  );
  await provider.shutdown();
  return { sent: count - failed, failed, cpu: process.cpuUsage() };
}

serve({ run });
process.on('disconnect', () => process.exit(0));
