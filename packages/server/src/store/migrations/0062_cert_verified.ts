import { type Kysely, sql } from 'kysely';

// A certificate is "verified" once a vendor accepted a push sent with it (a `cert test`, the console's test
// button, or a real push): UNIX ms of the first accepted push since its credential was last set, null while
// untested. Certificates stored before this migration count as verified from their first accepted push on
// record (push_trace_events `sent` of a push through them), else untested.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').addColumn('verified_at', 'bigint').execute();
  await sql`
    update certificates set verified_at = (
      select min(e.at) from push_traces t join push_trace_events e on e.push_id = t.push_id
      where t.certificate_id = certificates.id and t.sdkappid = certificates.sdkappid and e.stage = 'sent'
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').dropColumn('verified_at').execute();
}
