// Which of a batch's messages were recalled (messaging/recall.ts recalledMessages, read by the dispatcher for
// every batch of chat pushes): the right rows on both databases, and on SQLite through the index of recalled
// messages alone (migration 0073), so that the messages that were not recalled — nearly all — are never read.
import { CompiledQuery } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { recalledMessages } from '../../src/messaging/recall.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { appRow, type Backend, emptyDatabases, testBackends } from '../helpers/databases.js';

const backends = await testBackends();
const APP = 1_600_000_073;

describe.each(backends)('recalled messages on %s', (backend: Backend) => {
  const newDatabase = emptyDatabases(backend);

  it('finds the recalled copies among the keys, reading only the index of recalled messages', async () => {
    const opened = await newDatabase();
    const db = opened.db;
    expect((await migrateToLatest(db)).every((r) => r.status === 'Success')).toBe(true);
    await db.insertInto('apps').values(appRow(APP)).execute();
    // A batch C2C send: one MsgKey, a row per receiver; only bob's copy is recalled. Another key recalled,
    // a third not.
    const message = (key: string, to: string, recalled: boolean, i: number) => ({
      sdkappid: APP,
      kind: 'c2c',
      from_account: 'sam',
      to_account: to,
      msg_seq: i,
      msg_random: i,
      msg_time: 1,
      msg_key: key,
      dedup_key: `${key}-${to}`,
      body: '[]',
      source: 'rest',
      expires_at: Number.MAX_SAFE_INTEGER,
      created_at: 1,
      version: 1,
      recalled_at: recalled ? 2 : null,
    });
    await db
      .insertInto('messages')
      .values([
        message('k-batch', 'alice', false, 1),
        message('k-batch', 'bob', true, 2),
        message('k-recalled', 'carol', true, 3),
        message('k-kept', 'dave', false, 4),
      ])
      .execute();

    const spy = vi.spyOn(db, 'executeQuery');
    const rows = await recalledMessages(db, APP, ['k-batch', 'k-recalled', 'k-kept', 'k-unknown']);
    expect(rows.map((r) => `${r.msg_key}/${r.to_account}`).sort()).toEqual([
      'k-batch/bob',
      'k-recalled/carol',
    ]);
    expect(await recalledMessages(db, APP + 1, ['k-batch', 'k-recalled'])).toEqual([]);

    if (backend === 'sqlite') {
      const asked = spy.mock.calls[0]![0] as CompiledQuery;
      const plan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${asked.sql}`, [...asked.parameters]),
      );
      expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(/USING INDEX messages_recalled \(/);
    }
    spy.mockRestore();
  });
});
