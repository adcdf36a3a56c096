// store/compiled.ts: a statement built once runs with new values exactly as the query builder would run it,
// on SQLite and PostgreSQL, and a statement whose text would depend on its values is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inList, listParam } from '../../src/store/bulk.js';
import { reuse } from '../../src/store/compiled.js';
import { isSqlite, openDatabase } from '../../src/store/db.js';
import { createPostgresDatabase, testBackends } from '../helpers/databases.js';

const backends = await testBackends();

/** A table of the test's own (the statements under test need no schema of Pushline's). */
interface Scratch {
  scratch: { sdkappid: number; user_id: string; nick: string | null; created_at: number };
}

const insertAccount = reuse(
  (
    db: Kysely<Scratch>,
    row: { sdkappid: number; user_id: string; nick: string | null; created_at: number },
  ) => db.insertInto('scratch').values(row).returning(['user_id', 'nick']),
);
const accountsSince = reuse((db: Kysely<Scratch>, sdkAppId: number, since: number) =>
  db
    .selectFrom('scratch')
    .select(['user_id', 'nick'])
    .where('sdkappid', '=', sdkAppId)
    .where('created_at', '>=', since)
    .where('user_id', '!=', 'constant-admin') // a constant of the statement stays in place
    .orderBy('user_id'),
);

describe.each(backends)('statements built once on %s', (backend) => {
  let db: Kysely<Scratch>;
  let close: () => Promise<void>;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'pushline-compiled-')), 'db.sqlite')}`;
    if (backend === 'postgres') {
      const created = await createPostgresDatabase();
      url = created.url;
      drop = created.drop;
    }
    const opened = openDatabase(url);
    db = opened.db as unknown as Kysely<Scratch>;
    close = opened.close;
    await db.schema
      .createTable('scratch')
      .addColumn('sdkappid', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('nick', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  });
  afterAll(async () => {
    await close?.();
    await drop?.();
  });

  it('runs with each call’s values, rows and NULLs included, as the query builder does', async () => {
    const a = await insertAccount(db, { sdkappid: 1, user_id: 'ann', nick: 'Ann', created_at: 100 });
    expect(a.rows).toEqual([{ user_id: 'ann', nick: 'Ann' }]);
    const b = await insertAccount(db, { sdkappid: 1, user_id: 'bob', nick: null, created_at: 200 });
    expect(b.rows).toEqual([{ user_id: 'bob', nick: null }]);
    await insertAccount(db, { sdkappid: 2, user_id: 'cat', nick: 'Cat', created_at: 300 });
    await insertAccount(db, { sdkappid: 1, user_id: 'constant-admin', nick: null, created_at: 300 });

    const built = (sdkAppId: number, since: number) =>
      db
        .selectFrom('scratch')
        .select(['user_id', 'nick'])
        .where('sdkappid', '=', sdkAppId)
        .where('created_at', '>=', since)
        .where('user_id', '!=', 'constant-admin')
        .orderBy('user_id')
        .execute();
    for (const [app, since] of [
      [1, 0],
      [1, 150],
      [2, 0],
      [3, 0],
    ] as const) {
      expect((await accountsSince(db, app, since)).rows).toEqual(await built(app, since));
    }
    expect((await accountsSince(db, 1, 0)).rows.map((r) => r.user_id)).toEqual(['ann', 'bob']);
    // Inside a transaction too.
    await db.transaction().execute(async (trx) => {
      expect((await accountsSince(trx, 2, 0)).rows).toEqual([{ user_id: 'cat', nick: 'Cat' }]);
    });
  });

  it('takes a list of any length as one parameter (store/bulk.ts listParam, inList)', async () => {
    const seen: string[] = [];
    const nicks = reuse((db: Kysely<Scratch>, sdkAppId: number, users: unknown) => {
      const built = db
        .selectFrom('scratch')
        .select(['user_id', 'nick'])
        .where('sdkappid', '=', sdkAppId)
        .where(inList(isSqlite(db), 'user_id', users, 'text'))
        .orderBy('user_id');
      seen.push(built.compile().sql);
      return built;
    });
    const sqlite = isSqlite(db);
    const ids = (users: string[]) =>
      nicks(db, 1, listParam(sqlite, users)).then((r) => r.rows.map((x) => x.user_id));
    expect(await ids(['bob'])).toEqual(['bob']);
    expect(await ids(['bob', 'ann', 'nobody'])).toEqual(['ann', 'bob']);
    expect(await ids(['nobody'])).toEqual([]);
    // A value that looks like SQL or JSON is still one value.
    expect(await ids(['ann", "bob', "x' or 1=1 --"])).toEqual([]);
    expect(seen).toHaveLength(1); // built once, whatever the lists' lengths
    expect(await ids(['cat'])).toEqual([]); // another app's account
  });

  it('refuses a statement whose text would hold a value', async () => {
    const literal = reuse((db: Kysely<Scratch>, userId: string) =>
      db.selectFrom('scratch').select('user_id').where('user_id', '=', sql.lit(userId)),
    );
    await expect(async () => literal(db, 'ann')).rejects.toThrow(/each of its values/);
  });
});
