// store/bulk.ts withValues: rows reach the database intact whatever their text holds — on PostgreSQL as one
// array literal per column, built by arrayLiteral instead of the driver.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, withValues } from '../../src/store/bulk.js';
import { emptyDatabases, testBackends } from '../helpers/databases.js';

const backends = await testBackends();

/** Text an array literal must quote or escape: quotes, backslashes, braces, commas, blanks, "NULL", nothing. */
const NASTY = [
  'plain',
  'a "quoted" word',
  'back\\slash and \\"both\\"',
  '{braces},commas',
  '  spaces and\ttabs\nand lines  ',
  'NULL',
  'null',
  '',
  '中文 😀 é',
  '\\',
  '"',
];

describe('arrayLiteral', () => {
  it('quotes text, escapes quotes and backslashes, writes NULL and numbers bare', () => {
    expect(arrayLiteral([['a'], ['b"c'], ['d\\e'], [null], [undefined], [7], [2n ** 60n], ['']], 0)).toBe(
      '{"a","b\\"c","d\\\\e",NULL,NULL,7,1152921504606846976,""}',
    );
    expect(arrayLiteral([], 0)).toBe('{}');
  });

  it('refuses values that are neither text nor numbers', () => {
    expect(() => arrayLiteral([[{ an: 'object' }]], 0)).toThrow(/text and numbers, not object \(column 0\)/);
  });
});

describe.each(backends)('withValues on %s', (backend) => {
  const open = emptyDatabases(backend);

  it('stores every row as given, text of every kind included', async () => {
    const { db } = await open();
    await sql`create table bulk_rows (id bigint primary key, label text, n integer)`.execute(db);
    const rows = NASTY.map((label, i) => [i + 1, label, i % 3 === 0 ? null : i * 1000]);
    rows.push([2 ** 53 - 1, null, -5]);
    await withValues(
      db,
      {
        key: 'bulk_rows_test',
        text: (values) => `insert into bulk_rows (id, label, n) ${values}`,
        columnTypes: ['bigint', 'text', 'integer'],
      },
      3,
      rows,
    );
    const stored = await sql<{ id: string | number; label: string | null; n: number | null }>`
      select id, label, n from bulk_rows order by id`.execute(db);
    expect(stored.rows.map((r) => [Number(r.id), r.label, r.n])).toEqual(rows);
  });
});
