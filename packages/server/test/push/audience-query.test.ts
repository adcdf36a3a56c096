// Condition validation and the cursor-paged audience query against a few thousand generated accounts, once on
// SQLite and once on PostgreSQL: every condition kind returns exactly the matching accounts, page by page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AudienceFilter, type Condition, resolveCondition } from '../../src/audience/condition.js';
import { AudienceError } from '../../src/audience/errors.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

const ACCOUNTS = 3000;
const TAGS = ['a', 'b', 'c', 'd', 'rare'];
const SEXES = ['m', 'f', 'x'];
const CITIES = ['sz', 'bj', 'sh', 'ny'];

interface Generated {
  id: string;
  tags: Set<string>;
  sex?: string;
  city?: string;
}

/** Deterministic pseudo-random accounts (a fixed LCG), so a failure reproduces. */
function generate(): Generated[] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: ACCOUNTS }, (_, i) => {
    const tags = new Set(TAGS.slice(0, 4).filter(() => next() < 0.3));
    if (i % 997 === 5) tags.add('rare');
    const g: Generated = { id: `user${String(i).padStart(5, '0')}`, tags };
    if (next() < 0.8) g.sex = SEXES[Math.floor(next() * SEXES.length)];
    if (next() < 0.7) g.city = CITIES[Math.floor(next() * CITIES.length)];
    return g;
  });
}

const SLOTS = new Map([
  ['sex', 0],
  ['city', 1],
]);

function resolve(c: Condition | undefined): AudienceFilter | undefined {
  return resolveCondition(c, SLOTS);
}

