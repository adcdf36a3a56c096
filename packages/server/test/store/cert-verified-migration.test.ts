// Migration 0062_cert_verified on a database of the release before it: a certificate with a push a vendor
// accepted (a `sent` event in its traces) becomes verified at the first such push; one without stays
// untested; another app's traces of the same certificate ID count for nothing.
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, pushlineMigrator } from '../../src/store/migrate.js';
import { appRow, type Backend, emptyDatabases, testBackends } from '../helpers/databases.js';

const backends = await testBackends();

describe.each(backends)('migration 0062_cert_verified on %s', (backend: Backend) => {
  const newDatabase = emptyDatabases(backend);

  it('verifies certificates from the first accepted push on record, and only those', async () => {
    const opened = await newDatabase();
    // biome-ignore lint/suspicious/noExplicitAny: the schema of the release before, not the current one
    const db = opened.db as Kysely<any>;
    const before = await pushlineMigrator(db).migrateTo('0060_history');
    expect(before.error).toBeUndefined();

    await db
      .insertInto('apps')
      .values([appRow(1_600_000_001), appRow(1_600_000_002)])
      .execute();
    const cert = (sdkappid: number, name: string) => ({
      sdkappid,
      vendor: 'meizu',
      kind: 'alert',
      name,
      app_identifier: '1',
      secrets_enc: 'sealed',
      created_at: 1,
      updated_at: 1,
    });
    const [used, unused] = await db
      .insertInto('certificates')
      .values([cert(1_600_000_001, 'used'), cert(1_600_000_001, 'unused')])
      .returning('id')
      .execute();
    const trace = (pushId: string, sdkappid: number, certificateId: number) => ({
      push_id: pushId,
      sdkappid,
      kind: 'c2c',
      to_user: 'bob',
      vendor: 'meizu',
      certificate_id: certificateId,
      created_at: 1,
    });
    await db
      .insertInto('push_traces')
      .values([
        trace('p1', 1_600_000_001, used.id),
        trace('p2', 1_600_000_001, used.id),
        trace('p3', 1_600_000_001, unused.id),
        // Another app's trace naming the unused certificate's ID.
        trace('p4', 1_600_000_002, unused.id),
      ])
      .execute();
    const event = (pushId: string, stage: string, at: number) => ({ push_id: pushId, stage, at });
    await db
      .insertInto('push_trace_events')
      .values([
        event('p1', 'retry', 1_000),
        event('p1', 'sent', 2_000),
        event('p2', 'sent', 1_500),
        event('p3', 'invalid-token', 3_000),
        event('p4', 'sent', 4_000),
      ])
      .execute();

    const results = await migrateToLatest(opened.db);
    expect(results.map((r) => r.migrationName)).toContain('0062_cert_verified');
    const rows = await db.selectFrom('certificates').select(['name', 'verified_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.name, r.verified_at === null ? null : Number(r.verified_at)])).toEqual([
      ['used', 1_500],
      ['unused', null],
    ]);
  });
});
