// A cluster upgraded one node at a time (push/dispatch/nodes.ts checkVersions): while a node of an earlier
// version — one whose `push_nodes` row leaves `reads_packed_jobs` at its default — is alive, the others do not
// write packed queue rows it would take for single jobs; once it is gone, they do. Likewise, while a node that
// reads only format 1 (arrays of tasks) is alive, packed rows are written in that format.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { NodeLiveness, PACK_FORMAT } from '../../../src/push/dispatch/nodes.js';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import { testBackends } from '../../helpers/databases.js';
import { FakeClock } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';

const backends = await testBackends();

describe.each(backends)('node versions on %s', (backend) => {
  it('packs no jobs while a live node of an earlier version is in the cluster', async () => {
    const storage = await sqlQueueStorage(backend);
    const clock = new FakeClock();
    try {
      const { db } = await storage.open();
      const liveness = new NodeLiveness(db, new SqlPushQueue(db, { now: clock.now }), {
        nodeId: 'new-node',
        timeoutMs: 30_000,
        log: pino({ level: 'silent' }),
        now: clock.now,
      });
      expect(liveness.packedJobsReadable).toBe(false); // not started: nothing known yet
      /** Another node's heartbeat; without `reads`, an earlier version's (it names only the columns it knows). */
      const heartbeat = (node: string, reads?: number) =>
        db
          .insertInto('push_nodes')
          .values({
            node_id: node,
            started_at: clock.ms,
            alive_until: clock.ms + 30_000,
            ...(reads === undefined ? {} : { reads_packed_jobs: reads }),
          })
          .execute();
      await heartbeat('old-node');
      await liveness.start();
      expect(liveness.packedJobsReadable).toBe(false);
      const mine = await db
        .selectFrom('push_nodes')
        .select('reads_packed_jobs')
        .where('node_id', '=', 'new-node')
        .executeTakeFirstOrThrow();
      expect(mine.reads_packed_jobs).toBe(PACK_FORMAT);
      expect(liveness.packFormat).toBe(0);

      // Another node of this version does not hold packing back.
      await heartbeat('other-new', PACK_FORMAT);
      expect(await liveness.checkVersions()).toBe(false);

      // The old node stops (its row expires and is swept): packing resumes.
      clock.advance(30_001);
      await db
        .updateTable('push_nodes')
        .set({ alive_until: clock.ms + 30_000 })
        .where('node_id', '=', 'other-new')
        .execute();
      expect(await liveness.sweep()).toBe(1);
      expect(await liveness.checkVersions()).toBe(true);
      expect(liveness.packedJobsReadable).toBe(true);
      expect(liveness.packFormat).toBe(PACK_FORMAT);

      // A node of the version that reads arrays of tasks only: packed rows in that format while it lives.
      await heartbeat('arrays-only', 1);
      expect(await liveness.checkVersions()).toBe(true);
      expect(liveness.packFormat).toBe(1);
      await db.deleteFrom('push_nodes').where('node_id', '=', 'arrays-only').execute();
      await liveness.checkVersions();
      expect(liveness.packFormat).toBe(2);
      await liveness.stop();
    } finally {
      await storage.drop();
    }
  });
});