describe('Condition validation', () => {
  const code = (c: Condition) => {
    try {
      resolve(c);
    } catch (err) {
      if (err instanceof AudienceError) return err.code;
      throw err;
    }
    return 0;
  };
  it('answers Tencent codes', () => {
    expect(code({ TagsAnd: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toBe(90032);
    expect(code({ TagsOr: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toBe(90032);
    expect(code({ TagsAnd: ['x'.repeat(51)] })).toBe(90020);
    expect(code({ TagsOr: [''] })).toBe(90040);
    expect(code({ TagsAnd: ['a', 'b'], TagsOr: ['c', 'b'] })).toBe(90022);
    expect(code({ TagsAnd: ['a'], AttrsOr: { sex: 'm' } })).toBe(90039);
    expect(code({ AttrsAnd: { age: '3' } })).toBe(90033);
    expect(code({ AttrsOr: { sex: 'v'.repeat(51) } })).toBe(90033);
    expect(code({ TagsAnd: Array.from({ length: 10 }, (_, i) => `t${i}`), TagsOr: ['x'.repeat(50)] })).toBe(
      0,
    );
  });
  it('treats no condition and empty lists as everyone, and resolves attribute names', () => {
    expect(resolve(undefined)).toBeUndefined();
    expect(resolve({})).toBeUndefined();
    expect(resolve({ TagsAnd: [], AttrsOr: {} })).toBeUndefined();
    expect(resolve({ AttrsAnd: { city: 'sz' }, AttrsOr: { sex: 'm' } })).toEqual({
      tagsAnd: [],
      tagsOr: [],
      attrsAnd: [{ slot: 1, value: 'sz' }],
      attrsOr: [{ slot: 0, value: 'm' }],
    });
  });
});

describe.each(backends)('audience query on %s', (backend) => {
  let s: TestServer;
  let app: number;
  const people = generate();

  beforeAll(async () => {
    s = await startTestServer({ backend });
    app = s.app.sdkAppId;
    const db = s.pushline.db;
    const now = Date.now();
    const chunks = <T>(rows: T[], n = 500) =>
      Array.from({ length: Math.ceil(rows.length / n) }, (_, i) => rows.slice(i * n, (i + 1) * n));
    for (const rows of chunks(people)) {
      await db
        .insertInto('accounts')
        .values(
          rows.map((p) => ({
            sdkappid: app,
            user_id: p.id,
            nick: '',
            face_url: '',
            created_at: now,
            kicked_at: null,
          })),
        )
        .execute();
    }
    const tagRows = people.flatMap((p) =>
      [...p.tags].map((tag) => ({ sdkappid: app, user_id: p.id, tag, created_at: now })),
    );
    for (const rows of chunks(tagRows)) await db.insertInto('user_tags').values(rows).execute();
    await s.pushline.attributes.setNames(app, { '0': 'sex', '1': 'city' });
    const attrRows = people.flatMap((p) => [
      ...(p.sex ? [{ sdkappid: app, user_id: p.id, slot: 0, value: p.sex, updated_at: now }] : []),
      ...(p.city ? [{ sdkappid: app, user_id: p.id, slot: 1, value: p.city, updated_at: now }] : []),
    ]);
    for (const rows of chunks(attrRows)) await db.insertInto('user_attrs').values(rows).execute();

    // Another app with the same user IDs and tags: never part of this app's audience.
    const other = await s.pushline.apps.create({ name: 'Other' });
    await s.pushline.accounts.import(other.sdkAppId, [{ userId: 'user00000' }, { userId: 'zz-other' }]);
    await db
      .insertInto('user_tags')
      .values([{ sdkappid: other.sdkAppId, user_id: 'zz-other', tag: 'a', created_at: now }])
      .execute();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  async function collect(filter: AudienceFilter | undefined, pageSize: number, after?: string) {
    const ids: string[] = [];
    for await (const page of s.pushline.audience.iterate(app, filter, { pageSize, after })) {
      expect(page.length).toBeGreaterThan(0);
      expect(page.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page);
    }
    return ids;
  }

  const cases: [string, Condition | undefined, (p: Generated) => boolean][] = [
    ['everyone (no condition)', undefined, () => true],
    ['everyone (empty condition)', {}, () => true],
    ['TagsAnd one tag', { TagsAnd: ['a'] }, (p) => p.tags.has('a')],
    ['TagsAnd two tags', { TagsAnd: ['a', 'b'] }, (p) => p.tags.has('a') && p.tags.has('b')],
    ['TagsAnd three tags', { TagsAnd: ['a', 'b', 'c'] }, (p) => ['a', 'b', 'c'].every((t) => p.tags.has(t))],
    ['TagsOr', { TagsOr: ['c', 'd'] }, (p) => p.tags.has('c') || p.tags.has('d')],
    ['TagsOr one tag', { TagsOr: ['rare'] }, (p) => p.tags.has('rare')],
    [
      'TagsAnd with TagsOr',
      { TagsAnd: ['a'], TagsOr: ['b', 'rare'] },
      (p) => p.tags.has('a') && (p.tags.has('b') || p.tags.has('rare')),
    ],
    ['a tag nobody holds', { TagsAnd: ['nobody'] }, () => false],
    ['AttrsAnd', { AttrsAnd: { sex: 'f', city: 'sz' } }, (p) => p.sex === 'f' && p.city === 'sz'],
    ['AttrsAnd one value', { AttrsAnd: { city: 'ny' } }, (p) => p.city === 'ny'],
    ['AttrsOr', { AttrsOr: { sex: 'x', city: 'bj' } }, (p) => p.sex === 'x' || p.city === 'bj'],
    ['AttrsOr one value', { AttrsOr: { sex: 'm' } }, (p) => p.sex === 'm'],
    [
      'AttrsAnd with AttrsOr',
      { AttrsAnd: { sex: 'm' }, AttrsOr: { city: 'sh' } },
      (p) => p.sex === 'm' && p.city === 'sh',
    ],
  ];

  it.each(cases)(
    '%s: every match exactly once, in cursor order, and count()',
    async (_name, condition, match) => {
      const filter = resolve(condition);
      const expected = people.filter(match).map((p) => p.id);
      if (_name.startsWith('everyone')) expect(expected).toHaveLength(ACCOUNTS);
      for (const pageSize of [1000, 97]) {
        expect(await collect(filter, pageSize)).toEqual(expected);
      }
      expect(await s.pushline.audience.count(app, filter)).toBe(expected.length);
    },
  );

  it('pages of one ID, and resuming after a saved cursor', async () => {
    const filter = resolve({ TagsOr: ['rare'] });
    const all = people.filter((p) => p.tags.has('rare')).map((p) => p.id);
    expect(all.length).toBeGreaterThan(1);
    expect(await collect(filter, 1)).toEqual(all);
    const everyone = people.map((p) => p.id);
    expect(await collect(undefined, 250, everyone[1234])).toEqual(everyone.slice(1235));
    expect(await collect(undefined, 250, 'user99999')).toEqual([]);
  });

  it('returns every account exactly once while accounts are inserted concurrently', async () => {
    const before = new Set(people.map((p) => p.id));
    let stop = false;
    let inserted = 0;
    const writer = (async () => {
      // IDs that sort between and after the existing ones, so they land both behind and ahead of the cursor.
      while (!stop && inserted < 600) {
        const batch = Array.from({ length: 20 }, (_, k) => {
          const n = inserted + k;
          return {
            userId:
              n % 2 === 0
                ? `user${String(n * 5).padStart(5, '0')}-new`
                : `user9${String(n).padStart(5, '0')}`,
          };
        });
        await s.pushline.accounts.import(app, batch);
        inserted += batch.length;
      }
    })();
    const seen: string[] = [];
    for await (const page of s.pushline.audience.iterate(app, undefined, { pageSize: 50 })) {
      expect(page.length).toBeLessThanOrEqual(50);
      seen.push(...page);
      // Give the writer a turn between pages.
      await new Promise((r) => setImmediate(r));
    }
    stop = true;
    await writer;
    expect(inserted).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]! < seen[i]!).toBe(true);
    for (const id of before) expect(seen).toContain(id);
    expect(seen).not.toContain('zz-other');
  });
});
