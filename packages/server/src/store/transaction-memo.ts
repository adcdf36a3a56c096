// Rows that every send of a group commit reads again, read once per transaction. On SQLite one transaction
// stores all the sends of a moment (store/group-commit.ts), and each send's pushes read the same certificate
// and app rows (push/engine/device-pushes.ts): at 1,000 sends/s two statements per message whose answer
// could only have changed by a write in the same transaction (no other writer runs meanwhile: SQLite has one
// connection, and the transaction reads one snapshot).
//
// Kept per Transaction object (a WeakMap: gone with the transaction), never for a database outside a
// transaction, where other writers commit between two reads. A writer of such rows in the same transaction
// calls `forget` (certificates/store.ts does, for every certificate write), so a later read sees the write;
// forgetting is always safe, including when the writer's savepoint is rolled back afterwards.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: works on any schema
type Db = Kysely<any>;

const memos = new WeakMap<Db, Map<string, Promise<unknown>>>();

/** `read()`, or within a transaction the value an earlier `read` of `key` in it gave. */
export function memoized<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return read();
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
  }
  const hit = memo.get(key);
  if (hit) return hit as Promise<T>;
  const value = read();
  memo.set(key, value);
  // A failed read is not remembered: the next reader tries again (and gets its own error).
  value.catch(() => {
    if (memo.get(key) === value) memo.delete(key);
  });
  return value;
}

/** Forgets, in `db`'s transaction, every value whose key starts with `prefix` (after a write to its rows). */
export function forget(db: Db, prefix: string): void {
  const memo = memos.get(db);
  if (!memo) return;
  for (const key of memo.keys()) if (key.startsWith(prefix)) memo.delete(key);
}
