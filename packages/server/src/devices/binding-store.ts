// Push bindings: a device instance's token per token type (0 vendor, 2 VoIP), for the certificate that
// decides vendor and environment. A token belongs to one user and instance at a time.
//
// An instance is PushOnline only while it has a binding ("it gets pushes", docs/getting-started.md): every
// change of bindings here keeps the instance's state in step. Changes the instance makes over its socket
// (set) know it is connected: it goes Online without a binding and PushOnline with one while backgrounded.
// A binding taken away from elsewhere (the vendor declared the token gone, the console removed it, another
// user reported the same token) leaves a PushOnline instance with nothing: it becomes Online while its
// socket is up (connected), else Offline.
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
        // Connected (it asked over its socket) and no longer reachable by push.
        await trx
          .updateTable('instances')
          .set({ state: 'Online', updated_at: this.now() })
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('instance_id', '=', instanceId)
          .where('state', '=', 'PushOnline')
          .execute();
        return;
      }
      await mine.where('token_type', '=', binding.tokenType).execute();
      const moved = await trx
        .deleteFrom('push_bindings')
        .where('sdkappid', '=', sdkAppId)
        .where('certificate_id', '=', binding.certificateId)
        .where('token', '=', binding.token)
        .returning(['user_id', 'instance_id'])
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
      // A backgrounded instance that reports a token is reachable by push again.
      await trx
        .updateTable('instances')
        .set({ state: 'PushOnline', updated_at: this.now() })
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId)
        .where('state', '=', 'Online')
        .where('background', '=', 1)
        .execute();
      const others = moved.filter((r) => r.user_id !== userId || r.instance_id !== instanceId);
      await unreachableWithoutBinding(trx, sdkAppId, others, this.now());
    });
  }

  /** For the push engine: a vendor said the token is gone (410, invalid regid): drop whoever holds it. */
  async removeToken(sdkAppId: number, certificateId: number, token: string): Promise<boolean> {
    const run = async (trx: Kysely<Database>) => {
      const removed = await trx
        .deleteFrom('push_bindings')
        .where('sdkappid', '=', sdkAppId)
        .where('certificate_id', '=', certificateId)
        .where('token', '=', token)
        .returning(['user_id', 'instance_id'])
        .execute();
      await unreachableWithoutBinding(trx, sdkAppId, removed, this.now());
      return removed.length > 0;
    };
    // The push settlement calls it inside its transaction.
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
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
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('push_bindings')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('instance_id', '=', instanceId)
        .where('token_type', '=', tokenType)
        .returning(['user_id', 'instance_id'])
        .execute();
      await unreachableWithoutBinding(trx, sdkAppId, removed, this.now());
      return removed.length > 0;
    });
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

/**
 * Instances whose binding was taken away from elsewhere: PushOnline ones left without any binding become
 * Online when their socket is up (live delivery still reaches them), else Offline.
 */
async function unreachableWithoutBinding(
  trx: Kysely<Database>,
  sdkAppId: number,
  instances: readonly { user_id: string; instance_id: string }[],
  now: number,
): Promise<void> {
  for (const { user_id, instance_id } of instances) {
    await trx
      .updateTable('instances')
      .set((eb) => ({
        state: eb.case().when('connected', '=', 1).then('Online').else('Offline').end(),
        updated_at: now,
      }))
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', user_id)
      .where('instance_id', '=', instance_id)
      .where('state', '=', 'PushOnline')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('push_bindings as b')
              .select('b.token_type')
              .where('b.sdkappid', '=', sdkAppId)
              .where('b.user_id', '=', user_id)
              .where('b.instance_id', '=', instance_id),
          ),
        ),
      )
      .execute();
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
