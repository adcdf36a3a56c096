// Large audiences written straight into storage (tests of fan-out, crash recovery and clusters): one Android
// phone per user, logged in, with a push token reported — what thousands of SDK logins would leave behind,
// without the logins.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

export interface SeededDevice {
  userId: string;
  /** The push token the phone reported with `certificateId`. */
  token: string;
  /** App in the foreground (state Online) instead of the background (PushOnline). */
  foreground?: boolean;
}

/** Writes `<userId>-phone` instances and their push bindings; the accounts must exist. */
export async function seedDevices(
  db: Kysely<Database>,
  sdkAppId: number,
  certificateId: number,
  devices: SeededDevice[],
  now = Date.now(),
): Promise<void> {
  for (let i = 0; i < devices.length; i += 500) {
    const chunk = devices.slice(i, i + 500);
    await db
      .insertInto('instances')
      .values(
        chunk.map((d) => ({
          sdkappid: sdkAppId,
          user_id: d.userId,
          instance_id: `${d.userId}-phone`,
          platform: 'Android',
          state: d.foreground ? 'Online' : 'PushOnline',
          background: d.foreground ? 0 : 1,
          unread_base: 0,
          acked_seq: 0,
          session_id: `s-${d.userId}`,
          logged_in_at: now,
          last_seen_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await db
      .insertInto('push_bindings')
      .values(
        chunk.map((d) => ({
          sdkappid: sdkAppId,
          user_id: d.userId,
          instance_id: `${d.userId}-phone`,
          token_type: 0,
          certificate_id: certificateId,
          token: d.token,
          reported_at: now,
        })),
      )
      .execute();
  }
}
