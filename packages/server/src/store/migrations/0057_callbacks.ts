import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

// One outbox for every callback (webhooks/): besides the batched Push.* events it now holds single
// callbacks (State.StateChange, C2C/Group.CallbackAfterSendMsg). `batched` = 1: `events` is a JSON array
// POSTed as {"Events": [...]}; 0: `events` is the JSON body itself. `query`: the ClientIP and OptPlatform
// URL parameters of the callback as JSON, or null. Apps created before get a callback token (Sign).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('push_webhook_outbox')
    .addColumn('batched', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('push_webhook_outbox').addColumn('query', 'text').execute();
  const apps = await db.selectFrom('apps').select(['sdkappid', 'settings']).execute();
  for (const app of apps) {
    const settings = JSON.parse(app.settings ?? '{}');
    if (typeof settings.callbackToken === 'string') continue;
    settings.callbackToken = randomBytes(32).toString('hex');
    await db
      .updateTable('apps')
      .set({ settings: JSON.stringify(settings) })
      .where('sdkappid', '=', app.sdkappid)
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_webhook_outbox').dropColumn('query').execute();
  await db.schema.alterTable('push_webhook_outbox').dropColumn('batched').execute();
}
