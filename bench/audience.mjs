// Measures the audience query on a large app (default 1,000,000 accounts): COUNT, a full cursor-paged
// iteration per condition kind (time, pages, largest page, heap growth) and the query plan of one page.
// A measurement script, not a test. Build first (`npx tsc -b`), then:
//
//   node bench/audience.mjs --db sqlite:/tmp/audience.db [--accounts 1000000] [--page 1000]
//   node bench/audience.mjs --db postgres://postgres@127.0.0.1:5432/audience_bench
//
// The database is filled on first use (accounts user0000000.., tags and attributes by residue) and reused.
import { parseArgs } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import { resolveCondition } from '../packages/server/dist/audience/condition.js';
import { AudienceQuery } from '../packages/server/dist/audience/query.js';
import { openDatabase } from '../packages/server/dist/store/db.js';
import { migrateToLatest } from '../packages/server/dist/store/migrate.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite:/tmp/pushline-audience-bench.db' },
    accounts: { type: 'string', default: '1000000' },
    page: { type: 'string', default: '1000' },
  },
});
const N = Number(values.accounts);
const PAGE = Number(values.page);
const APP = 1400000001;

const opened = openDatabase(values.db);
const { db, kind } = opened;
await migrateToLatest(db);

async function fill() {
  const have = await db
    .selectFrom('accounts')
    .select(db.fn.countAll().as('n'))
    .where('sdkappid', '=', APP)
    .executeTakeFirst();
  if (Number(have?.n ?? 0) === N) return;
  console.log(`filling ${N} accounts on ${kind}...`);
  const t0 = performance.now();
  await db.deleteFrom('apps').where('sdkappid', '=', APP).execute();
  await db
    .insertInto('apps')
    .values({
      sdkappid: APP,
      name: 'bench',
      secret_key_enc: 'unused',
      admin_identifier: 'administrator',
      settings: '{}',
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  await db
    .insertInto('attr_names')
    .values([
      { sdkappid: APP, slot: 0, name: 'sex', updated_at: 0 },
      { sdkappid: APP, slot: 1, name: 'city', updated_at: 0 },
    ])
    .execute();
  // Numbers 0..N-1 generated inside the database: a recursive CTE on SQLite, generate_series on PostgreSQL.
  const series =
    kind === 'sqlite'
      ? sql`with recursive s(i) as (select 0 union all select i + 1 from s where i < ${N - 1}) `
      : sql``;
  const from = kind === 'sqlite' ? sql`from s` : sql`from generate_series(0, ${N - 1}) as s(i)`;
  const uid =
    kind === 'sqlite' ? sql`'user' || substr('0000000' || i, -7, 7)` : sql`'user' || lpad(i::text, 7, '0')`;
  const run = (q) => q.execute(db);
  await run(
    sql`${series}insert into accounts (sdkappid, user_id, nick, face_url, created_at) select ${APP}, ${uid}, '', '', 0 ${from}`,
  );
  // Tags: half (every 2nd), tenth (every 10th), hundredth, rare (every 10,000th).
  for (const [tag, every] of [
    ['half', 2],
    ['tenth', 10],
    ['hundredth', 100],
    ['rare', 10000],
  ]) {
    await run(
      sql`${series}insert into user_tags (sdkappid, user_id, tag, created_at) select ${APP}, ${uid}, ${tag}, 0 ${from} where i % ${every} = 0`,
    );
  }
  // Attributes: sex = i % 2 ("m"/"f"), city = "c" || i % 10.
  await run(
    sql`${series}insert into user_attrs (sdkappid, user_id, slot, value, updated_at) select ${APP}, ${uid}, 0, case when i % 2 = 0 then 'm' else 'f' end, 0 ${from}`,
  );
  await run(
    sql`${series}insert into user_attrs (sdkappid, user_id, slot, value, updated_at) select ${APP}, ${uid}, 1, 'c' || (i % 10), 0 ${from}`,
  );
  // Statistics for the planner; on PostgreSQL also the visibility map, so index-only scans skip the heap
  // (autovacuum does both on a live server).
  await run(kind === 'postgres' ? sql`vacuum analyze` : sql`analyze`);
  console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
await fill();

const slots = new Map([
  ['sex', 0],
  ['city', 1],
]);
const conditions = [
  ['all accounts', undefined],
  ['TagsAnd [half]', { TagsAnd: ['half'] }],
  ['TagsAnd [tenth, half]', { TagsAnd: ['tenth', 'half'] }],
  ['TagsAnd [rare]', { TagsAnd: ['rare'] }],
  ['TagsOr [tenth, hundredth]', { TagsOr: ['tenth', 'hundredth'] }],
  ['TagsOr [rare, hundredth]', { TagsOr: ['rare', 'hundredth'] }],
  ['TagsAnd [half] + TagsOr [tenth, rare]', { TagsAnd: ['half'], TagsOr: ['tenth', 'rare'] }],
  ['AttrsAnd {city: c3}', { AttrsAnd: { city: 'c3' } }],
  ['AttrsAnd {sex: m, city: c4}', { AttrsAnd: { sex: 'm', city: 'c4' } }],
  ['AttrsOr {sex: m, city: c3}', { AttrsOr: { sex: 'm', city: 'c3' } }],
];

const audience = new AudienceQuery(db);

async function plan(filter) {
  const q = audience.pageSql(APP, filter, 'user0500000', PAGE);
  const prefix = kind === 'sqlite' ? 'explain query plan ' : 'explain (analyze, costs off, timing off) ';
  const r = await db.executeQuery(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
  return r.rows.map((row) => (kind === 'sqlite' ? `  ${row.detail}` : `  ${row['QUERY PLAN']}`)).join('\n');
}

const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;
const mb = (b) => `${(b / 1048576).toFixed(1)} MiB`;
console.log(`\n${kind}, ${N} accounts, page size ${PAGE}, node ${process.version}\n`);
for (const [name, condition] of conditions) {
  const filter = resolveCondition(condition, slots);
  let t = performance.now();
  const count = await audience.count(APP, filter);
  const countTime = ms(t);
  t = performance.now();
  await audience.page(APP, filter, 'user0500000', PAGE);
  const midPage = ms(t);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  let pages = 0;
  let total = 0;
  let largest = 0;
  t = performance.now();
  for await (const page of audience.iterate(APP, filter, { pageSize: PAGE })) {
    pages++;
    total += page.length;
    largest = Math.max(largest, page.length);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const iterTime = ms(t);
  if (total !== count) throw new Error(`${name}: iterated ${total} but COUNT says ${count}`);
  console.log(
    `${name}: ${count} users | count ${countTime} | one page at the middle ${midPage} | full iteration ${iterTime}, ${pages} pages, largest ${largest}, heap growth peak ${mb(peak - heap0)}`,
  );
  console.log(await plan(filter));
}
await opened.close();
