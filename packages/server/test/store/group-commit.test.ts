// When the group commit (src/store/group-commit.ts) starts a batch: at once on a quiet server, and under load
// after a short wait that lets work arriving a moment later share the commit. The sends' own guarantees
// (answers, isolation, order) are covered by test/messaging/group-commit.test.ts.
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Transaction } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/group-commit.js';
import type { Database } from '../../src/store/schema.js';
import { sqlQueueStorage } from '../helpers/queue-storage.js';

const storages: Awaited<ReturnType<typeof sqlQueueStorage>>[] = [];
afterEach(async () => {
  for (const s of storages.splice(0)) await s.drop();
});

/**
 * Under load a batch waits 200 ms here (1 ms in the server), so the test does not race the timer; `busyWithinMs`
 * is how recent the last commit must be for the server to count as under load (5 ms in the server: a slow or
 * busy test machine could take longer between two lines of a test).
 */
async function groupCommit(busyWithinMs?: number) {
  const storage = await sqlQueueStorage('sqlite');
  storages.push(storage);
  return new GroupCommit((await storage.open()).db, {
    gatherMs: 200,
    ...(busyWithinMs !== undefined ? { busyWithinMs } : {}),
  });
}

/** Work that records which transaction it ran in. */
const recordInto = (seen: Transaction<Database>[]) => async (trx: Transaction<Database>) => {
  seen.push(trx);
};

describe('group commit timing', () => {
  it('starts a lone batch on a quiet server without waiting', async () => {
    const commits = await groupCommit();
    const seen: Transaction<Database>[] = [];
    const first = commits.run(recordInto(seen));
    // Work queued two turns later is not waited for: the first batch has already run.
    await nextTurn();
    await nextTurn();
    const second = commits.run(recordInto(seen));
    await Promise.all([first, second]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('under load, lets work arriving a moment after a batch opens share its commit', async () => {
    const commits = await groupCommit(60_000);
    await commits.run(async () => {}); // a batch just committed: the server is busy
    await nextTurn();
    const seen: Transaction<Database>[] = [];
    const first = commits.run(recordInto(seen));
    await sleep(20);
    expect(seen).toHaveLength(0); // waiting for more
    const second = commits.run(recordInto(seen));
    await Promise.all([first, second]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });
});
