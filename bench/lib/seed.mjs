// Bulk seeding straight into the database: an app, its certificates, and per vendor a block of users
// u<i> who each have one background (PushOnline) device with a push binding, i.e. the rows an SDK login +
// setOfflinePushConfig + doBackground would leave. Rows are generated inside the database (a recursive
// CTE on SQLite, generate_series on PostgreSQL), so a million devices take seconds, not a million logins.
import { sql } from 'kysely';
import { AppsService } from '../../packages/server/dist/apps/apps.js';
import { parseMasterKey, SecretBox } from '../../packages/server/dist/auth/secret-box.js';
import { CertificateStore } from '../../packages/server/dist/certificates/store.js';
import { validateCertificate } from '../../packages/server/dist/certificates/validate.js';
import { openDatabase } from '../../packages/server/dist/store/db.js';
import { migrateToLatest } from '../../packages/server/dist/store/migrate.js';
import { TOKEN_SHAPES } from './tokens.mjs';

const PLATFORM = { apns: 'iPhone', webpush: 'Web' };

/**
 * @param o.dbUrl       database URL (sqlite:... or postgres://...)
 * @param o.masterKey   the server's master key (certificate secrets are sealed with it)
 * @param o.certificates [{ vendor, input }] CertificateInput per vendor
 * @param o.blocks      [{ vendor, from, count, subscriptions? }] devices; users u<from>..u<from+count-1>
 * @param o.accounts    extra plain accounts (no device), e.g. senders and SDK users
 */
export async function seed(o) {
  const database = openDatabase(o.dbUrl);
  const { db, kind } = database;
  try {
    await migrateToLatest(db);
    const secrets = new SecretBox(parseMasterKey(o.masterKey));
    const app = await new AppsService(db, secrets).create({ name: 'bench' });
    const store = new CertificateStore(db, secrets);
    const certIds = {};
    for (const c of o.certificates) {
      const info = await store.create({ sdkAppId: app.sdkAppId, ...validateCertificate(c.input) });
      certIds[c.vendor] = info.id;
    }
    const now = Date.now();
    for (const b of o.blocks) await seedBlock(db, kind, app.sdkAppId, certIds[b.vendor], b, now);
    if (o.accounts?.length) {
      for (let i = 0; i < o.accounts.length; i += 1000) {
        await db
          .insertInto('accounts')
          .values(
            o.accounts.slice(i, i + 1000).map((user_id) => ({
              sdkappid: app.sdkAppId,
              user_id,
              nick: '',
              face_url: '',
              created_at: now,
            })),
          )
          .execute();
      }
    }
    // Planner statistics, as autovacuum keeps them on a live PostgreSQL.
    if (kind === 'postgres') await sql`vacuum analyze`.execute(db);
    return { sdkAppId: app.sdkAppId, secretKey: app.secretKey, adminId: app.adminIdentifier, certIds };
  } finally {
    await database.close();
  }
}

async function seedBlock(db, kind, sdkAppId, certId, b, now) {
  const last = b.from + b.count - 1;
  const pad = (w) =>
    kind === 'sqlite'
      ? sql.raw(`substr('${'0'.repeat(w)}' || i, -${w}, ${w})`)
      : sql.raw(`lpad(i::text, ${w}, '0')`);
  const series =
    kind === 'sqlite'
      ? sql`with recursive s(i) as (select ${sql.lit(b.from)} union all select i + 1 from s where i < ${sql.lit(last)}) `
      : sql``;
  const from =
    kind === 'sqlite' ? sql`from s` : sql`from generate_series(${sql.lit(b.from)}, ${sql.lit(last)}) as s(i)`;
  const user = sql`'u' || ${pad(7)}`;
  const platform = PLATFORM[b.vendor] ?? 'Android';
  await sql`${series}insert into accounts (sdkappid, user_id, nick, face_url, created_at)
    select ${sdkAppId}, ${user}, '', '', ${now} ${from}`.execute(db);
  await sql`${series}insert into instances (sdkappid, user_id, instance_id, platform, state, background,
      unread_base, acked_seq, session_id, logged_in_at, last_seen_at, updated_at)
    select ${sdkAppId}, ${user}, 'phone', ${platform}, 'PushOnline', 1, 0, 0, '', ${now}, ${now}, ${now} ${from}`.execute(
    db,
  );
  if (b.vendor === 'webpush') {
    // Web Push subscriptions carry the browser's keys: they come from the simulator, row by row.
    for (let k = 0; k < b.count; k += 500) {
      await db
        .insertInto('push_bindings')
        .values(
          b.subscriptions.slice(k, k + 500).map((token, j) => ({
            sdkappid: sdkAppId,
            user_id: `u${String(b.from + k + j).padStart(7, '0')}`,
            instance_id: 'phone',
            token_type: 0,
            certificate_id: certId,
            token,
            reported_at: now,
          })),
        )
        .execute();
    }
    return;
  }
  const s = TOKEN_SHAPES[b.vendor];
  await sql`${series}insert into push_bindings (sdkappid, user_id, instance_id, token_type, certificate_id, token, reported_at)
    select ${sdkAppId}, ${user}, 'phone', 0, ${certId}, ${s.prefix} || ${pad(s.width)} || ${s.suffix}, ${now} ${from}`.execute(
    db,
  );
}
