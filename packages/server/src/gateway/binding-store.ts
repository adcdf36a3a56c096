// Push bindings: a device instance's token per token type (0 vendor, 2 VoIP), for the certificate that
// decides vendor and environment. A token belongs to one user and instance at a time.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

export interface PushBinding {
  certificateId: number;
  token: string;
  /** 0 = vendor token, 2 = VoIP (PushKit). */
  tokenType: number;
  reportedAt: number;
}

export class BindingStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /**
   * Stores the instance's binding of this token type. The same token held by anyone else (another user or
   * instance) moves here. `null` removes every binding of the instance.
   */
  async set(
    sdkAppId: number,
    userId: string,
    instanceId: string,
    binding: Omit<PushBinding, 'reportedAt'> | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const mine = trx
        .deleteFrom('push_bindings')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId);
      if (!binding) {
        await mine.execute();
        return;
      }
      await mine.where('token_type', '=', binding.tokenType).execute();
      await trx
        .deleteFrom('push_bindings')
        .where('sdkappid', '=', sdkAppId)
        .where('certificate_id', '=', binding.certificateId)
        .where('token', '=', binding.token)
        .execute();
      await trx
        .insertInto('push_bindings')
        .values({
          sdkappid: sdkAppId,
          user_id: userId,
          instance_id: instanceId,
          token_type: binding.tokenType,
          certificate_id: binding.certificateId,
          token: binding.token,
          reported_at: this.now(),
        })
        .execute();
    });
  }

  /** For the push engine: a vendor said the token is gone (410, invalid regid): drop whoever holds it. */
  async removeToken(sdkAppId: number, certificateId: number, token: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('push_bindings')
      .where('sdkappid', '=', sdkAppId)
      .where('certificate_id', '=', certificateId)
      .where('token', '=', token)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Every binding of the user with the instance holding it (the console's device pages). */
  async ofUser(sdkAppId: number, userId: string): Promise<(PushBinding & { instanceId: string })[]> {
    const rows = await this.db
      .selectFrom('push_bindings')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .orderBy('token_type')
      .execute();
    return rows.map((r) => ({ ...toBinding(r), instanceId: r.instance_id }));
  }

  /** The console removes one binding of an instance (by token type); false when there was none. */
  async remove(sdkAppId: number, userId: string, instanceId: string, tokenType: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom('push_bindings')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('instance_id', '=', instanceId)
      .where('token_type', '=', tokenType)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async of(sdkAppId: number, userId: string, instanceId?: string): Promise<PushBinding[]> {
    let q = this.db
      .selectFrom('push_bindings')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId);
    if (instanceId !== undefined) q = q.where('instance_id', '=', instanceId);
    const rows = await q.orderBy('token_type').execute();
    return rows.map(toBinding);
  }
}

/** Removes the bindings of these users (of one instance when given), inside the caller's transaction. */
export async function deleteBindings(
  db: Kysely<Database> | Transaction<Database>,
  sdkAppId: number,
  userIds: string[],
  instanceId?: string,
): Promise<void> {
  let q = db.deleteFrom('push_bindings').where('sdkappid', '=', sdkAppId).where('user_id', 'in', userIds);
  if (instanceId !== undefined) q = q.where('instance_id', '=', instanceId);
  await q.execute();
}

export function toBinding(row: Database['push_bindings']): PushBinding {
  return {
    certificateId: row.certificate_id,
    token: row.token,
    tokenType: row.token_type,
    reportedAt: row.reported_at,
  };
}
