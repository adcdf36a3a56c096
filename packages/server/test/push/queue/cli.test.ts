// `pushline queue ...` as an operator runs it: a real process on the same database as a queue with dead
// letters, on SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import { assertBuilt, pushline } from '../../helpers/cli.js';
import { testBackends } from '../../helpers/databases.js';
import { APP, makeTask, OTHER_APP } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';

const backends = await testBackends();

describe.each(backends)('pushline queue CLI on %s', (backend) => {
  it('shows counts, lists dead letters without tokens, requeues and purges them per app', async () => {
    assertBuilt();
    const storage = await sqlQueueStorage(backend);
    const dataDir = mkdtempSync(join(tmpdir(), 'pushline-queue-cli-'));
    try {
      const queue = new SqlPushQueue((await storage.open()).db);
      await queue.enqueue([
        makeTask(1),
        makeTask(2),
        makeTask(3, { certificateId: 8 }),
        makeTask(4, { sdkAppId: OTHER_APP }),
      ]);
      const jobs = await queue.lease(10, 60_000);
      await queue.deadLetter(
        jobs.map((job) => ({ job, error: 'gave up after 8 attempts', lastAnswer: '503' })),
      );
      await storage.closeAll();
      const run = (...args: string[]) => pushline(['queue', ...args, '--db', storage.url, '--data', dataDir]);

      const stats = await run('stats', '--json');
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout)).toMatchObject({ ready: 0, dead: 4 });

      const page = await run('dead', '--app', String(APP), '--limit', '2', '--json');
      expect(page.code).toBe(0);
      const listed = JSON.parse(page.stdout) as { jobs: { id: string; pushId: string }[]; next?: string };
      expect(listed.jobs.map((j) => j.pushId)).toEqual(['push-1', 'push-2']);
      expect(listed.jobs[0]).toMatchObject({
        attempts: 1,
        lastAnswer: '503',
        vendor: 'fcm',
        certificateId: 7,
      });
      expect(listed.next).toBeDefined();
      expect(page.stdout).not.toContain('token-');
      const text = await run('dead', '--app', String(OTHER_APP));
      expect(text.stdout).toContain('push-4');
      expect(text.stdout).not.toContain('push-1');

      const refused = await run('requeue', '--app', String(APP));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('give --id <id...> or --all');
      const badId = await run('purge', '--app', String(APP), '--id', 'x1');
      expect(badId.code).toBe(1);
      expect(badId.stderr).toContain('--id must be job IDs');

      const requeued = await run('requeue', '--app', String(APP), '--id', listed.jobs[0]!.id);
      expect(requeued.stdout).toBe('requeued 1 dead letter\n');
      // Another app's ID does nothing.
      expect((await run('purge', '--app', String(OTHER_APP), '--id', listed.jobs[1]!.id)).stdout).toBe(
        'deleted 0 dead letters\n',
      );
      expect((await run('purge', '--app', String(APP), '--certificate', '8', '--all')).stdout).toBe(
        'deleted 1 dead letter\n',
      );
      const after = JSON.parse((await run('stats', '--app', String(APP), '--json')).stdout);
      expect(after).toMatchObject({ ready: 1, dead: 1 });
    } finally {
      await storage.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000); // ten CLI processes, each starting Node and opening the database
});
