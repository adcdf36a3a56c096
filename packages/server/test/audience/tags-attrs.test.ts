// The nine tag/attribute commands of all_member_push over real HTTP, once on SQLite and once on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('v4 tags and attributes on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
    const r = await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['u1', 'u2', 'u3', 'u4', 'gone'],
    });
    expect(r.ErrorCode).toBe(0);
  });
  afterAll(async () => {
    await s?.close();
  });

  const ok = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
  const getTags = async (...ids: string[]) => s.v4('all_member_push/im_get_tag', { To_Account: ids });

  it('adds, reads and removes tags', async () => {
    expect(
      await s.v4('all_member_push/im_add_tag', {
        UserTags: [
          { To_Account: 'u1', Tags: ['股票A', 'b'] },
          { To_Account: 'u2', Tags: ['b'] },
          { To_Account: 'u1', Tags: ['c', 'b'] },
        ],
      }),
    ).toEqual(ok);
    expect(await getTags('u2', 'u1', 'u3')).toEqual({
      ...ok,
      UserTags: [
        { To_Account: 'u2', Tags: ['b'] },
        { To_Account: 'u1', Tags: ['b', 'c', '股票A'].sort() },
        { To_Account: 'u3', Tags: [] },
      ],
    });
    // Adding a tag again is a no-op; removing a tag the user does not hold too.
    expect(
      await s.v4('all_member_push/im_add_tag', { UserTags: [{ To_Account: 'u2', Tags: ['b'] }] }),
    ).toEqual(ok);
    expect(
      await s.v4('all_member_push/im_remove_tag', {
        UserTags: [{ To_Account: 'u1', Tags: ['b', 'never'] }],
      }),
    ).toEqual(ok);
    expect((await getTags('u1')).UserTags).toEqual([{ To_Account: 'u1', Tags: ['c', '股票A'].sort() }]);
    expect(await s.v4('all_member_push/im_remove_all_tags', { To_Account: ['u1', 'u2'] })).toEqual(ok);
    expect((await getTags('u1', 'u2')).UserTags).toEqual([
      { To_Account: 'u1', Tags: [] },
      { To_Account: 'u2', Tags: [] },
    ]);
  });

  it('lists unknown accounts in ErrorList (70107) and applies the others', async () => {
    const r = await s.v4('all_member_push/im_add_tag', {
      UserTags: [
        { To_Account: 'u3', Tags: ['x'] },
        { To_Account: 'nobody', Tags: ['x'] },
      ],
    });
    expect(r).toMatchObject({ ...ok, ErrorList: [{ To_Account: 'nobody', ErrorCode: 70107 }] });
    const g = await getTags('u3', 'nobody');
    expect(g.UserTags).toEqual([{ To_Account: 'u3', Tags: ['x'] }]);
    expect(g.ErrorList).toMatchObject([{ To_Account: 'nobody', ErrorCode: 70107 }]);
    for (const [path, body] of [
      ['im_remove_tag', { UserTags: [{ To_Account: 'nobody', Tags: ['x'] }] }],
      ['im_remove_all_tags', { To_Account: ['nobody'] }],
      ['im_get_attr', { To_Account: ['nobody'] }],
    ] as const) {
      const res = await s.v4(`all_member_push/${path}`, body);
      expect(res).toMatchObject({ ErrorCode: 0, ErrorList: [{ To_Account: 'nobody', ErrorCode: 70107 }] });
    }
  });

  it('refuses bad tag requests with Tencent codes and writes nothing', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ To_Account: `u${i}`, Tags: ['t'] }));
    const cases: [unknown, number][] = [
      [{ UserTags: many }, 90018],
      [{ UserTags: [{ To_Account: 'u4', Tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }] }, 90032],
      [{ UserTags: [{ To_Account: 'u4', Tags: ['ok', 'x'.repeat(51)] }] }, 90020],
      [{ UserTags: [{ To_Account: 'u4', Tags: ['ok', ''] }] }, 90040],
      [{ UserTags: [{ To_Account: 'u4', Tags: [] }] }, 90001],
      [{ UserTags: [] }, 90001],
      [{ UserTags: [{ To_Account: 'u4', Tags: 'ok' }] }, 90001],
      [{}, 90001],
    ];
    for (const [body, code] of cases) {
      const r = await s.v4('all_member_push/im_add_tag', body);
      expect(r, JSON.stringify(body).slice(0, 80)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
      expect(r.ErrorInfo).not.toBe('');
    }
    // A 50-byte tag (17 three-byte characters fall over, 16 fit) is fine.
    expect(
      (
        await s.v4('all_member_push/im_add_tag', {
          UserTags: [{ To_Account: 'u4', Tags: ['字'.repeat(16)] }],
        })
      ).ErrorCode,
    ).toBe(0);
    expect((await getTags('u4')).UserTags).toEqual([{ To_Account: 'u4', Tags: ['字'.repeat(16)] }]);
    const ids = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect((await getTags(...ids)).ErrorCode).toBe(90018);
    expect((await s.v4('all_member_push/im_remove_all_tags', { To_Account: ids })).ErrorCode).toBe(90018);
    expect((await s.v4('all_member_push/im_remove_all_tags', { To_Account: [] })).ErrorCode).toBe(90001);
  });

  it('caps a user at 100 tags (90032 in ErrorList) and keeps the tags they had', async () => {
    await s.v4('all_member_push/im_remove_all_tags', { To_Account: ['u3'] });
    for (let i = 0; i < 10; i++) {
      const r = await s.v4('all_member_push/im_add_tag', {
        UserTags: [{ To_Account: 'u3', Tags: Array.from({ length: 10 }, (_, j) => `cap${i * 10 + j}`) }],
      });
      expect(r).toEqual(ok);
    }
    const over = await s.v4('all_member_push/im_add_tag', {
      UserTags: [
        { To_Account: 'u3', Tags: ['cap0', 'one-too-many'] },
        { To_Account: 'u4', Tags: ['fine'] },
      ],
    });
    expect(over).toMatchObject({ ...ok, ErrorList: [{ To_Account: 'u3', ErrorCode: 90032 }] });
    const tags = (await getTags('u3', 'u4')).UserTags as { To_Account: string; Tags: string[] }[];
    expect(tags[0]?.Tags).toHaveLength(100);
    expect(tags[0]?.Tags).not.toContain('one-too-many');
    expect(tags[1]?.Tags).toContain('fine');
  });

  it('names attributes per app and sets, reads and removes per-user values', async () => {
    expect(await s.v4('all_member_push/im_get_attr_name', {})).toEqual({ ...ok, AttrNames: {} });
    expect(
      await s.v4('all_member_push/im_set_attr_name', { AttrNames: { '0': 'sex', '1': 'city' } }),
    ).toEqual(ok);
    expect(await s.v4('all_member_push/im_set_attr_name', { AttrNames: { '2': '会员等级' } })).toEqual(ok);
    expect(await s.v4('all_member_push/im_get_attr_name', {})).toEqual({
      ...ok,
      AttrNames: { '0': 'sex', '1': 'city', '2': '会员等级' },
    });
    expect(
      await s.v4('all_member_push/im_set_attr', {
        UserAttrs: [
          { To_Account: 'u1', Attrs: { sex: 'female', city: 'NewYork' } },
          { To_Account: 'u2', Attrs: { city: 'ShenZhen' } },
        ],
      }),
    ).toEqual(ok);
    expect(
      await s.v4('all_member_push/im_set_attr', {
        UserAttrs: [{ To_Account: 'u2', Attrs: { city: 'Paris' } }],
      }),
    ).toEqual(ok);
    expect(await s.v4('all_member_push/im_get_attr', { To_Account: ['u1', 'u2', 'u3'] })).toEqual({
      ...ok,
      UserAttrs: [
        { To_Account: 'u1', Attrs: { sex: 'female', city: 'NewYork' } },
        { To_Account: 'u2', Attrs: { city: 'Paris' } },
        { To_Account: 'u3', Attrs: {} },
      ],
    });
    // Renaming attribute 1 keeps its values under the new name.
    expect(await s.v4('all_member_push/im_set_attr_name', { AttrNames: { '1': 'town' } })).toEqual(ok);
    expect((await s.v4('all_member_push/im_get_attr', { To_Account: ['u2'] })).UserAttrs).toEqual([
      { To_Account: 'u2', Attrs: { town: 'Paris' } },
    ]);
    expect(
      await s.v4('all_member_push/im_remove_attr', { UserAttrs: [{ To_Account: 'u1', Attrs: ['sex'] }] }),
    ).toEqual(ok);
    expect((await s.v4('all_member_push/im_get_attr', { To_Account: ['u1'] })).UserAttrs).toEqual([
      { To_Account: 'u1', Attrs: { town: 'NewYork' } },
    ]);
  });

  it('refuses bad attribute requests with Tencent codes and writes nothing', async () => {
    const cases: [string, unknown, number][] = [
      ['im_set_attr_name', { AttrNames: { '10': 'x' } }, 90033],
      ['im_set_attr_name', { AttrNames: { a: 'x' } }, 90033],
      ['im_set_attr_name', { AttrNames: { '3': 'y'.repeat(51) } }, 90033],
      ['im_set_attr_name', { AttrNames: { '3': '' } }, 90033],
      ['im_set_attr_name', { AttrNames: { '3': 'sex' } }, 90033],
      ['im_set_attr_name', { AttrNames: {} }, 90001],
      ['im_set_attr_name', { AttrNames: ['sex'] }, 90001],
      ['im_set_attr', { UserAttrs: [{ To_Account: 'u3', Attrs: { unknown: 'v' } }] }, 90033],
      ['im_set_attr', { UserAttrs: [{ To_Account: 'u3', Attrs: { sex: 'v'.repeat(51) } }] }, 90033],
      ['im_set_attr', { UserAttrs: [{ To_Account: 'u3', Attrs: { sex: '' } }] }, 90033],
      ['im_set_attr', { UserAttrs: [{ To_Account: 'u3', Attrs: { sex: 1 } }] }, 90001],
      [
        'im_set_attr',
        { UserAttrs: Array.from({ length: 101 }, (_, i) => ({ To_Account: `u${i}`, Attrs: { sex: 'm' } })) },
        90018,
      ],
      ['im_remove_attr', { UserAttrs: [{ To_Account: 'u2', Attrs: ['unknown'] }] }, 90033],
      ['im_get_attr', { To_Account: Array.from({ length: 101 }, (_, i) => `u${i}`) }, 90018],
      ['im_get_attr', { To_Account: 'u1' }, 90001],
    ];
    for (const [path, body, code] of cases) {
      const r = await s.v4(`all_member_push/${path}`, body);
      expect(r, `${path} ${JSON.stringify(body).slice(0, 60)}`).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
      });
    }
    // A request with one bad attribute writes none of its good ones.
    const r = await s.v4('all_member_push/im_set_attr', {
      UserAttrs: [
        { To_Account: 'u3', Attrs: { sex: 'male' } },
        { To_Account: 'u4', Attrs: { nope: 'x' } },
      ],
    });
    expect(r.ErrorCode).toBe(90033);
    expect((await s.v4('all_member_push/im_get_attr', { To_Account: ['u3'] })).UserAttrs).toEqual([
      { To_Account: 'u3', Attrs: {} },
    ]);
    expect((await s.v4('all_member_push/im_get_attr_name', {})).AttrNames).toEqual({
      '0': 'sex',
      '1': 'town',
      '2': '会员等级',
    });
  });

  it('swaps two attribute names in one request', async () => {
    expect(
      await s.v4('all_member_push/im_set_attr_name', { AttrNames: { '0': 'town', '1': 'sex' } }),
    ).toEqual(ok);
    expect((await s.v4('all_member_push/im_get_attr_name', {})).AttrNames).toMatchObject({
      '0': 'town',
      '1': 'sex',
    });
    await s.v4('all_member_push/im_set_attr_name', { AttrNames: { '0': 'sex', '1': 'town' } });
  });

  it('keeps apps apart and drops tags and attributes with the account', async () => {
    const other = await s.pushline.apps.create({ name: 'Other' });
    await s.pushline.accounts.import(other.sdkAppId, [{ userId: 'u1' }]);
    expect(await s.pushline.tags.get(other.sdkAppId, ['u1'])).toEqual({
      users: [{ userId: 'u1', tags: [] }],
      failures: [],
    });
    expect(await s.pushline.attributes.getNames(other.sdkAppId)).toEqual({});

    await s.v4('all_member_push/im_add_tag', { UserTags: [{ To_Account: 'gone', Tags: ['t'] }] });
    await s.v4('all_member_push/im_set_attr', { UserAttrs: [{ To_Account: 'gone', Attrs: { sex: 'x' } }] });
    expect(
      (await s.v4('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'gone' }] })).ErrorCode,
    ).toBe(0);
    await s.pushline.accounts.import(s.app.sdkAppId, [{ userId: 'gone' }]);
    expect((await getTags('gone')).UserTags).toEqual([{ To_Account: 'gone', Tags: [] }]);
    expect((await s.v4('all_member_push/im_get_attr', { To_Account: ['gone'] })).UserAttrs).toEqual([
      { To_Account: 'gone', Attrs: {} },
    ]);
  });

  it('answers the same data under the timpush/* names, with Replace and AttrTypes', async () => {
    await s.v4('all_member_push/im_remove_all_tags', { To_Account: ['u1'] });
    expect(
      await s.v4('timpush/add_tag', { UserTags: [{ To_Account: 'u1', Tags: ['old1', 'old2'] }] }),
    ).toEqual(ok);
    const hundred = Array.from({ length: 100 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    expect(
      await s.v4('timpush/add_tag', { Replace: 1, UserTags: [{ To_Account: 'u1', Tags: hundred }] }),
    ).toEqual(ok);
    expect((await getTags('u1')).UserTags).toEqual([{ To_Account: 'u1', Tags: hundred }]);
    expect(
      (
        await s.v4('timpush/add_tag', {
          Replace: 1,
          UserTags: [{ To_Account: 'u1', Tags: [...hundred, 'x'] }],
        })
      ).ErrorCode,
    ).toBe(90032);
    expect(
      (await s.v4('timpush/add_tag', { UserTags: [{ To_Account: 'u1', Tags: hundred.slice(0, 11) }] }))
        .ErrorCode,
    ).toBe(90032);
    expect(
      (await s.v4('timpush/add_tag', { Replace: 2, UserTags: [{ To_Account: 'u1', Tags: ['a'] }] }))
        .ErrorCode,
    ).toBe(90001);
    expect(
      await s.v4('timpush/add_tag', { Replace: 1, UserTags: [{ To_Account: 'u1', Tags: ['only'] }] }),
    ).toEqual(ok);
    expect(await s.v4('timpush/get_tag', { To_Account: ['u1'] })).toEqual({
      ...ok,
      UserTags: [{ To_Account: 'u1', Tags: ['only'] }],
    });
    expect(await s.v4('timpush/remove_tag', { UserTags: [{ To_Account: 'u1', Tags: ['only'] }] })).toEqual(
      ok,
    );
    await s.v4('timpush/add_tag', { UserTags: [{ To_Account: 'u1', Tags: ['again'] }] });
    expect(await s.v4('timpush/clear_all_tags', { To_Account: ['u1', 'nobody'] })).toMatchObject({
      ErrorCode: 0,
      ErrorList: [{ To_Account: 'nobody', ErrorCode: 70107 }],
    });
    expect((await getTags('u1')).UserTags).toEqual([{ To_Account: 'u1', Tags: [] }]);

    expect(
      await s.v4('timpush/set_attr_name', { AttrNames: { '5': 'level' }, AttrTypes: { '5': 0 } }),
    ).toEqual(ok);
    expect(await s.v4('timpush/get_attr_name', {})).toMatchObject({
      AttrNames: { '5': 'level' },
      AttrTypes: { '0': 0, '1': 0, '2': 0, '5': 0 },
    });
    expect((await s.v4('all_member_push/im_get_attr_name', {})).AttrTypes).toBeUndefined();
    for (const body of [
      { AttrNames: { '6': 'regid-attr' }, AttrTypes: { '6': 1 } },
      { AttrNames: { '6': 'x' }, AttrTypes: { '7': 0 } },
    ]) {
      expect((await s.v4('timpush/set_attr_name', body)).ErrorCode).toBe(90033);
    }
    expect(
      await s.v4('timpush/set_attr', { UserAttrs: [{ To_Account: 'u1', Attrs: { level: 'gold' } }] }),
    ).toEqual(ok);
    expect((await s.v4('all_member_push/im_get_attr', { To_Account: ['u1'] })).UserAttrs).toEqual([
      { To_Account: 'u1', Attrs: { town: 'NewYork', level: 'gold' } },
    ]);
    expect(
      await s.v4('timpush/remove_attr', { UserAttrs: [{ To_Account: 'u1', Attrs: ['level'] }] }),
    ).toEqual(ok);
    expect((await s.v4('timpush/get_attr', { To_Account: ['u1'] })).UserAttrs).toEqual([
      { To_Account: 'u1', Attrs: { town: 'NewYork' } },
    ]);
  });
});
