// The audience of an all-member/tag/attribute push as SQL, paged by a stable cursor: user IDs in ascending
// order, each page `user_id > <last ID of the previous page> ORDER BY user_id LIMIT n` (keyset paging, never
// OFFSET). Every page starts an index range scan at the cursor, so a page costs about the same at the start
// and at the end of a million accounts, a whole push takes time about linear in the index entries it touches,
// and the caller holds at most one page of IDs at a time.
//
// The query starts ("drives") from the narrowest index the filter allows: the members of the first TagsAnd tag
// (user_tags_by_tag), else the holders of the first AttrsAnd value (user_attrs_by_value), else the app's
// accounts (primary key); the other conditions are EXISTS probes on the per-user primary keys. An Or-only
// condition (TagsOr alone, AttrsOr alone) is the UNION of one range per tag or value, each cut at the page
// size. Tag and attribute rows always belong to an existing account (foreign keys), so no page needs a join.
// Measured on 1,000,000 accounts with bench/audience.mjs (see docs/all-member-push.md).
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { isSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { AttrMatch, AudienceFilter } from './condition.js';

export interface IterateOptions {
  /** IDs per page (default 1000). */
  pageSize?: number;
  /** Resume after this user ID (a saved cursor). */
  after?: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 1000;

/** A single-element Or is the same as an And: drive from its index. */
function simplify(f: AudienceFilter): AudienceFilter {
  const out = { ...f };
  if (out.tagsAnd.length === 0 && out.tagsOr.length === 1) {
    out.tagsAnd = out.tagsOr;
    out.tagsOr = [];
  }
  if (out.attrsAnd.length === 0 && out.attrsOr.length === 1) {
    out.attrsAnd = out.attrsOr;
    out.attrsOr = [];
  }
  return out;
}

function attrPair(alias: string, m: AttrMatch): RawBuilder<unknown> {
  return sql`(${sql.ref(`${alias}.slot`)} = ${m.slot} and ${sql.ref(`${alias}.value`)} = ${m.value})`;
}

/** One index range of users: `d.user_id` is the user. */
interface Source {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>[];
}

/**
 * The audience as one source, or as several sources whose union is the audience (an Or-only condition: the
 * holders of tag A, of tag B...). A union page reads at most `limit` IDs from each source's index, so a page
 * costs the same however rare or common the tags are.
 */
function plan(
  sdkAppId: number,
  filter: AudienceFilter | undefined,
  after: string | undefined,
  cursorInProbes: boolean,
): Source[] {
  const f = filter ? simplify(filter) : undefined;
  const app =
    after === undefined
      ? sql`d.sdkappid = ${sdkAppId}`
      : sql`d.sdkappid = ${sdkAppId} and d.user_id > ${after}`;
  // On PostgreSQL the cursor is repeated inside every probe: the planner may turn a probe into a merge
  // semi-join, which without it rescans the probed index from its start on every page (quadratic over a push).
  // Not on SQLite: there the extra range makes the planner give up the point lookup (measured: 78 s instead of
  // 0.8 s for AttrsAnd of two values on 1M accounts).
  const probeAfter = (alias: string) =>
    after === undefined || !cursorInProbes ? sql`` : sql` and ${sql.ref(`${alias}.user_id`)} > ${after}`;
  const noAnd = f && f.tagsAnd.length === 0 && f.attrsAnd.length === 0;
  if (f && noAnd && f.attrsOr.length === 0 && f.tagsOr.length > 1) {
    return f.tagsOr.map((tag) => ({ from: sql`user_tags d`, where: [app, sql`d.tag = ${tag}`] }));
  }
  if (f && noAnd && f.tagsOr.length === 0 && f.attrsOr.length > 1) {
    return f.attrsOr.map((m) => ({ from: sql`user_attrs d`, where: [app, attrPair('d', m)] }));
  }
  const where: RawBuilder<unknown>[] = [app];
  let from: RawBuilder<unknown> = sql`accounts d`;
  let tagsAnd = f?.tagsAnd ?? [];
  let attrsAnd = f?.attrsAnd ?? [];
  const [firstTag] = tagsAnd;
  const [firstAttr] = attrsAnd;
  if (firstTag !== undefined) {
    from = sql`user_tags d`;
    where.push(sql`d.tag = ${firstTag}`);
    tagsAnd = tagsAnd.slice(1);
  } else if (firstAttr !== undefined) {
    from = sql`user_attrs d`;
    where.push(attrPair('d', firstAttr));
    attrsAnd = attrsAnd.slice(1);
  }
  const tagProbe = (test: RawBuilder<unknown>) =>
    sql`exists (select 1 from user_tags t where t.sdkappid = ${sdkAppId} and t.user_id = d.user_id${probeAfter('t')} and ${test})`;
  const attrProbe = (test: RawBuilder<unknown>) =>
    sql`exists (select 1 from user_attrs v where v.sdkappid = ${sdkAppId} and v.user_id = d.user_id${probeAfter('v')} and ${test})`;
  for (const tag of tagsAnd) where.push(tagProbe(sql`t.tag = ${tag}`));
  if (f && f.tagsOr.length > 0) where.push(tagProbe(sql`t.tag in (${sql.join(f.tagsOr)})`));
  for (const m of attrsAnd) where.push(attrProbe(attrPair('v', m)));
  if (f && f.attrsOr.length > 0) {
    // One primary-key probe per value, OR-ed. (A single probe with the OR inside lets SQLite pick the value
    // index and scan every holder of the value for each user: seconds instead of milliseconds.)
    where.push(
      sql`(${sql.join(
        f.attrsOr.map((m) => attrProbe(attrPair('v', m))),
        sql` or `,
      )})`,
    );
  }
  return [{ from, where }];
}

function sourcePage(source: Source, limit: number): RawBuilder<{ user_id: string }> {
  return sql`select d.user_id from ${source.from} where ${sql.join(source.where, sql` and `)} order by d.user_id limit ${limit}`;
}

function sourceAll(source: Source): RawBuilder<unknown> {
  return sql`select d.user_id from ${source.from} where ${sql.join(source.where, sql` and `)}`;
}

function pageQuery(sources: Source[], limit: number): RawBuilder<{ user_id: string }> {
  const [only] = sources;
  if (sources.length === 1 && only) return sourcePage(only, limit);
  // Compound members cannot carry ORDER BY/LIMIT on SQLite: wrap each in a derived table.
  const branches = sources.map(
    (s, i) => sql`select user_id from (${sourcePage(s, limit)}) as ${sql.raw(`b${i}`)}`,
  );
  return sql`select user_id from (${sql.join(branches, sql` union `)}) as u order by user_id limit ${limit}`;
}

function countQuery(sources: Source[]): RawBuilder<{ n: number | string }> {
  const [only] = sources;
  if (sources.length === 1 && only) {
    return sql`select count(*) as n from ${only.from} where ${sql.join(only.where, sql` and `)}`;
  }
  return sql`select count(*) as n from (${sql.join(sources.map(sourceAll), sql` union `)}) as u`;
}

export class AudienceQuery {
  private readonly cursorInProbes: boolean;

  /** `reads`: where count() runs — on SQLite, off the main thread (store/read-worker.ts); default `db`. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly reads: Kysely<Database> = db,
  ) {
    this.cursorInProbes = !isSqlite(db);
  }

  /** Up to `limit` user IDs of the audience after `after`, ascending. */
  async page(
    sdkAppId: number,
    filter: AudienceFilter | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<string[]> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`page size must be a positive integer, got ${limit}`);
    const result = await this.db.executeQuery(this.pageSql(sdkAppId, filter, after, limit));
    return result.rows.map((r) => r.user_id);
  }

  /**
   * Pages through the audience. Each yielded page holds at most `pageSize` IDs and only that page is in
   * memory; its last ID is the cursor to resume after. Accounts added while iterating appear if their ID
   * sorts after the current cursor; no ID is ever yielded twice.
   */
  async *iterate(
    sdkAppId: number,
    filter: AudienceFilter | undefined,
    opts: IterateOptions = {},
  ): AsyncGenerator<string[], void, undefined> {
    const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    let cursor = opts.after;
    for (;;) {
      const page = await this.page(sdkAppId, filter, cursor, pageSize);
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      cursor = page[page.length - 1];
    }
  }

  /** How many accounts match now (one COUNT over the same indexes the pages use). */
  async count(sdkAppId: number, filter: AudienceFilter | undefined): Promise<number> {
    const result = await countQuery(plan(sdkAppId, filter, undefined, this.cursorInProbes)).execute(
      this.reads,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  /** The SQL and parameters of one page, for EXPLAIN (bench/audience.mjs). */
  pageSql(sdkAppId: number, filter: AudienceFilter | undefined, after: string | undefined, limit: number) {
    return pageQuery(plan(sdkAppId, filter, after, this.cursorInProbes), limit).compile(this.db);
  }
}
