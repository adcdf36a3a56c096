// all_member_push/im_push, timpush/push and timpush/batch up to the hand-over to the fan-out engine: request
// validation with Tencent's codes, task creation and MsgRandom dedup, over real HTTP on SQLite and PostgreSQL.
// The engine is not there yet, so these commands are served by a second v4 router wired to a recording
// FanOutStarter that captures what would be started (server.ts does not register them yet).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushCommands } from '../../src/http/v4/all-member-push.js';
import { registerV4 } from '../../src/http/v4/router.js';
import { resumeUnfinished } from '../../src/push/tasks/resume.js';
import type { FanOutStarter, PushTask } from '../../src/push/tasks/types.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer, type V4Response } from '../helpers/server.js';

const backends = await testBackends();

class RecordingStarter implements FanOutStarter {
  started: PushTask[] = [];
  /** Simulates an engine that refuses work (it must not, but the push must survive it). */
  refuse = false;
  start(task: PushTask): void {
    if (this.refuse) throw new Error('engine not ready');
    this.started.push(task);
  }
}

describe.each(backends)('push commands on %s', (backend) => {
  let s: TestServer;
  let http: FastifyInstance;
  let url: string;
  const starter = new RecordingStarter();
  let random = 1;

  async function call(path: string, body: unknown): Promise<V4Response> {
    const q = new URLSearchParams({
      sdkappid: String(s.app.sdkAppId),
      identifier: s.app.adminIdentifier,
      usersig: s.adminSig,
      random: '1',
      contenttype: 'json',
    });
    const res = await fetch(`${url}/v4/${path}?${q}`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as V4Response;
  }

  async function taskCount(): Promise<number> {
    const r = await s.pushline.pushTasks.list(s.app.sdkAppId, { limit: 100 });
    return r.tasks.length;
  }

  const text = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi, beauty' } }];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    const p = s.pushline;
    http = Fastify();
    await registerV4(http, {
      apps: p.apps,
      accounts: p.accounts,
      bodyLimit: 1 << 20,
      commands: pushCommands({ tasks: p.pushTasks, attributes: p.attributes, accounts: p.accounts, starter }),
    });
    url = await http.listen({ port: 0, host: '127.0.0.1' });
    await p.accounts.import(s.app.sdkAppId, [{ userId: 'xiaoming' }, { userId: 'u1' }, { userId: 'u2' }]);
    await p.attributes.setNames(s.app.sdkAppId, { '0': 'sex', '1': 'city' });
  });
  afterAll(async () => {
    await http?.close();
    await s?.close();
  });
  beforeEach(() => {
    starter.started = [];
    starter.refuse = false;
  });

  it('is served by Pushline itself (the push engine starts the tasks; see e2e-push-tasks.test.ts)', async () => {
    for (const path of ['all_member_push/im_push', 'timpush/push', 'timpush/batch']) {
      const r = await s.v4(path, { MsgRandom: 1 });
      // Not 60009 (unknown command): the command validates the body.
      expect(r.ErrorCode).not.toBe(60009);
      expect(r.ActionStatus).toBe('FAIL');
    }
  });

  it('im_push to everyone creates a queued all-member task and starts it', async () => {
    const body = { From_Account: 'xiaoming', MsgRandom: 56512, MsgLifeTime: 120, MsgBody: text };
    const r = await call('all_member_push/im_push', body);
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(r.TaskId).toMatch(new RegExp(`^${s.app.sdkAppId}_`));
    expect(starter.started).toHaveLength(1);
    const task = starter.started[0]!;
    expect(task).toMatchObject({
      taskId: r.TaskId,
      kind: 'all-member',
      command: 'all_member_push/im_push',
      status: 'queued',
      msgRandom: 56512,
      audience: null,
      request: body,
    });
    expect(await s.pushline.pushTasks.get(s.app.sdkAppId, r.TaskId as string)).toEqual(task);
  });

  it('a repeated MsgRandom answers the same TaskId and starts nothing again', async () => {
    const body = { MsgRandom: 777, MsgBody: text };
    const first = await call('all_member_push/im_push', body);
    const again = await call('all_member_push/im_push', {
      ...body,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'other' } }],
    });
    expect(again.TaskId).toBe(first.TaskId);
    expect(starter.started).toHaveLength(1);
    // The same MsgRandom on timpush/push is another task.
    const other = await call('timpush/push', body);
    expect(other.TaskId).not.toBe(first.TaskId);
  });

  it('resolves tag and attribute conditions into the task audience', async () => {
    const tag = await call('all_member_push/im_push', {
      MsgRandom: random++,
      MsgBody: text,
      Condition: { TagsAnd: ['股票A', '股票B'], TagsOr: ['x'] },
    });
    expect(tag.ErrorCode).toBe(0);
    expect(starter.started[0]).toMatchObject({
      kind: 'tag',
      audience: { tagsAnd: ['股票A', '股票B'], tagsOr: ['x'], attrsAnd: [], attrsOr: [] },
    });
    const attr = await call('timpush/push', {
      MsgRandom: random++,
      Condition: { AttrsAnd: { city: 'Shenzhen' }, AttrsOr: { sex: 'm' } },
      OfflinePushInfo: { PushFlag: 0, Title: 't', Desc: 'd' },
    });
    expect(attr.ErrorCode).toBe(0);
    expect(starter.started[1]).toMatchObject({
      kind: 'attr',
      command: 'timpush/push',
      audience: {
        tagsAnd: [],
        tagsOr: [],
        attrsAnd: [{ slot: 1, value: 'Shenzhen' }],
        attrsOr: [{ slot: 0, value: 'm' }],
      },
    });
    const everyone = await call('timpush/push', {
      MsgRandom: random++,
      Condition: {},
      MsgBody: text,
      OnlineOnlyFlag: 1,
    });
    expect(everyone.ErrorCode).toBe(0);
    expect(starter.started[2]).toMatchObject({ kind: 'all-member', audience: null });
  });

  it('refuses bad all-member requests with Tencent codes, creating and starting nothing', async () => {
    const ok = () => ({ MsgRandom: random++, MsgBody: text });
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    const cases: [string, string, Record<string, unknown>, number][] = [
      ['im_push', 'MsgRandom missing', { MsgBody: text }, 90005],
      ['im_push', 'MsgRandom a string', { MsgRandom: '12', MsgBody: text }, 90005],
      ['im_push', 'MsgRandom negative', { MsgRandom: -1, MsgBody: text }, 90005],
      ['im_push', 'MsgRandom over 32 bits', { MsgRandom: 4_294_967_296, MsgBody: text }, 90005],
      ['im_push', 'MsgBody missing', { MsgRandom: 1 }, 90007],
      ['im_push', 'MsgBody not an array', { MsgRandom: 1, MsgBody: text[0] }, 90007],
      [
        'im_push',
        'MsgBody element unknown',
        { MsgRandom: 1, MsgBody: [{ MsgType: 'TIMNope', MsgContent: {} }] },
        90002,
      ],
      ['im_push', 'MsgBody empty', { MsgRandom: 1, MsgBody: [] }, 90002],
      ['im_push', 'MsgLifeTime over 7 days', { ...ok(), MsgLifeTime: 604_801 }, 90026],
      ['im_push', 'MsgLifeTime negative', { ...ok(), MsgLifeTime: -5 }, 90026],
      ['im_push', '11 tags in TagsAnd', { ...ok(), Condition: { TagsAnd: tags(11) } }, 90032],
      ['im_push', '11 tags in TagsOr', { ...ok(), Condition: { TagsOr: tags(11) } }, 90032],
      ['im_push', 'a 51-byte tag', { ...ok(), Condition: { TagsOr: ['x'.repeat(51)] } }, 90020],
      ['im_push', 'an empty tag', { ...ok(), Condition: { TagsAnd: [''] } }, 90040],
      [
        'im_push',
        'TagsAnd and TagsOr repeat a tag',
        { ...ok(), Condition: { TagsAnd: ['a'], TagsOr: ['a', 'b'] } },
        90022,
      ],
      [
        'im_push',
        'tags mixed with attributes',
        { ...ok(), Condition: { TagsAnd: ['a'], AttrsAnd: { sex: 'm' } } },
        90039,
      ],
      ['im_push', 'an unknown attribute', { ...ok(), Condition: { AttrsOr: { age: '3' } } }, 90033],
      ['im_push', 'an unsupported condition (TagsNot)', { ...ok(), Condition: { TagsNot: ['a'] } }, 90001],
      ['im_push', 'a Condition that is not an object', { ...ok(), Condition: ['a'] }, 90001],
      ['im_push', 'TagsAnd not a list', { ...ok(), Condition: { TagsAnd: 'a' } }, 90001],
      ['im_push', 'an unknown From_Account', { ...ok(), From_Account: 'ghost' }, 70107],
      ['timpush/push', 'neither MsgBody nor OfflinePushInfo', { MsgRandom: 3 }, 90001],
      ['timpush/push', 'OnlineOnlyFlag 2', { ...ok(), OnlineOnlyFlag: 2 }, 90001],
      ['timpush/push', 'MsgRandom missing', { MsgBody: text }, 90005],
    ];
    const before = await taskCount();
    for (const [command, what, body, code] of cases) {
      const path = command === 'im_push' ? 'all_member_push/im_push' : command;
      const r = await call(path, body);
      expect(r, `${command}: ${what}`).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
      expect(r.ErrorInfo, what).not.toBe('');
      expect(r.TaskId).toBeUndefined();
    }
    expect(starter.started).toEqual([]);
    expect(await taskCount()).toBe(before);
  });

  it('timpush/batch creates a batch task for 1..500 users with DataId, never deduplicated', async () => {
    const body = {
      From_Account: 'administrator',
      To_Account: ['u2', 'u1', 'u2', 'not-imported'],
      MsgRandom: 3674128,
      OfflinePushInfo: { PushFlag: 0, Title: '离线推送标题', Desc: '离线推送内容' },
      DataId: 'd'.repeat(64),
    };
    const r = await call('timpush/batch', body);
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(r.TaskId).toMatch(/^batch_/);
    expect(starter.started[0]).toMatchObject({
      taskId: r.TaskId,
      kind: 'batch',
      command: 'timpush/batch',
      dataId: 'd'.repeat(64),
      userIds: ['not-imported', 'u1', 'u2'],
      counts: { audienceTotal: 3 },
      request: { From_Account: 'administrator', MsgRandom: 3674128, OfflinePushInfo: body.OfflinePushInfo },
    });
    const again = await call('timpush/batch', body);
    expect(again.TaskId).not.toBe(r.TaskId);
    const max = await call('timpush/batch', {
      ...body,
      To_Account: Array.from({ length: 500 }, (_, i) => `user${i}`),
    });
    expect(max.ErrorCode).toBe(0);
    expect(starter.started).toHaveLength(3);
  });

  it('keeps an accepted task queued when the engine refuses it, for resumeUnfinished to start', async () => {
    starter.refuse = true;
    const r = await call('all_member_push/im_push', { MsgRandom: random++, MsgBody: text });
    expect(r.ErrorCode).toBe(0);
    expect(await s.pushline.pushTasks.get(s.app.sdkAppId, r.TaskId as string)).toMatchObject({
      status: 'queued',
    });
    starter.refuse = false;
    await resumeUnfinished(s.pushline.pushTasks, starter);
    expect(starter.started.map((t) => t.taskId)).toContain(r.TaskId);
  });

  it('refuses bad batch requests with Tencent codes, creating and starting nothing', async () => {
    const ok = { To_Account: ['u1'], MsgRandom: 5, OfflinePushInfo: { Desc: 'x' } };
    const cases: [string, Record<string, unknown>, number][] = [
      ['501 recipients', { ...ok, To_Account: Array.from({ length: 501 }, (_, i) => `user${i}`) }, 90018],
      ['no recipient', { ...ok, To_Account: [] }, 90001],
      ['To_Account not a list', { ...ok, To_Account: 'u1' }, 90001],
      ['a recipient longer than 32 bytes', { ...ok, To_Account: ['u'.repeat(33)] }, 90001],
      ['DataId of 65 bytes', { ...ok, DataId: 'd'.repeat(65) }, 90001],
      ['MsgRandom missing', { To_Account: ['u1'], OfflinePushInfo: { Desc: 'x' } }, 90001],
      ['MsgRandom not an integer', { ...ok, MsgRandom: 1.5 }, 90001],
      ['OfflinePushInfo missing', { To_Account: ['u1'], MsgRandom: 5 }, 90001],
      ['a bad MsgBody element', { ...ok, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }, 90002],
      ['an unknown From_Account', { ...ok, From_Account: 'ghost' }, 70107],
    ];
    const before = await taskCount();
    for (const [what, body, code] of cases) {
      const r = await call('timpush/batch', body);
      expect(r, what).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    }
    expect(starter.started).toEqual([]);
    expect(await taskCount()).toBe(before);
  });
});
