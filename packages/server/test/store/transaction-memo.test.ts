// Rows read once per transaction (src/store/transaction-memo.ts): a group commit's sends share their reads of
// a certificate and of the app's display name, a certificate write in the same transaction is seen by the
// reads after it, and nothing is kept outside a transaction or from one transaction to the next. SQLite and
// PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_MEMO_PREFIX, AppsService } from '../../src/apps/apps.js';
import { SecretBox } from '../../src/auth/secret-box.js';
import { CertificateStore } from '../../src/certificates/store.js';
import type { OpenedDatabase } from '../../src/store/db.js';
import { memoized } from '../../src/store/transaction-memo.js';
import { testBackends } from '../helpers/databases.js';
import { sqlQueueStorage } from '../helpers/queue-storage.js';

const backends = await testBackends();

describe.each(backends)('reads remembered within a transaction on %s', (backend) => {
  let storage: Awaited<ReturnType<typeof sqlQueueStorage>>;
  let database: OpenedDatabase;
  const secrets = new SecretBox(Buffer.alloc(32, 3));
  let sdkAppId: number;
  let certificateId: number;

  beforeAll(async () => {
    storage = await sqlQueueStorage(backend);
    database = await storage.open();
    sdkAppId = (await new AppsService(database.db, secrets).create({ name: 'memo' })).sdkAppId;
    const created = await new CertificateStore(database.db, secrets).create({
      sdkAppId,
      vendor: 'apns',
      kind: 'alert',
      name: 'before',
      environment: 'production',
      appIdentifier: 'com.example.memo',
      secrets: { p8: 'not used here' },
    });
    certificateId = created.id;
  });
  afterAll(async () => {
    await storage?.drop();
  });

  /** Renames the certificate behind the store's back (a write the memo cannot know of). */
  const renameDirectly = (db: OpenedDatabase['db'], name: string) =>
    db.updateTable('certificates').set({ name }).where('id', '=', certificateId).execute();

  it('reads a certificate once per transaction, and again after a write of the store in it', async () => {
    await database.db.transaction().execute(async (trx) => {
      const store = new CertificateStore(trx, secrets);
      const first = await store.get(sdkAppId, certificateId);
      expect(first).toMatchObject({ name: 'before', status: 'active' });
      await renameDirectly(trx, 'renamed');
      // Remembered: the same object, shared (and frozen against changes by one of its readers).
      const second = await store.get(sdkAppId, certificateId);
      expect(second).toBe(first);
      expect(Object.isFrozen(second)).toBe(true);
      // Another store on the same transaction shares the memo (each send builds its own store).
      expect(await new CertificateStore(trx, secrets).get(sdkAppId, certificateId)).toBe(first);
      // A settlement pausing the certificate in the same transaction: the next read sees it.
      await new CertificateStore(trx, secrets).setStatus(sdkAppId, certificateId, 'paused', 'refused');
      expect(await store.get(sdkAppId, certificateId)).toMatchObject({
        name: 'renamed',
        status: 'paused',
        pausedMode: 'hold',
      });
    });
    await new CertificateStore(database.db, secrets).setStatus(sdkAppId, certificateId, 'active', null);
  });

  it('keeps nothing outside a transaction, nor from one transaction to the next', async () => {
    const store = new CertificateStore(database.db, secrets);
    await renameDirectly(database.db, 'one');
    expect(await store.get(sdkAppId, certificateId)).toMatchObject({ name: 'one' });
    await renameDirectly(database.db, 'two');
    expect(await store.get(sdkAppId, certificateId)).toMatchObject({ name: 'two' });
    expect(Object.isFrozen(await store.get(sdkAppId, certificateId))).toBe(false);

    await database.db.transaction().execute(async (trx) => {
      expect(await new CertificateStore(trx, secrets).get(sdkAppId, certificateId)).toMatchObject({
        name: 'two',
      });
    });
    await renameDirectly(database.db, 'three');
    await database.db.transaction().execute(async (trx) => {
      expect(await new CertificateStore(trx, secrets).get(sdkAppId, certificateId)).toMatchObject({
        name: 'three',
      });
    });
  });

  it('does not remember a failed read', async () => {
    await database.db.transaction().execute(async (trx) => {
      await expect(memoized(trx, 'k', () => Promise.reject(new Error('read failed')))).rejects.toThrow(
        'read failed',
      );
      expect(await memoized(trx, 'k', async () => 'read again')).toBe('read again');
      expect(await memoized(trx, 'k', async () => 'not read')).toBe('read again');
    });
  });

  it('forgets what it read of an app when the app is written in the same transaction', async () => {
    await database.db.transaction().execute(async (trx) => {
      // How the push engine reads the app's display name (push/engine/device-pushes.ts).
      const read = () =>
        memoized(trx, `${APP_MEMO_PREFIX}${sdkAppId}:display-name`, async () => {
          const row = await trx
            .selectFrom('apps')
            .select('name')
            .where('sdkappid', '=', sdkAppId)
            .executeTakeFirstOrThrow();
          return row.name;
        });
      expect(await read()).toBe('memo');
      await trx
        .updateTable('apps')
        .set({ name: 'behind its back' })
        .where('sdkappid', '=', sdkAppId)
        .execute();
      expect(await read()).toBe('memo');
      await new AppsService(trx, secrets).update(sdkAppId, { name: 'renamed' });
      expect(await read()).toBe('renamed');
    });
  });
});
