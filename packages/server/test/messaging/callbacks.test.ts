// The message callbacks (C2C/Group.CallbackBeforeSendMsg, C2C/Group.CallbackAfterSendMsg) against a local
// HTTP server playing the app's backend: it checks each request's Sign, allows, refuses, rewrites and
// stalls. Sends come from REST and from SDK clients; what a refused message leaves behind (nothing stored,
// delivered or pushed) is checked on the receivers' devices and a phone of the vendor simulators.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../src/apps/settings.js';
import { callbackSign } from '../../src/webhooks/sign.js';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import {
  backgroundPhone,
  type Phone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';

const backends = await testBackends();
const G = 'group_open_http_svc';
const ALL_CALLBACKS: AppSettings['callbackCommands'] = [
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'Group.CallbackBeforeSendMsg',
  'Group.CallbackAfterSendMsg',
];

interface Call {
  query: Record<string, string>;
  body: Record<string, unknown> & { MsgBody?: { MsgContent: { Text?: string } }[] };
  signOk: boolean;
}

/** The app's backend: decides by the message text. */
class AppBackend {
  server: Server;
  url = '';
  token = '';
  calls: Call[] = [];
  /** HTTP statuses for the next after-send callbacks (then 200). */
  afterScript: number[] = [];
  afterAttempts = 0;

  constructor() {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        const query = Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams);
        const body = JSON.parse(data) as Call['body'];
        const signOk =
          query.Sign === createHash('sha256').update(`${this.token}${query.RequestTime}`).digest('hex');
        const json = (status: number, answer: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        if (String(query.CallbackCommand).includes('After')) {
          this.afterAttempts++;
          const status = this.afterScript.shift() ?? 200;
          if (status === 200) this.calls.push({ query, body, signOk });
          json(status, { ActionStatus: status === 200 ? 'OK' : 'FAIL', ErrorCode: status === 200 ? 0 : 1 });
          return;
        }
        this.calls.push({ query, body, signOk });
        const said = body.MsgBody?.[0]?.MsgContent.Text ?? '';
        if (said.includes('slow')) {
          setTimeout(() => json(200, { ActionStatus: 'OK', ErrorCode: 0 }), 1500).unref();
        } else if (said.includes('http500')) {
          json(500, { ActionStatus: 'OK', ErrorCode: 0 });
        } else if (said.includes('refuse')) {
          json(200, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'not on my watch' });
        } else if (said.includes('custom')) {
          json(200, { ActionStatus: 'FAIL', ErrorCode: 120_100, ErrorInfo: 'mind your language' });
        } else if (said.includes('rewrite')) {
          json(200, {
            ActionStatus: 'OK',
            ErrorCode: 0,
            ErrorInfo: '',
            MsgBody: text(said.replace('darn', '****')),
            CloudCustomData: 'moderated',
          });
        } else {
          json(200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
        }
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/im-callback`;
  }

  of(command: string): Call[] {
    return this.calls.filter((c) => c.query.CallbackCommand === command);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('callback Sign', () => {
  it("matches Tencent's worked example", () => {
    expect(callbackSign('xxxxyyyy', 1669872112)).toBe(
      '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061',
    );
  });
});

const texts = (c: TestClient) =>
  c.messages.map((m) => (m.body[0] as { MsgContent: { Text?: string } }).MsgContent.Text);

describe.each(backends)('message callbacks on %s', (backend) => {
  let w: PushWorld;
  let app: AppBackend;
  let bob: TestClient;
  let alice: TestClient;
  let bobPhone: Phone;

  const settings = (patch: Partial<AppSettings>) => w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, patch);
  const sendC2C = (Text: string, extra: Record<string, unknown> = {}) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: random(),
      MsgBody: text(Text),
      ...extra,
    });
  const sendGroup = (Text: string, extra: Record<string, unknown> = {}) =>
    w.s.v4(`${G}/send_group_msg`, {
      GroupId: 'crew',
      From_Account: 'alice',
      Random: random(),
      MsgBody: text(Text),
      ...extra,
    });
  const bobHistory = async (conversationID: string) =>
    (await bob.chat.getMessageList({ conversationID, count: 50 })).map(
      (m) => (m.body[0] as { MsgContent: { Text?: string } }).MsgContent.Text,
    );
  const pushedTo = (phone: Phone) => w.sim.received({ token: phone.token }).map((p) => p.body ?? '');

  beforeAll(async () => {
    app = new AppBackend();
    await app.start();
    w = await startPushWorld(backend, {
      outcomes: { webhooks: { retry: { baseMs: 30, maxMs: 200 }, pollIntervalMs: 30 } } as never,
    });
    app.token = w.s.app.settings.callbackToken ?? '';
    expect(app.token).toMatch(/^[0-9a-f]{64}$/);
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl'].map((UserID) => ({ UserID })),
    });
    expect(
      await w.s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type: 'Work',
        GroupId: 'crew',
        Name: 'Crew',
        MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'carl' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await settings({ callbackUrl: app.url, callbackCommands: ALL_CALLBACKS });
    bobPhone = await backgroundPhone(w, 'bob', 'fcm');
    bob = await loggedIn(w.s, 'bob', { instanceID: 'bob-web', platform: 'Web' });
    alice = await loggedIn(w.s, 'alice', { instanceID: 'alice-phone', platform: 'iPhone' });
  });
  afterAll(async () => {
    await w?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await w.s.pushline.webhooks.drain(5000);
    await settings({
      callbackUrl: app.url,
      callbackCommands: ALL_CALLBACKS,
      callbackFailurePolicy: 'allow',
      callbackTimeoutMs: 2000,
    });
    app.calls.length = 0;
    app.afterScript = [];
    app.afterAttempts = 0;
  });

  it('C2C from REST: the app allows; signed before- and after-send callbacks in Tencent shapes', async () => {
    const r = await sendC2C('hello bob', { CloudCustomData: 'cc' });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const [before] = app.of('C2C.CallbackBeforeSendMsg');
    expect(before?.signOk).toBe(true);
    expect(before?.query).toMatchObject({
      SdkAppid: String(w.s.app.sdkAppId),
      CallbackCommand: 'C2C.CallbackBeforeSendMsg',
      contenttype: 'json',
      ClientIP: '127.0.0.1',
      OptPlatform: 'RESTAPI',
    });
    expect(Math.abs(Number(before?.query.RequestTime) - Date.now() / 1000)).toBeLessThan(60);
    expect(before?.body).toMatchObject({
      CallbackCommand: 'C2C.CallbackBeforeSendMsg',
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: expect.any(Number),
      MsgSeq: expect.any(Number),
      MsgTime: r.MsgTime,
      MsgKey: r.MsgKey,
      OnlineOnlyFlag: 0,
      MsgBody: text('hello bob'),
      CloudCustomData: 'cc',
      EventTime: expect.any(Number),
    });
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 1, 'after-send callback');
    const [after] = app.of('C2C.CallbackAfterSendMsg');
    expect(after?.signOk).toBe(true);
    expect(after?.query).toMatchObject({ ClientIP: '127.0.0.1', OptPlatform: 'RESTAPI' });
    expect(after?.body).toMatchObject({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: 'alice',
      To_Account: 'bob',
      MsgKey: r.MsgKey,
      MsgTime: r.MsgTime,
      SendMsgResult: 0,
      ErrorInfo: 'send msg succeed',
      UnreadMsgNum: expect.any(Number),
      MsgBody: text('hello bob'),
      CloudCustomData: 'cc',
    });
    await waitFor(() => texts(bob).includes('hello bob'), 'bob gets it');
    await waitFor(() => pushedTo(bobPhone).some((b) => b.includes('hello bob')), "bob's push");
  });

  it('C2C from REST: a refusal answers 20006; nothing is stored, delivered or pushed', async () => {
    const r = await sendC2C('please refuse this');
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 20006, ErrorInfo: 'not on my watch' });
    const custom = await sendC2C('custom words');
    expect(custom).toMatchObject({ ErrorCode: 120_100, ErrorInfo: 'mind your language' });
    // A message sent after them is the barrier: once it arrived everywhere, the refused ones never will.
    expect(await sendC2C('barrier one')).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => texts(bob).includes('barrier one'), 'the barrier live');
    await waitFor(() => pushedTo(bobPhone).some((b) => b.includes('barrier one')), 'the barrier push');
    expect(texts(bob).filter((t) => t?.includes('refuse') || t?.includes('custom'))).toEqual([]);
    expect(pushedTo(bobPhone).filter((b) => b.includes('refuse') || b.includes('custom'))).toEqual([]);
    const history = await bobHistory('c2c_alice');
    expect(history).toContain('barrier one');
    expect(history.filter((t) => t?.includes('refuse') || t?.includes('custom'))).toEqual([]);
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 1, 'after-send of the barrier');
    await w.s.pushline.webhooks.drain(5000);
    expect(app.of('C2C.CallbackAfterSendMsg').map((c) => c.body.MsgBody?.[0]?.MsgContent.Text)).toEqual([
      'barrier one',
    ]);
  });

  it('C2C from REST: the rewritten MsgBody and CloudCustomData are what is stored, delivered and pushed', async () => {
    const r = await sendC2C('rewrite this darn thing', { CloudCustomData: 'original' });
    expect(r).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => texts(bob).includes('rewrite this **** thing'), 'the rewritten message live');
    expect(bob.messages.at(-1)?.cloudCustomData).toBe('moderated');
    expect(texts(bob).filter((t) => t?.includes('darn'))).toEqual([]);
    expect(await bobHistory('c2c_alice')).toContain('rewrite this **** thing');
    await waitFor(
      () => pushedTo(bobPhone).some((b) => b.includes('rewrite this **** thing')),
      'the rewritten push',
    );
    expect(pushedTo(bobPhone).filter((b) => b.includes('darn'))).toEqual([]);
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 1, 'after-send');
    expect(app.of('C2C.CallbackAfterSendMsg')[0]?.body).toMatchObject({
      MsgBody: text('rewrite this **** thing'),
      CloudCustomData: 'moderated',
    });
  });

  it('C2C from the SDK: allow, refuse (20006 to the sender) and rewrite, with the device platform', async () => {
    await alice.chat.sendMessage({ receiver: 'bob', body: text('sdk hello') });
    const [before] = app.of('C2C.CallbackBeforeSendMsg');
    expect(before?.query).toMatchObject({ OptPlatform: 'iOS', ClientIP: '127.0.0.1' });
    expect(before?.signOk).toBe(true);
    const refused = await alice.chat
      .sendMessage({ receiver: 'bob', body: text('sdk refuse') })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(PushlineError);
    expect(refused).toMatchObject({ code: 20006 });
    await alice.chat.sendMessage({ receiver: 'bob', body: text('sdk rewrite darn') });
    await waitFor(() => texts(bob).includes('sdk rewrite ****'), 'the rewritten SDK message');
    await waitFor(() => pushedTo(bobPhone).some((b) => b.includes('sdk rewrite ****')), 'its push');
    expect(texts(bob).filter((t) => t?.includes('sdk refuse') || t?.includes('darn'))).toEqual([]);
    expect(pushedTo(bobPhone).filter((b) => b.includes('sdk refuse') || b.includes('darn'))).toEqual([]);
    // The sender's own history holds what was delivered, not what it typed.
    const mine = (await alice.chat.getMessageList({ conversationID: 'c2c_bob', count: 20 })).map(
      (m) => (m.body[0] as { MsgContent: { Text?: string } }).MsgContent.Text,
    );
    expect(mine).toContain('sdk rewrite ****');
    expect(mine.filter((t) => t?.includes('sdk refuse') || t?.includes('darn'))).toEqual([]);
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 2, 'two after-send callbacks');
    expect(app.of('C2C.CallbackAfterSendMsg').every((c) => c.query.OptPlatform === 'iOS')).toBe(true);
  });

  it('group from REST and the SDK: allow, refuse (10016), custom codes and rewrite', async () => {
    expect(await sendGroup('group hello')).toMatchObject({ ErrorCode: 0 });
    const [before] = app.of('Group.CallbackBeforeSendMsg');
    expect(before?.signOk).toBe(true);
    expect(before?.query).toMatchObject({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    expect(before?.body).toMatchObject({
      CallbackCommand: 'Group.CallbackBeforeSendMsg',
      GroupId: 'crew',
      Type: 'Work',
      From_Account: 'alice',
      Operator_Account: w.s.app.adminIdentifier,
      Random: expect.any(Number),
      OnlineOnlyFlag: 0,
      MsgBody: text('group hello'),
    });
    expect(await sendGroup('group refuse')).toMatchObject({ ErrorCode: 10016, ErrorInfo: 'not on my watch' });
    expect(await sendGroup('group custom')).toMatchObject({ ErrorCode: 120_100 });
    const sdkRefused = await alice.chat
      .sendMessage({ groupID: 'crew', body: text('sdk group refuse') })
      .catch((e) => e);
    expect(sdkRefused).toMatchObject({ code: 10016 });
    expect(await sendGroup('group rewrite darn')).toMatchObject({ ErrorCode: 0 });
    await alice.chat.sendMessage({ groupID: 'crew', body: text('sdk group rewrite darn') });
    await waitFor(
      () => texts(bob).includes('group rewrite ****') && texts(bob).includes('sdk group rewrite ****'),
      'the rewritten group messages live',
    );
    await waitFor(
      () => pushedTo(bobPhone).some((b) => b.includes('sdk group rewrite ****')),
      'the rewritten group push',
    );
    const history = await bobHistory('group_crew');
    expect(history).toEqual(
      expect.arrayContaining(['group hello', 'group rewrite ****', 'sdk group rewrite ****']),
    );
    for (const seen of [history, texts(bob), pushedTo(bobPhone)]) {
      expect(
        seen.filter((t) => t?.includes('refuse') || t?.includes('custom') || t?.includes('darn')),
      ).toEqual([]);
    }
    const sdkBefore = app.of('Group.CallbackBeforeSendMsg').find((c) => c.query.OptPlatform === 'iOS');
    expect(sdkBefore?.body).toMatchObject({ From_Account: 'alice', Operator_Account: 'alice' });
    await waitFor(
      () => app.of('Group.CallbackAfterSendMsg').length === 3,
      'three group after-send callbacks',
    );
    expect(
      app
        .of('Group.CallbackAfterSendMsg')
        .map((c) => c.body.MsgBody?.[0]?.MsgContent.Text)
        .sort(),
    ).toEqual(['group hello', 'group rewrite ****', 'sdk group rewrite ****']);
    expect(app.of('Group.CallbackAfterSendMsg')[0]?.body).toMatchObject({
      CallbackCommand: 'Group.CallbackAfterSendMsg',
      GroupId: 'crew',
      Type: 'Work',
      MsgSeq: expect.any(Number),
      MsgTime: expect.any(Number),
    });
  });

  it('a callback that times out or fails follows the policy: allow sends, refuse answers 80003', async () => {
    await settings({ callbackTimeoutMs: 200, callbackFailurePolicy: 'allow' });
    const started = Date.now();
    expect(await sendC2C('slow but allowed')).toMatchObject({ ErrorCode: 0 });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(await sendGroup('slow group allowed')).toMatchObject({ ErrorCode: 0 });
    expect(await sendC2C('http500 allowed')).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => texts(bob).includes('slow but allowed'), 'the allowed message');

    await settings({ callbackFailurePolicy: 'refuse' });
    expect(await sendC2C('slow and refused')).toMatchObject({ ErrorCode: 80003 });
    expect(await sendGroup('slow group refused')).toMatchObject({ ErrorCode: 80003 });
    expect(await sendC2C('http500 refused')).toMatchObject({ ErrorCode: 80003 });
    const sdk = await alice.chat
      .sendMessage({ receiver: 'bob', body: text('slow sdk refused') })
      .catch((e) => e);
    expect(sdk).toMatchObject({ code: 80003 });
    // Unreachable: nothing listens there.
    await settings({ callbackUrl: 'http://127.0.0.1:9/im-callback' });
    expect(await sendC2C('unreachable refused')).toMatchObject({ ErrorCode: 80003 });
    await settings({ callbackFailurePolicy: 'allow' });
    expect(await sendC2C('unreachable allowed')).toMatchObject({ ErrorCode: 0 });

    await settings({ callbackUrl: app.url });
    expect(await sendC2C('barrier two')).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => texts(bob).includes('barrier two'), 'the barrier');
    expect(await bobHistory('c2c_alice')).toEqual(
      expect.arrayContaining(['unreachable allowed', 'http500 allowed']),
    );
    expect(texts(bob).filter((t) => t?.includes('refused'))).toEqual([]);
  });

  it('ForbidCallbackControl suppresses the before- or the after-send callback of a REST send', async () => {
    const r = await sendC2C('refuse me not', { ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'] });
    expect(r).toMatchObject({ ErrorCode: 0 });
    expect(app.of('C2C.CallbackBeforeSendMsg')).toEqual([]);
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 1, 'its after-send callback');
    const g = await sendGroup('group no after', { ForbidCallbackControl: ['ForbidAfterSendMsgCallback'] });
    expect(g).toMatchObject({ ErrorCode: 0 });
    expect(app.of('Group.CallbackBeforeSendMsg')).toHaveLength(1);
    const both = await sendC2C('refuse nothing', {
      ForbidCallbackControl: ['ForbidBeforeSendMsgCallback', 'ForbidAfterSendMsgCallback'],
    });
    expect(both).toMatchObject({ ErrorCode: 0 });
    await w.s.pushline.webhooks.drain(5000);
    expect(app.of('Group.CallbackAfterSendMsg')).toEqual([]);
    expect(app.of('C2C.CallbackAfterSendMsg')).toHaveLength(1);
    expect(app.of('C2C.CallbackBeforeSendMsg')).toEqual([]);
    // batchsendmsg never triggers callbacks (Tencent IM).
    expect(
      await w.s.v4('openim/batchsendmsg', {
        From_Account: 'alice',
        To_Account: ['bob', 'carl'],
        MsgRandom: random(),
        MsgBody: text('batch refuse'),
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await w.s.pushline.webhooks.drain(5000);
    expect(app.calls.filter((c) => c.body.MsgBody?.[0]?.MsgContent.Text === 'batch refuse')).toEqual([]);
  });

  it('each callback is switched on and off in the app settings', async () => {
    await settings({ callbackCommands: ['Group.CallbackAfterSendMsg'] });
    expect(await sendC2C('switched off refuse')).toMatchObject({ ErrorCode: 0 });
    expect(await sendGroup('group switched off refuse')).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => app.of('Group.CallbackAfterSendMsg').length === 1, 'the one switched on');
    await w.s.pushline.webhooks.drain(5000);
    const callbackCommands = app.calls.filter((c) => !c.query.CallbackCommand?.startsWith('Push.'));
    expect(callbackCommands.map((c) => c.query.CallbackCommand)).toEqual(['Group.CallbackAfterSendMsg']);
  });

  it('group lifecycle callbacks: created, members joined and left, destroyed', async () => {
    await settings({
      callbackCommands: [
        'Group.CallbackAfterCreateGroup',
        'Group.CallbackAfterNewMemberJoin',
        'Group.CallbackAfterMemberExit',
        'Group.CallbackAfterGroupDestroyed',
      ],
    });
    const created = await w.s.v4(`${G}/create_group`, {
      Owner_Account: 'alice',
      Type: 'Public',
      GroupId: `club-${backend}`,
      Name: 'Club',
      MemberList: [{ Member_Account: 'bob' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const GroupId = `club-${backend}`;
    expect(
      await w.s.v4(`${G}/add_group_member`, {
        GroupId,
        MemberList: [{ Member_Account: 'carl' }, { Member_Account: 'bob' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(await w.s.v4(`${G}/delete_group_member`, { GroupId, MemberToDel_Account: ['bob'] })).toMatchObject(
      {
        ErrorCode: 0,
      },
    );
    expect(await w.s.v4(`${G}/destroy_group`, { GroupId })).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => app.of('Group.CallbackAfterGroupDestroyed').length === 1, 'the four callbacks');
    await w.s.pushline.webhooks.drain(5000);
    const admin = w.s.app.adminIdentifier;
    const [create] = app.of('Group.CallbackAfterCreateGroup');
    expect(create?.signOk).toBe(true);
    expect(create?.query).toMatchObject({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    expect(create?.body).toEqual({
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      GroupId,
      Operator_Account: admin,
      Owner_Account: 'alice',
      Type: 'Public',
      Name: 'Club',
      MemberList: [{ Member_Account: 'bob' }],
      UserDefinedDataList: [],
      EventTime: expect.any(Number),
    });
    // bob was a member already: only carl joined.
    expect(app.of('Group.CallbackAfterNewMemberJoin').map((c) => c.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
        GroupId,
        Type: 'Public',
        JoinType: 'Invited',
        Operator_Account: admin,
        NewMemberList: [{ Member_Account: 'carl' }],
        EventTime: expect.any(Number),
      },
    ]);
    expect(app.of('Group.CallbackAfterMemberExit').map((c) => c.body)).toEqual([
      {
        CallbackCommand: 'Group.CallbackAfterMemberExit',
        GroupId,
        Type: 'Public',
        ExitType: 'Kicked',
        Operator_Account: admin,
        ExitMemberList: [{ Member_Account: 'bob' }],
        EventTime: expect.any(Number),
      },
    ]);
    const [destroyed] = app.of('Group.CallbackAfterGroupDestroyed');
    expect(destroyed?.body).toMatchObject({
      GroupId,
      Operator_Account: admin,
      Type: 'Public',
      Owner_Account: 'alice',
      Name: 'Club',
    });
    expect(
      ((destroyed?.body.MemberList ?? []) as { Member_Account: string }[])
        .map((m) => m.Member_Account)
        .sort(),
    ).toEqual(['alice', 'carl']);
    // Switched off, they are not sent.
    await settings({ callbackCommands: [] });
    app.calls.length = 0;
    expect(
      await w.s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type: 'Work',
        GroupId: `quiet-${backend}`,
        Name: 'Quiet',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await w.s.pushline.webhooks.drain(5000);
    expect(app.calls.filter((c) => c.query.CallbackCommand?.startsWith('Group.'))).toEqual([]);
  });

  it('an after-send callback the app fails is retried until delivered, without holding up the send', async () => {
    app.afterScript = [503, 500];
    const started = Date.now();
    const r = await sendC2C('deliver me later');
    expect(r).toMatchObject({ ErrorCode: 0 });
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => app.of('C2C.CallbackAfterSendMsg').length === 1, 'the after-send callback at last');
    expect(app.afterAttempts).toBe(3);
    expect(app.of('C2C.CallbackAfterSendMsg')[0]?.body).toMatchObject({ MsgKey: r.MsgKey });
    expect(app.of('C2C.CallbackAfterSendMsg')[0]?.signOk).toBe(true);
    await w.s.pushline.webhooks.drain(5000);
    expect(app.of('C2C.CallbackAfterSendMsg')).toHaveLength(1);
  });
});
