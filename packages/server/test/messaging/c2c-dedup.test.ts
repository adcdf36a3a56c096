// C2C dedup (messaging/message-store.ts insertUnlessDuplicate: the lookup and the insert in one statement):
// a repeat inside the 120 s window — same sender, receiver, MsgRandom and body — stores nothing and answers
// the first message's MsgKey; after the window, or with another body, it is a new message. Group dedup, which
// keeps a lookup of its own so that a repeat takes no MsgSeq, is in messaging-groups.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe.each(backends)('C2C dedup on %s', (backend) => {
  let s: TestServer;
  let offset = 0;

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => Date.now() + offset } });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['dd-from', 'dd-a', 'dd-b'] });
  });
  afterAll(async () => {
    await s?.close();
  });

  const send = (to: string, MsgRandom: number, body: string) =>
    s.v4('openim/sendmsg', { From_Account: 'dd-from', To_Account: to, MsgRandom, MsgBody: text(body) });
  const stored = async (to: string) =>
    (
      await s.pushline.db
        .selectFrom('messages')
        .select(['msg_key', 'body'])
        .where('sdkappid', '=', s.app.sdkAppId)
        .where('to_account', '=', to)
        .orderBy('id')
        .execute()
    ).map((r) => ({ key: r.msg_key, text: JSON.parse(String(r.body))[0].MsgContent.Text }));
  const inboxSeqs = async (to: string) =>
    (
      await s.pushline.db
        .selectFrom('inbox')
        .select('seq')
        .where('sdkappid', '=', s.app.sdkAppId)
        .where('user_id', '=', to)
        .orderBy('seq')
        .execute()
    ).map((r) => Number(r.seq));

  it('a repeat inside the window answers the first MsgKey and stores nothing; another body is new', async () => {
    const first = await send('dd-a', 41, 'one');
    expect(first).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const repeat = await send('dd-a', 41, 'one');
    expect(repeat).toMatchObject({ ActionStatus: 'OK', MsgKey: first.MsgKey, MsgTime: first.MsgTime });
    const other = await send('dd-a', 41, 'two');
    expect(other.MsgKey).not.toBe(first.MsgKey);
    expect(await stored('dd-a')).toEqual([
      { key: first.MsgKey, text: 'one' },
      { key: other.MsgKey, text: 'two' },
    ]);
    expect(await inboxSeqs('dd-a')).toEqual([1, 2]);
  });

  it('after the 120 s window the same message is stored again', async () => {
    const first = await send('dd-b', 42, 'again');
    offset += 119_000;
    expect((await send('dd-b', 42, 'again')).MsgKey).toBe(first.MsgKey);
    offset += 2_000;
    const later = await send('dd-b', 42, 'again');
    expect(later).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(later.MsgKey).not.toBe(first.MsgKey);
    expect((await stored('dd-b')).map((m) => m.key)).toEqual([first.MsgKey, later.MsgKey]);
    expect(await inboxSeqs('dd-b')).toEqual([1, 2]);
  });

  it.runIf(backend === 'sqlite')(
    'repeats sent together (one group commit) store the message once',
    async () => {
      const answers = await Promise.all([1, 2, 3].map(() => send('dd-a', 43, 'together')));
      for (const a of answers) expect(a).toMatchObject({ ActionStatus: 'OK', MsgKey: answers[0]!.MsgKey });
      expect((await stored('dd-a')).filter((m) => m.text === 'together')).toHaveLength(1);
    },
  );
});
