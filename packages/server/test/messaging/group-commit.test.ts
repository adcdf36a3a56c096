// Concurrent sends stored together (group commit on SQLite, messaging/group-commit.ts): every send gets its own
// answer, a failing send is rolled back alone, and sequence numbers and unread counts stay exact. Runs on
// PostgreSQL too, where each send keeps its own transaction: the same answers must come back.
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendRequest } from '../../src/messaging/send-request.js';
import type { Database } from '../../src/store/schema.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 4_000_000_000);
/** The outcome of each send of `texts` when only the 'poison' one is made to fail. */
const onlyPoisonFails = (texts: string[]) => texts.map((t) => (t === 'poison' ? 'rejected' : 'fulfilled'));
/** A REST text message from gc-sender to `to`. */
const c2c = (sdkAppId: number, to: string, t: string): SendRequest => ({
  sdkAppId,
  source: 'rest',
  from: 'gc-sender',
  target: { kind: 'c2c', to: [to] },
  body: text(t),
  lifeTime: 604_800,
  onlineOnly: false,
  msgRandom: random(),
  sendMsgControl: [],
  syncOtherMachine: 2,
});
const users = Array.from({ length: 12 }, (_, i) => `gc-user-${i}`);

describe.each(backends)('group commit of concurrent sends on %s', (backend) => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['gc-sender', ...users] });
  });
  afterAll(async () => {
    await s?.close();
  });

  const storedText = async (msgKey: string) => {
    const row = await s.pushline.db
      .selectFrom('messages')
      .select(['to_account', 'body'])
      .where('msg_key', '=', msgKey)
      .executeTakeFirst();
    return row && { to: row.to_account, body: JSON.parse(String(row.body)) };
  };

  it('concurrent REST sends each get their own answer; one to a nonexistent account fails alone', async () => {
    // Every user gets one message, the first user four more (same conversation), plus one to nobody.
    const sends = [
      ...users.map((to, i) => ({ to, text: `hello ${i}` })),
      ...[1, 2, 3, 4].map((n) => ({ to: users[0]!, text: `again ${n}` })),
      { to: 'gc-nobody', text: 'lost' },
    ];
    const answers = await Promise.all(
      sends.map((m) =>
        s.v4('openim/sendmsg', {
          From_Account: 'gc-sender',
          To_Account: m.to,
          MsgRandom: random(),
          MsgBody: text(m.text),
        }),
      ),
    );
    const failed = answers.at(-1)!;
    expect(failed).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 90012 });
    const ok = answers.slice(0, -1);
    for (const a of ok) expect(a).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(new Set(ok.map((a) => a.MsgKey)).size).toBe(ok.length);
    // Each answer names the message its own request stored.
    for (const [i, a] of ok.entries()) {
      expect(await storedText(String(a.MsgKey))).toEqual({ to: sends[i]!.to, body: text(sends[i]!.text) });
    }
    // The first user's inbox: five messages, seqs 1..5 without gaps, five unread.
    const inbox = await s.pushline.db
      .selectFrom('inbox')
      .select('seq')
      .where('sdkappid', '=', s.app.sdkAppId)
      .where('user_id', '=', users[0]!)
      .orderBy('seq')
      .execute();
    expect(inbox.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    const conv = await s.pushline.db
      .selectFrom('conversations')
      .select('unread')
      .where('sdkappid', '=', s.app.sdkAppId)
      .where('user_id', '=', users[0]!)
      .executeTakeFirstOrThrow();
    expect(Number(conv.unread)).toBe(5);
    // Nothing was stored for the failed send.
    const lost = await s.pushline.db
      .selectFrom('messages')
      .select('id')
      .where('to_account', '=', 'gc-nobody')
      .execute();
    expect(lost).toEqual([]);
  });

  it('a send failing inside the shared transaction is rolled back alone; the others commit', async () => {
    const trxs = new Map<string, Transaction<Database>>();
    const detach = s.pushline.messaging.onMessageStoring(async (trx, message) => {
      const body = message.body[0]?.MsgContent as { Text?: string } | undefined;
      trxs.set(String(body?.Text), trx);
      if (body?.Text === 'poison') throw new Error('poisoned send');
    });
    const committed: string[] = [];
    const detachCommitted = s.pushline.messaging.onMessageCommitted((m) => {
      committed.push(String((m.body[0]?.MsgContent as { Text?: string } | undefined)?.Text));
    });
    try {
      const request = (to: string, t: string) => c2c(s.app.sdkAppId, to, t);
      const texts = ['p-a', 'p-b', 'poison', 'p-c', 'p-d'];
      // Started in the same tick: on SQLite they are queued together into one transaction.
      const results = await Promise.allSettled(
        texts.map((t, i) => s.pushline.messaging.send(request(users[i + 1]!, t))),
      );
      expect(results.map((r) => r.status)).toEqual(onlyPoisonFails(texts));
      expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: 'poisoned send' });
      for (const [i, r] of results.entries()) {
        if (r.status !== 'fulfilled') continue;
        expect(await storedText(r.value.msgKey)).toEqual({ to: users[i + 1], body: text(texts[i]!) });
      }
      // The poisoned send left nothing behind: no message, no inbox row, no unread; no post-commit hook.
      const poison = await s.pushline.db
        .selectFrom('messages')
        .select('id')
        .where('body', 'like', '%poison%')
        .execute();
      expect(poison).toEqual([]);
      const inbox = await s.pushline.db
        .selectFrom('inbox')
        .select('seq')
        .where('sdkappid', '=', s.app.sdkAppId)
        .where('user_id', '=', users[3]!)
        .execute();
      expect(inbox.map((r) => Number(r.seq))).toEqual([1]); // only the message of the first test
      expect(committed.sort()).toEqual(['p-a', 'p-b', 'p-c', 'p-d']);
      if (backend === 'sqlite') {
        // They really shared one transaction (the poisoned one included).
        expect(new Set(trxs.values()).size).toBe(1);
      }
    } finally {
      detach();
      detachCommitted();
    }
  });

  it('the push counters and traces of a batch record each kept send once and a rolled-back send not at all', async () => {
    // The receivers have no device: each kept send counts one push skipped for `instance-offline`,
    // written once per batch on SQLite (push/outcomes/batched-outcomes.ts), once per send on PostgreSQL.
    const offline = async () => {
      const row = await s.pushline.db
        .selectFrom('push_stats_hourly')
        .select((eb) => eb.fn.sum<number>('count').as('n'))
        .where('sdkappid', '=', s.app.sdkAppId)
        .where('outcome', '=', 'skipped')
        .where('code', '=', 'instance-offline')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    };
    const before = await offline();
    const start = Date.now();
    // After the push engine's hook: the poisoned send has counted its skipped push when it is rolled back.
    const detach = s.pushline.messaging.onMessageStoring(async (_trx, message) => {
      if ((message.body[0]?.MsgContent as { Text?: string } | undefined)?.Text === 'poison')
        throw new Error('poisoned send');
    });
    try {
      const texts = ['c-a', 'c-b', 'poison', 'c-c', 'c-d', 'c-e'];
      const results = await Promise.allSettled(
        texts.map((t, i) => s.pushline.messaging.send(c2c(s.app.sdkAppId, users[i + 5]!, t))),
      );
      expect(results.map((r) => r.status)).toEqual(onlyPoisonFails(texts));
      expect((await offline()) - before).toBe(5);
      // Each kept send's skipped push has its trace (on SQLite written once for the batch), the poisoned none.
      const traced = await s.pushline.db
        .selectFrom('push_traces')
        .select(['msg_key', 'to_user', 'skip_reason'])
        .where('sdkappid', '=', s.app.sdkAppId)
        .where('from_user', '=', 'gc-sender')
        .where('created_at', '>=', start)
        .execute();
      const keys = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.msgKey] : []));
      expect(traced.map((t) => t.msg_key).sort()).toEqual([...keys].sort());
      expect(traced.map((t) => t.to_user).sort()).toEqual(
        texts.flatMap((t, i) => (t === 'poison' ? [] : [users[i + 5]!])).sort(),
      );
      expect(new Set(traced.map((t) => t.skip_reason))).toEqual(new Set(['instance-offline']));
      // A send alone (a transaction of its own, no batch) is counted too.
      await s.v4('openim/sendmsg', {
        From_Account: 'gc-sender',
        To_Account: users[0]!,
        MsgRandom: random(),
        MsgBody: text('alone'),
      });
      expect((await offline()) - before).toBe(6);
    } finally {
      detach();
    }
  });
});
