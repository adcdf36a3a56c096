import type { Kysely } from 'kysely';

// Per-app daily operation counters for openconfigsvr/getappinfo (apps/daily-stats.ts). `day` is the UTC
// date as YYYYMMDD. app_daily_counters holds sums (logins, messages up and down); app_daily_actors holds who
// did something that day, one row per (activity, actor), so that "how many users logged in" counts each user
// once however many nodes saw them.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_daily_counters')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_daily_counters_pk', ['sdkappid', 'day', 'metric'])
    .execute();
  await db.schema
    .createTable('app_daily_actors')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_daily_actors_pk', ['sdkappid', 'day', 'activity', 'actor'])
    .execute();
  await db.schema.createIndex('app_daily_actors_by_day').on('app_daily_actors').column('day').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('app_daily_actors').execute();
  await db.schema.dropTable('app_daily_counters').execute();
}
