// Migration 0057_callbacks on a database of the release before it: apps created then get a callback token
// (their callbacks are signed from now on), settings they had are kept, and the webhook outbox rows waiting
// then still go out as {"Events": [...]} batches.
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, pushlineMigrator } from '../../src/store/migrate.js';
import { appRow, type Backend, emptyDatabases, testBackends } from '../helpers/databases.js';

const backends = await testBackends();

describe.each(backends)('migration 0057_callbacks on %s', (backend: Backend) => {
  const newDatabase = emptyDatabases(backend);

  it('gives existing apps a callback token and keeps waiting webhook batches batched', async () => {
    const opened = await newDatabase();
    // biome-ignore lint/suspicious/noExplicitAny: the schema of the release before, not the current one
    const db = opened.db as Kysely<any>;
    const migrator = pushlineMigrator(db);
    const before = await migrator.migrateTo('0056_certificate_pause_mode');
    expect(before.error).toBeUndefined();

    await db
      .insertInto('apps')
      .values([
        appRow(
          1_600_000_001,
          JSON.stringify({ callbackUrl: 'https://backend.example.com/im', dndEnabled: false }),
        ),
        appRow(1_600_000_002, JSON.stringify({ callbackUrl: '', callbackToken: 'kept-token' })),
      ])
      .execute();
    await db
      .insertInto('push_webhook_outbox')
      .values({
        sdkappid: 1_600_000_001,
        command: 'Push.OfflinePush',
        events: '[{"PushID":"p1"}]',
        event_count: 1,
        attempts: 2,
        next_at: 1,
        created_at: 1,
        last_error: 'HTTP 503',
      })
      .execute();

    const results = await migrateToLatest(opened.db);
    expect(results.map((r) => r.migrationName)).toContain('0057_callbacks');

    const apps = await db.selectFrom('apps').select(['sdkappid', 'settings']).orderBy('sdkappid').execute();
    const settings = apps.map((a) => JSON.parse(a.settings));
    expect(settings[0]).toEqual({
      callbackUrl: 'https://backend.example.com/im',
      dndEnabled: false,
      callbackToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(settings[1]).toEqual({ callbackUrl: '', callbackToken: 'kept-token' });
    const waiting = await db
      .selectFrom('push_webhook_outbox')
      .select(['batched', 'query', 'attempts'])
      .execute();
    expect(waiting).toEqual([{ batched: 1, query: null, attempts: 2 }]);
  });
});
