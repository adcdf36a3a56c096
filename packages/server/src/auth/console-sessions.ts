// Console sessions, stored in the database so that every node accepts the same cookie. The cookie holds
// a random 32-byte token; the table holds only its SHA-256, so a database leak yields no usable session.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface ConsoleSession {
  /** SHA-256 of the token (the row's id). */
  id: string;
  userId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** A session ends after this much inactivity... */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** ...and at the latest this long after sign-in. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** last_seen_at (and the idle expiry) is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ConsoleSessions {
  constructor(private readonly db: Kysely<Database>) {}

  /** Starts a session; the token goes into the cookie and nowhere else. */
  async create(userId: number): Promise<{ token: string; session: ConsoleSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: ConsoleSession = {
      id: hashToken(token),
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: now + SESSION_IDLE_MS,
    };
    // Sign-in is rare: a good moment to drop expired sessions.
    await this.db.deleteFrom('console_sessions').where('expires_at', '<', now).execute();
    await this.db
      .insertInto('console_sessions')
      .values({
        id: session.id,
        user_id: userId,
        csrf_token: session.csrfToken,
        created_at: now,
        expires_at: session.expiresAt,
        last_seen_at: now,
      })
      .execute();
    return { token, session };
  }

  /** The live session for a cookie token, extending its idle expiry; undefined if unknown or expired. */
  async find(token: string): Promise<ConsoleSession | undefined> {
    if (!token) return undefined;
    const row = await this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id', '=', hashToken(token))
      .executeTakeFirst();
    const now = Date.now();
    if (!row || Number(row.expires_at) <= now) return undefined;
    const session: ConsoleSession = {
      id: row.id,
      userId: Number(row.user_id),
      csrfToken: row.csrf_token,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
    if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
      session.expiresAt = Math.min(session.createdAt + SESSION_MAX_MS, now + SESSION_IDLE_MS);
      await this.db
        .updateTable('console_sessions')
        .set({ last_seen_at: now, expires_at: session.expiresAt })
        .where('id', '=', row.id)
        .execute();
    }
    return session;
  }

  async destroy(sessionId: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id', '=', sessionId).execute();
  }
}
