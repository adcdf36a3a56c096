// Message history and edits over the REST API: openim/admin_getroammsg (one-to-one history in a time range,
// paged with LastMsgKey), group_open_http_svc/group_msg_get_simple (group history by MsgSeq, at most 20 per
// answer), openim/modify_c2c_msg and openim/modify_group_msg (online SDK clients get the edit, history
// returns it), with every error code; and the MsgId of the message callbacks, checked against what sendmsg
// and send_group_msg answer, at a local HTTP server playing the app's backend.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModifiedMessage } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genUserSig } from '../../../src/index.js';
import { loggedIn, type TestClient, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { random, text } from '../../helpers/push-e2e.js';
import { startTestServer, type TestServer, type V4Response } from '../../helpers/server.js';

const backends = await testBackends();
const G = 'group_open_http_svc';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Item = Record<string, unknown> & { MsgBody: { MsgContent: { Text?: string } }[] };
const said = (items: Item[]) => items.map((m) => m.MsgBody[0]?.MsgContent.Text);
const bodyText = (m: { body: { MsgContent: Record<string, unknown> }[] }) => m.body[0]?.MsgContent.Text;

/** The app's backend: records every callback, allows every message. */
class AppBackend {
  server: Server;
  url = '';
  calls: Record<string, unknown>[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        this.calls.push(JSON.parse(data) as Record<string, unknown>);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/im`;
  }

  of(command: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.CallbackCommand === command);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe.each(backends)('message history and edits over v4 on %s', (backend) => {
  let s: TestServer;
  /** The server's clock runs ahead of the real one by this much: tests move time forward. */
  let offset = 0;
  /** Set: the server's clock stands still at this UNIX ms. */
  let frozen: number | undefined;
  const clients: TestClient[] = [];

  const c2c = (from: string, to: string, Text: string, extra: Record<string, unknown> = {}) =>
    s.v4('openim/sendmsg', {
      From_Account: from,
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(Text),
      ...extra,
    });
  const group = (groupId: string, from: string, Text: string, extra: Record<string, unknown> = {}) =>
    s.v4(`${G}/send_group_msg`, {
      GroupId: groupId,
      From_Account: from,
      Random: random(),
      MsgBody: text(Text),
      ...extra,
    });
  const roam = (body: Record<string, unknown>) => s.v4('openim/admin_getroammsg', body);
  const groupHistory = (body: Record<string, unknown>) => s.v4(`${G}/group_msg_get_simple`, body);
  const online = async (userId: string) => {
    const c = await loggedIn(s, userId);
    clients.push(c);
    const edits: ModifiedMessage[] = [];
    c.chat.addListener({ onRecvMessageModified: (m) => edits.push(m) });
    return { c, edits };
  };
  const nowSeconds = () => Math.floor((Date.now() + offset) / 1000);

  /** Every page of the conversation in the range, following LastMsgKey until Complete. */
  async function allPages(query: Record<string, unknown>) {
    const pages: V4Response[] = [];
    let next = { ...query };
    for (;;) {
      const r = await roam(next);
      expect(r).toMatchObject({ ErrorCode: 0 });
      pages.push(r);
      if (r.Complete === 1) return pages;
      next = { ...query, MaxTime: r.LastMsgTime, LastMsgKey: r.LastMsgKey };
    }
  }

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => frozen ?? Date.now() + offset } });
    await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl', 'dave'].map((UserID) => ({ UserID })),
    });
    for (const [GroupId, Type, members] of [
      ['crew', 'Work', ['bob', 'carl']],
      ['quiet', 'Public', ['bob']],
      ['stage', 'AVChatRoom', []],
    ] as const) {
      const r = await s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type,
        GroupId,
        Name: GroupId,
        MemberList: members.map((Member_Account) => ({ Member_Account })),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
    }
  });
  afterAll(async () => {
    for (const c of clients) await c.chat.logout().catch(() => undefined);
    await s?.close();
  });

  it('admin_getroammsg: one conversation in a time range, newest page first, paged with LastMsgKey', async () => {
    await c2c('alice', 'bob', 'early 1', { MsgSeq: 1 });
    await c2c('bob', 'alice', 'early 2', { MsgSeq: 2 });
    offset += 2 * HOUR;
    const midStart = nowSeconds();
    const sent: { Text: string; MsgKey: string; MsgTime: number; from: string }[] = [];
    for (let i = 1; i <= 25; i++) {
      const [from, to] = i % 3 === 0 ? ['bob', 'alice'] : ['alice', 'bob'];
      const Text = `mid ${i}`;
      // Messages of the same second are in MsgSeq order, as in Tencent IM.
      const r = await c2c(from!, to!, Text, { MsgSeq: i, ...(i === 5 ? { CloudCustomData: 'five' } : {}) });
      expect(r).toMatchObject({ ErrorCode: 0 });
      sent.push({ Text, MsgKey: String(r.MsgKey), MsgTime: Number(r.MsgTime), from: from! });
    }
    // Not bob's conversation with alice: never in it.
    await c2c('carl', 'bob', 'other conversation');
    const midEnd = nowSeconds();
    offset += 2 * HOUR;
    await c2c('alice', 'bob', 'late 1');

    const range = { MaxCnt: 10, MinTime: midStart, MaxTime: midEnd };
    const pages = await allPages({ Operator_Account: 'bob', Peer_Account: 'alice', ...range });
    expect(pages.map((p) => p.MsgCnt)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.Complete)).toEqual([0, 0, 1]);
    // Each page is oldest first; LastMsgKey/LastMsgTime name its oldest message.
    for (const p of pages) {
      const list = p.MsgList as Item[];
      expect(p.LastMsgKey).toBe(list[0]!.MsgKey);
      expect(p.LastMsgTime).toBe(list[0]!.MsgTimeStamp);
    }
    const all = pages.reverse().flatMap((p) => p.MsgList as Item[]);
    expect(said(all)).toEqual(sent.map((m) => m.Text));
    expect(all.map((m) => m.MsgKey)).toEqual(sent.map((m) => m.MsgKey));
    const fifth = all[4]!;
    expect(fifth).toMatchObject({
      From_Account: 'alice',
      To_Account: 'bob',
      MsgTimeStamp: sent[4]!.MsgTime,
      MsgFlagBits: 0,
      IsPeerRead: 0,
      CloudCustomData: 'five',
    });
    expect(fifth.MsgSeq).toBe(5);
    expect(typeof fifth.MsgRandom).toBe('number');
    expect(all[2]).toMatchObject({ From_Account: 'bob', To_Account: 'alice' });
    expect(all[0]).not.toHaveProperty('CloudCustomData');

    // The other side of the conversation keeps the same messages.
    const alices = (
      await allPages({ Operator_Account: 'alice', Peer_Account: 'bob', ...range, MaxCnt: 100 })
    ).flatMap((p) => p.MsgList as Item[]);
    expect(alices.map((m) => m.MsgKey)).toEqual(sent.map((m) => m.MsgKey));

    // The whole day: early, mid and late; a MaxCnt above 100 still pages by 100 at most.
    const day = await roam({
      Operator_Account: 'bob',
      Peer_Account: 'alice',
      MaxCnt: 1000,
      MinTime: midStart - 3 * 3600,
      MaxTime: nowSeconds(),
    });
    expect(day).toMatchObject({ ErrorCode: 0, Complete: 1, MsgCnt: 28 });
    expect(said(day.MsgList as Item[])).toEqual(['early 1', 'early 2', ...sent.map((m) => m.Text), 'late 1']);

    // A range with nothing in it.
    expect(
      await roam({ Operator_Account: 'bob', Peer_Account: 'alice', MaxCnt: 5, MinTime: 1, MaxTime: 2 }),
    ).toMatchObject({ ErrorCode: 0, Complete: 1, MsgCnt: 0, MsgList: [], LastMsgKey: '', LastMsgTime: 0 });
  });

  it('admin_getroammsg: a long history pages by 100 at most, every message once', async () => {
    const from = nowSeconds();
    const keys: string[] = [];
    for (let i = 1; i <= 230; i++) {
      const r = await c2c(i % 2 ? 'carl' : 'alice', i % 2 ? 'alice' : 'carl', `bulk ${i}`, { MsgSeq: i });
      keys.push(String(r.MsgKey));
    }
    const query = { Operator_Account: 'carl', Peer_Account: 'alice', MaxCnt: 500, MinTime: from };
    const pages = await allPages({ ...query, MaxTime: nowSeconds() });
    expect(pages.map((p) => [p.MsgCnt, p.Complete])).toEqual([
      [100, 0],
      [100, 0],
      [30, 1],
    ]);
    const all = pages.reverse().flatMap((p) => p.MsgList as Item[]);
    expect(all.map((m) => m.MsgKey)).toEqual(keys);
    expect(new Set(all.map((m) => m.MsgKey)).size).toBe(230);
  });

  it('admin_getroammsg: the messages of one second are in MsgSeq order, also across pages', async () => {
    frozen = Date.now() + offset;
    try {
      const second = Math.floor(frozen / 1000);
      for (const [MsgSeq, Text] of [
        [30, 'third'],
        [10, 'first'],
        [20, 'second'],
        [40, 'fourth'],
      ] as const) {
        expect(await c2c('dave', 'bob', Text, { MsgSeq })).toMatchObject({ ErrorCode: 0, MsgTime: second });
      }
      const query = { Operator_Account: 'bob', Peer_Account: 'dave', MinTime: second, MaxTime: second };
      const all = await roam({ ...query, MaxCnt: 10 });
      expect(said(all.MsgList as Item[])).toEqual(['first', 'second', 'third', 'fourth']);
      const paged = (await allPages({ ...query, MaxCnt: 1 })).reverse().flatMap((p) => p.MsgList as Item[]);
      expect(said(paged)).toEqual(['first', 'second', 'third', 'fourth']);
    } finally {
      frozen = undefined;
    }
  });

  it('admin_getroammsg: each side keeps its own history (SyncOtherMachine 2 is not in the sender’s)', async () => {
    const from = nowSeconds();
    await c2c('dave', 'carl', 'kept by both', { MsgSeq: 1 });
    await c2c('dave', 'carl', 'not in dave’s history', { MsgSeq: 2, SyncOtherMachine: 2 });
    const query = { MaxCnt: 10, MinTime: from, MaxTime: nowSeconds() };
    const carls = await roam({ Operator_Account: 'carl', Peer_Account: 'dave', ...query });
    expect(said(carls.MsgList as Item[])).toEqual(['kept by both', 'not in dave’s history']);
    const daves = await roam({ Operator_Account: 'dave', Peer_Account: 'carl', ...query });
    expect(said(daves.MsgList as Item[])).toEqual(['kept by both']);
  });

  it('admin_getroammsg: refuses what it cannot answer, with Tencent codes', async () => {
    const ok = {
      Operator_Account: 'bob',
      Peer_Account: 'alice',
      MaxCnt: 5,
      MinTime: 0,
      MaxTime: nowSeconds(),
    };
    const code = async (body: Record<string, unknown>) => (await roam(body)).ErrorCode;
    expect(await code(ok)).toBe(0);
    expect(await code({ ...ok, MinTime: 100, MaxTime: 99 })).toBe(90001);
    expect(await code({ ...ok, MaxCnt: 0 })).toBe(90001);
    expect(await code({ ...ok, MaxCnt: '5' })).toBe(90001);
    expect(await code({ ...ok, Peer_Account: undefined })).toBe(90001);
    expect(await code({ ...ok, MinTime: -1 })).toBe(90001);
    expect(await code({ ...ok, LastMsgKey: '1_2_3' })).toBe(90001);
    expect(await code({ ...ok, Operator_Account: 'nobody' })).toBe(90048);

    // Another app sees none of this app's messages, even with the same UserIDs.
    const other = await s.pushline.apps.create({ name: 'Other' });
    const q = {
      sdkappid: String(other.sdkAppId),
      identifier: other.adminIdentifier,
      usersig: genUserSig({
        sdkAppId: other.sdkAppId,
        key: other.secretKey,
        identifier: other.adminIdentifier,
        expire: 3600,
      }),
    };
    await s.v4('im_open_login_svc/account_import', { UserID: 'bob' }, q);
    const foreign = await s.v4('openim/admin_getroammsg', ok, q);
    expect(foreign).toMatchObject({ ErrorCode: 0, MsgCnt: 0, Complete: 1 });
    const firstKey = ((await roam(ok)).MsgList as Item[])[0]!.MsgKey;
    expect(
      await s.v4(
        'openim/modify_c2c_msg',
        { From_Account: 'alice', To_Account: 'bob', MsgKey: firstKey, MsgBody: text('hijack') },
        q,
      ),
    ).toMatchObject({ ErrorCode: 20026 });
  });

  it('group_msg_get_simple: 20 at most, newest first, paged by MsgSeq; targeted messages marked', async () => {
    const seqs: number[] = [];
    for (let i = 1; i <= 23; i++) {
      const r = await group(
        'crew',
        i % 2 ? 'alice' : 'bob',
        `crew ${i}`,
        i === 7 ? { CloudCustomData: 'seven' } : {},
      );
      expect(r).toMatchObject({ ErrorCode: 0 });
      seqs.push(Number(r.MsgSeq));
    }
    const secret = await group('crew', 'alice', 'for carl only', { To_Account: ['carl'] });
    seqs.push(Number(secret.MsgSeq));
    await group('crew', 'bob', 'online only', { OnlineOnlyFlag: 1 });
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    const latest = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 5 });
    expect(latest).toMatchObject({ ErrorCode: 0, GroupId: 'crew', IsFinished: 1 });
    const top = latest.RspMsgList as Item[];
    expect(top.map((m) => m.MsgSeq)).toEqual([24, 23, 22, 21, 20]);
    expect(top[0]).toMatchObject({ From_Account: 'alice', IsPlaceMsg: 0, To_Account: ['carl'] });
    expect(top[1]).toMatchObject({ From_Account: 'alice', IsPlaceMsg: 0 });
    expect(top[1]).not.toHaveProperty('To_Account');
    expect(typeof top[1]!.MsgTimeStamp).toBe('number');
    expect(typeof top[1]!.MsgRandom).toBe('number');

    // Page to the start: ReqMsgSeq = the smallest MsgSeq answered, minus 1.
    const all: Item[] = [];
    let page = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 20 });
    for (;;) {
      expect(page).toMatchObject({ ErrorCode: 0, IsFinished: 1 });
      const list = page.RspMsgList as Item[];
      all.push(...list);
      const lowest = Number(list.at(-1)?.MsgSeq ?? 1);
      if (lowest <= 1) break;
      page = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 20, ReqMsgSeq: lowest - 1 });
    }
    expect(all.map((m) => m.MsgSeq)).toEqual([...seqs].reverse());
    expect(said(all).reverse()).toEqual([
      ...Array.from({ length: 23 }, (_, i) => `crew ${i + 1}`),
      'for carl only',
    ]);
    expect(all.find((m) => m.MsgSeq === 7)).toMatchObject({ CloudCustomData: 'seven' });

    // More than 20 asked: 20 answered, IsFinished 0.
    const many = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 30 });
    expect(many).toMatchObject({ ErrorCode: 0, IsFinished: 0 });
    expect((many.RspMsgList as Item[]).map((m) => m.MsgSeq)).toEqual(
      Array.from({ length: 20 }, (_, i) => 24 - i),
    );
    // A ReqMsgSeq beyond the latest answers from the latest; a group without messages answers nothing.
    const beyond = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 2, ReqMsgSeq: 1000 });
    expect((beyond.RspMsgList as Item[]).map((m) => m.MsgSeq)).toEqual([24, 23]);
    // More than 20 asked of a range that starts at MsgSeq 1 within 20: all of it, IsFinished 1.
    const start = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 30, ReqMsgSeq: 3 });
    expect(start).toMatchObject({ ErrorCode: 0, IsFinished: 1 });
    expect((start.RspMsgList as Item[]).map((m) => m.MsgSeq)).toEqual([3, 2, 1]);
    expect(await groupHistory({ GroupId: 'quiet', ReqMsgNumber: 30 })).toMatchObject({
      ErrorCode: 0,
      IsFinished: 1,
      RspMsgList: [],
    });
    expect(await groupHistory({ GroupId: 'quiet', ReqMsgNumber: 5 })).toMatchObject({
      ErrorCode: 0,
      IsFinished: 1,
      RspMsgList: [],
    });

    // The members' own history: the targeted message is carl's (and its sender's), never bob's.
    const bob = await loggedIn(s, 'bob');
    const carl = await loggedIn(s, 'carl');
    clients.push(bob, carl);
    const bobs = await bob.chat.getMessageList({ conversationID: 'group_crew', count: 50 });
    const carls = await carl.chat.getMessageList({ conversationID: 'group_crew', count: 50 });
    expect(bobs.map(bodyText)).not.toContain('for carl only');
    expect(bobs).toHaveLength(23);
    expect(carls.map(bodyText)).toContain('for carl only');
    await bob.chat.logout();
    await carl.chat.logout();
  });

  it('group_msg_get_simple: refuses what it cannot answer, with Tencent codes', async () => {
    const code = async (body: Record<string, unknown>) => (await groupHistory(body)).ErrorCode;
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1 })).toBe(0);
    expect(await code({ GroupId: 'nope', ReqMsgNumber: 1 })).toBe(10010);
    expect(await code({ GroupId: 'stage', ReqMsgNumber: 1 })).toBe(10004);
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 0 })).toBe(10004);
    expect(await code({ GroupId: 'crew' })).toBe(10004);
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1, ReqMsgSeq: -1 })).toBe(10004);
    // WithRecalledMsg is implemented since messages can be recalled (e2e-recall.test.ts): 0 and 1 answer.
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1, WithRecalledMsg: 1 })).toBe(0);
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1, WithRecalledMsg: 0 })).toBe(0);
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1, WithRecalledMsg: 2 })).toBe(10004);
    expect(await code({ GroupId: 'crew', ReqMsgNumber: 1, TopicId: '@TGS#_t' })).toBe(10004);
  });

  it('modify_c2c_msg: both sides’ devices get the edit; history, conversations and the REST view return it', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const carl = await online('carl');
    const r = await c2c('alice', 'bob', 'tpyo', { CloudCustomData: 'v1' });
    const MsgKey = String(r.MsgKey);
    await waitFor(() => bob.c.messages.some((m) => bodyText(m) === 'tpyo'), 'bob got the message');

    const edit = await s.v4('openim/modify_c2c_msg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgKey,
      MsgBody: text('typo fixed'),
    });
    expect(edit).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    await waitFor(() => bob.edits.length === 1 && alice.edits.length === 1, 'both sides got the edit');
    expect(bob.edits[0]).toMatchObject({
      msgKey: MsgKey,
      conversationID: 'c2c_alice',
      cloudCustomData: 'v1',
    });
    expect(bodyText(bob.edits[0]!)).toBe('typo fixed');
    expect(alice.edits[0]).toMatchObject({ msgKey: MsgKey, conversationID: 'c2c_bob' });

    // CloudCustomData alone: the body stays.
    expect(
      await s.v4('openim/modify_c2c_msg', {
        From_Account: 'alice',
        To_Account: 'bob',
        MsgKey,
        CloudCustomData: 'v2',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => bob.edits.length === 2, 'the second edit');
    expect(bob.edits[1]).toMatchObject({ cloudCustomData: 'v2' });
    expect(bodyText(bob.edits[1]!)).toBe('typo fixed');
    expect(carl.edits).toEqual([]);

    // A device that was not connected reads the edited message.
    const later = await loggedIn(s, 'bob', { instanceID: 'bob-tablet' });
    clients.push(later);
    const history = await later.chat.getMessageList({ conversationID: 'c2c_alice', count: 1 });
    expect(history[0]).toMatchObject({ msgKey: MsgKey, cloudCustomData: 'v2' });
    expect(bodyText(history[0]!)).toBe('typo fixed');
    const { conversations } = await later.chat.getConversationList();
    const last = conversations.find((c) => c.conversationID === 'c2c_alice')?.lastMessage;
    expect(last && bodyText(last)).toBe('typo fixed');
    const rest = await roam({
      Operator_Account: 'alice',
      Peer_Account: 'bob',
      MaxCnt: 100,
      MinTime: 0,
      MaxTime: nowSeconds(),
    });
    expect((rest.MsgList as Item[]).find((m) => m.MsgKey === MsgKey)).toMatchObject({
      CloudCustomData: 'v2',
      MsgBody: text('typo fixed'),
    });
    await later.chat.logout();
  });

  it('modify_c2c_msg: every error code, and a refused edit changes nothing', async () => {
    const r = await c2c('alice', 'bob', 'original', { CloudCustomData: 'orig' });
    const MsgKey = String(r.MsgKey);
    const base = { From_Account: 'alice', To_Account: 'bob', MsgKey };
    const code = async (body: Record<string, unknown>) =>
      (await s.v4('openim/modify_c2c_msg', body)).ErrorCode;

    expect(await code({ ...base, MsgKey: '1_2_3', MsgBody: text('x') })).toBe(20026);
    // The right MsgKey between other accounts (or the other way round) is not that message.
    expect(await code({ ...base, From_Account: 'bob', To_Account: 'alice', MsgBody: text('x') })).toBe(20026);
    expect(await code({ ...base, To_Account: 'carl', MsgBody: text('x') })).toBe(20026);
    // Online-only messages are never stored: nothing to edit.
    const fleeting = await c2c('alice', 'bob', 'fleeting', { MsgLifeTime: 0 });
    expect(await code({ ...base, MsgKey: fleeting.MsgKey, MsgBody: text('x') })).toBe(20026);
    expect(await code(base)).toBe(90001);
    expect(await code({ ...base, MsgKey: undefined, MsgBody: text('x') })).toBe(90001);
    expect(await code({ ...base, From_Account: 7, MsgBody: text('x') })).toBe(90001);
    expect(await code({ ...base, To_Account: 7, MsgBody: text('x') })).toBe(90003);
    expect(await code({ ...base, MsgBody: 'hello' })).toBe(90007);
    expect(await code({ ...base, MsgBody: [] })).toBe(90002);
    expect(
      await code({ ...base, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }], CloudCustomData: 'x' }),
    ).toBe(90002);
    expect(await code({ ...base, CloudCustomData: 5 })).toBe(90010);
    expect(await code({ ...base, MsgBody: text('x'.repeat(13_000)) })).toBe(80002);
    expect(
      await code({ ...base, MsgBody: text('x'.repeat(6_000)), CloudCustomData: 'y'.repeat(7_000) }),
    ).toBe(93000);

    const rest = await roam({
      Operator_Account: 'bob',
      Peer_Account: 'alice',
      MaxCnt: 100,
      MinTime: 0,
      MaxTime: nowSeconds(),
    });
    const stored = (rest.MsgList as Item[]).find((m) => m.MsgKey === MsgKey);
    expect(stored).toMatchObject({ CloudCustomData: 'orig', MsgBody: text('original') });
  });

  it('modify_group_msg: the members who have the message get the edit; a targeted one only its receivers', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const carl = await online('carl');
    const dave = await online('dave');
    const everyone = await group('crew', 'bob', 'meeting at 3');
    const secret = await group('crew', 'alice', 'carl: raise', { To_Account: ['carl'] });
    await waitFor(() => carl.c.messages.some((m) => bodyText(m) === 'carl: raise'), 'carl got the secret');

    expect(
      await s.v4('openim/modify_group_msg', {
        GroupId: 'crew',
        MsgSeq: everyone.MsgSeq,
        MsgBody: text('meeting at 4'),
        CloudCustomData: 'moved',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(
      () => [alice, bob, carl].every((u) => u.edits.some((e) => bodyText(e) === 'meeting at 4')),
      'every member got the edit',
    );
    expect(carl.edits.at(-1)).toMatchObject({
      conversationID: 'group_crew',
      groupId: 'crew',
      msgSeq: everyone.MsgSeq,
      cloudCustomData: 'moved',
    });

    expect(
      await s.v4('openim/modify_group_msg', {
        GroupId: 'crew',
        MsgSeq: secret.MsgSeq,
        MsgBody: text('carl: bonus'),
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(
      () => [alice, carl].every((u) => u.edits.some((e) => bodyText(e) === 'carl: bonus')),
      'receiver and sender got the edit',
    );
    // Edits travel in order on each connection: bob has the later one of his, never the targeted one.
    expect(
      await s.v4('openim/modify_group_msg', {
        GroupId: 'crew',
        MsgSeq: everyone.MsgSeq,
        CloudCustomData: 'final',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => bob.edits.some((e) => e.cloudCustomData === 'final'), 'bob got the last edit');
    expect(bob.edits.map(bodyText)).not.toContain('carl: bonus');
    expect(dave.edits).toEqual([]);

    const view = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 2, ReqMsgSeq: secret.MsgSeq });
    expect(view.RspMsgList).toMatchObject([
      { MsgSeq: secret.MsgSeq, MsgBody: text('carl: bonus'), To_Account: ['carl'] },
      { MsgSeq: everyone.MsgSeq, MsgBody: text('meeting at 4'), CloudCustomData: 'final' },
    ]);
    const bobs = await bob.c.chat.getMessageList({ conversationID: 'group_crew', count: 1 });
    expect(bobs[0]).toMatchObject({ msgSeq: everyone.MsgSeq, cloudCustomData: 'final' });
    expect(bodyText(bobs[0]!)).toBe('meeting at 4');
  });

  it('modify_group_msg: every error code, and a refused edit changes nothing', async () => {
    const r = await group('crew', 'alice', 'untouched');
    const base = { GroupId: 'crew', MsgSeq: r.MsgSeq };
    const code = async (body: Record<string, unknown>) =>
      (await s.v4('openim/modify_group_msg', body)).ErrorCode;
    expect(await code({ ...base, GroupId: 'nope', MsgBody: text('x') })).toBe(10010);
    // A MsgSeq the group never had, or one of another group's messages.
    expect(await code({ ...base, MsgSeq: 100_000, MsgBody: text('x') })).toBe(10030);
    expect(await code({ ...base, GroupId: 'quiet', MsgBody: text('x') })).toBe(10030);
    expect(await code({ ...base, GroupId: 'stage', MsgSeq: 1, MsgBody: text('x') })).toBe(10004);
    expect(await code(base)).toBe(10004);
    expect(await code({ GroupId: 'crew', MsgBody: text('x') })).toBe(10004);
    expect(await code({ ...base, MsgBody: 'x' })).toBe(10004);
    expect(
      await code({ ...base, MsgBody: [{ MsgType: 'TIMNoSuchElem', MsgContent: {} }], CloudCustomData: 'x' }),
    ).toBe(10004);
    expect(await code({ ...base, CloudCustomData: ['x'] })).toBe(10004);
    expect(await code({ ...base, MsgBody: text('x'.repeat(8_100)) })).toBe(80002);
    expect(await code({ ...base, TopicId: '@TGS#_t', MsgBody: text('x') })).toBe(10004);
    const view = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 1, ReqMsgSeq: r.MsgSeq });
    expect(view.RspMsgList).toMatchObject([{ MsgSeq: r.MsgSeq, MsgBody: text('untouched') }]);
    expect(view.RspMsgList as Item[]).not.toContainEqual(expect.objectContaining({ CloudCustomData: 'x' }));
  });

  it('MsgId: the message callbacks carry the MsgId that sendmsg and send_group_msg answer', async () => {
    const backendApp = new AppBackend();
    await backendApp.start();
    try {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, {
        callbackUrl: backendApp.url,
        callbackCommands: [
          'C2C.CallbackBeforeSendMsg',
          'C2C.CallbackAfterSendMsg',
          'Group.CallbackBeforeSendMsg',
          'Group.CallbackAfterSendMsg',
        ],
      });
      const MsgRandom = random();
      const sent = await c2c('alice', 'bob', 'with an id', { MsgRandom });
      expect(sent.MsgId).toBe(`${String(sent.MsgId).split('-')[0]}-${sent.MsgTime}-${MsgRandom}`);
      expect(String(sent.MsgId)).toMatch(/^\d+-\d+-\d+$/);
      // The same message again within the dedup window: the first one's MsgId.
      const again = await c2c('alice', 'bob', 'with an id', { MsgRandom });
      expect(again).toMatchObject({ MsgKey: sent.MsgKey, MsgId: sent.MsgId });

      const Random = random();
      const inGroup = await group('crew', 'bob', 'group with an id', { Random });
      expect(String(inGroup.MsgId)).toMatch(new RegExp(`^\\d+-${inGroup.MsgTime}-${Random}$`));
      // Another sender: another first part.
      expect(String(inGroup.MsgId).split('-')[0]).not.toBe(String(sent.MsgId).split('-')[0]);

      const carl = await loggedIn(s, 'carl');
      clients.push(carl);
      const fromSdk = await carl.chat.sendMessage({ receiver: 'alice', body: text('sdk with an id') });

      await waitFor(
        () =>
          backendApp.of('C2C.CallbackAfterSendMsg').length >= 2 &&
          backendApp.of('Group.CallbackAfterSendMsg').length >= 1,
        'after-send callbacks',
      );
      const byText = (command: string, t: string) =>
        backendApp.of(command).find((c) => (c.MsgBody as Item['MsgBody'])[0]?.MsgContent.Text === t);
      expect(byText('C2C.CallbackBeforeSendMsg', 'with an id')).toMatchObject({
        MsgId: sent.MsgId,
        MsgKey: sent.MsgKey,
      });
      expect(byText('C2C.CallbackAfterSendMsg', 'with an id')).toMatchObject({
        MsgId: sent.MsgId,
        MsgKey: sent.MsgKey,
      });
      expect(byText('Group.CallbackBeforeSendMsg', 'group with an id')).toMatchObject({
        MsgId: inGroup.MsgId,
      });
      expect(byText('Group.CallbackAfterSendMsg', 'group with an id')).toMatchObject({
        MsgId: inGroup.MsgId,
        MsgSeq: inGroup.MsgSeq,
      });
      const [, random_] = fromSdk.msgKey.split('_');
      const sdkAfter = byText('C2C.CallbackAfterSendMsg', 'sdk with an id');
      expect(sdkAfter?.MsgId).toMatch(new RegExp(`^\\d+-${fromSdk.msgTime}-${random_}$`));
      expect(byText('C2C.CallbackBeforeSendMsg', 'sdk with an id')?.MsgId).toBe(sdkAfter?.MsgId);
      await carl.chat.logout();
    } finally {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackCommands: [] });
      await backendApp.close();
    }
  });

  it('group_msg_get_simple: expired messages answer as IsPlaceMsg 1; all of them gone and more than 20 asked: IsFinished 2', async () => {
    for (const c of clients) await c.chat.logout().catch(() => undefined);
    const before = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 1 });
    const latest = Number((before.RspMsgList as Item[])[0]!.MsgSeq);
    offset += 8 * DAY;
    const fresh = await group('crew', 'alice', 'after a week');
    expect(fresh.MsgSeq).toBe(latest + 1);
    const page = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 3 });
    expect(page).toMatchObject({ ErrorCode: 0, IsFinished: 1 });
    expect(page.RspMsgList).toEqual([
      expect.objectContaining({ MsgSeq: latest + 1, IsPlaceMsg: 0, MsgBody: text('after a week') }),
      { MsgSeq: latest, IsPlaceMsg: 1, MsgBody: [] },
      { MsgSeq: latest - 1, IsPlaceMsg: 1, MsgBody: [] },
    ]);
    const gone = await groupHistory({ GroupId: 'crew', ReqMsgNumber: 21, ReqMsgSeq: latest });
    expect(gone).toMatchObject({ ErrorCode: 0, IsFinished: 2 });
    expect((gone.RspMsgList as Item[]).every((m) => m.IsPlaceMsg === 1)).toBe(true);
    // An expired message cannot be edited any more.
    expect(
      await s.v4('openim/modify_group_msg', { GroupId: 'crew', MsgSeq: latest, MsgBody: text('too late') }),
    ).toMatchObject({ ErrorCode: 10030 });
  });
});
