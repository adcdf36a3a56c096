// Console users: people who sign in to the web console. An 'admin' sees and manages every app; a
// 'member' sees only the apps granted to them and cannot create or delete apps.
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.js';
import {
  dummyPasswordHash,
  generatePassword,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from './passwords.js';

export type ConsoleRole = 'admin' | 'member';
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'member'];

export interface ConsoleUser {
  id: number;
  username: string;
  role: ConsoleRole;
  /** SDKAppIDs granted to a member; admins see every app regardless. */
  apps: number[];
  createdAt: number;
  lastLoginAt: number | null;
}

export interface CreateConsoleUserInput {
  username: string;
  /** Generated when omitted; the result carries it. */
  password?: string;
  role?: ConsoleRole;
  apps?: number[];
}

export class ConsoleUserError extends Error {}

export const FIRST_ADMIN_USERNAME = 'admin';
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function canAccessApp(user: ConsoleUser, sdkAppId: number): boolean {
  return user.role === 'admin' || user.apps.includes(sdkAppId);
}

export class ConsoleUsersService {
  constructor(private readonly db: Kysely<Database>) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('console_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Creates a user; throws ConsoleUserError for a taken username, weak password or unknown app. */
  async create(input: CreateConsoleUserInput): Promise<{ user: ConsoleUser; password: string }> {
    const username = normalizeUsername(input.username);
    if (!USERNAME_PATTERN.test(username)) {
      throw new ConsoleUserError(
        'username must be 1 to 64 characters: letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
      );
    }
    const role = input.role ?? 'member';
    if (!CONSOLE_ROLES.includes(role))
      throw new ConsoleUserError(`role must be one of ${CONSOLE_ROLES.join(', ')}`);
    const password = input.password ?? generatePassword();
    const problem = passwordProblem(password, [username]);
    if (problem) throw new ConsoleUserError(problem);
    const apps = [...new Set(input.apps ?? [])];
    const passwordHash = await hashPassword(password);
    const now = Date.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('console_users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (taken) throw new ConsoleUserError(`a console user named "${username}" already exists`);
      await assertAppsExist(trx, apps);
      const row = await trx
        .insertInto('console_users')
        .values({ username, password_hash: passwordHash, role, created_at: now, last_login_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (apps.length > 0) {
        await trx
          .insertInto('console_user_apps')
          .values(apps.map((sdkappid) => ({ user_id: row.id, sdkappid })))
          .execute();
      }
      return Number(row.id);
    });
    return { user: { id, username, role, apps, createdAt: now, lastLoginAt: null }, password };
  }

  /**
   * On a fresh installation (no console users), creates `admin` with a generated password and returns
   * the credentials; undefined when users exist already (also when another node won the race).
   */
  async ensureFirstAdmin(): Promise<{ username: string; password: string } | undefined> {
    if ((await this.count()) > 0) return undefined;
    try {
      const { user, password } = await this.create({ username: FIRST_ADMIN_USERNAME, role: 'admin' });
      return { username: user.username, password };
    } catch (err) {
      if ((await this.count()) > 0) return undefined;
      throw err;
    }
  }

  async list(): Promise<ConsoleUser[]> {
    const rows = await this.db.selectFrom('console_users').selectAll().orderBy('id').execute();
    const grants = await this.db.selectFrom('console_user_apps').selectAll().orderBy('sdkappid').execute();
    return rows.map((r) =>
      toUser(
        r,
        grants.filter((g) => Number(g.user_id) === Number(r.id)).map((g) => Number(g.sdkappid)),
      ),
    );
  }

  async get(id: number): Promise<ConsoleUser | undefined> {
    const row = await this.db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row, await this.#appsOf(row.id)) : undefined;
  }

  async getByUsername(username: string): Promise<ConsoleUser | undefined> {
    const row = await this.db
      .selectFrom('console_users')
      .selectAll()
      .where('username', '=', normalizeUsername(username))
      .executeTakeFirst();
    return row ? toUser(row, await this.#appsOf(row.id)) : undefined;
  }

  /**
   * The user when the password matches, else undefined. Unknown usernames cost one scrypt run too, so
   * timing does not tell which usernames exist.
   */
  async authenticate(username: string, password: string): Promise<ConsoleUser | undefined> {
    const row = await this.db
      .selectFrom('console_users')
      .selectAll()
      .where('username', '=', normalizeUsername(username))
      .executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
    if (!row || !ok) return undefined;
    return toUser(row, await this.#appsOf(row.id));
  }

  /** Checks the password of a signed-in user (re-authentication before revealing secrets). */
  async checkPassword(userId: number, password: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('console_users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
    return Boolean(row) && ok;
  }

  async recordLogin(userId: number): Promise<void> {
    await this.db
      .updateTable('console_users')
      .set({ last_login_at: Date.now() })
      .where('id', '=', userId)
      .execute();
  }

  /** Sets a new password (generated when omitted) and signs the user out everywhere. */
  async resetPassword(username: string, newPassword?: string): Promise<string> {
    const password = newPassword ?? generatePassword();
    const problem = passwordProblem(password, [normalizeUsername(username)]);
    if (problem) throw new ConsoleUserError(problem);
    const passwordHash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('console_users')
        .set({ password_hash: passwordHash })
        .where('username', '=', normalizeUsername(username))
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new ConsoleUserError(`no console user named "${normalizeUsername(username)}"`);
      await trx.deleteFrom('console_sessions').where('user_id', '=', row.id).execute();
    });
    return password;
  }

  /**
   * A signed-in user's own change (the caller has checked the current password): sets the new password
   * and ends the user's other sessions, keeping `keepSessionId` (the one the change came from). Throws
   * ConsoleUserError for a weak password.
   */
  async changePassword(userId: number, newPassword: string, keepSessionId: string): Promise<void> {
    const user = await this.get(userId);
    if (!user) throw new ConsoleUserError('no such console user');
    const problem = passwordProblem(newPassword, [user.username]);
    if (problem) throw new ConsoleUserError(problem);
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('console_users')
        .set({ password_hash: passwordHash })
        .where('id', '=', userId)
        .execute();
      await trx
        .deleteFrom('console_sessions')
        .where('user_id', '=', userId)
        .where('id', '!=', keepSessionId)
        .execute();
    });
  }

  /** Gives a member access to more apps (admins see every app anyway); returns the user's apps. */
  async grantApps(username: string, apps: number[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const user = await findId(trx, username);
      await assertAppsExist(trx, apps);
      const have = new Set((await this.#appsOf(user, trx)).map(Number));
      const add = [...new Set(apps)].filter((a) => !have.has(a));
      if (add.length > 0) {
        await trx
          .insertInto('console_user_apps')
          .values(add.map((sdkappid) => ({ user_id: user, sdkappid })))
          .execute();
      }
      return this.#appsOf(user, trx);
    });
  }

  /** Takes away access to apps; returns the user's remaining apps. */
  async revokeApps(username: string, apps: number[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const user = await findId(trx, username);
      if (apps.length > 0) {
        await trx
          .deleteFrom('console_user_apps')
          .where('user_id', '=', user)
          .where('sdkappid', 'in', apps)
          .execute();
      }
      return this.#appsOf(user, trx);
    });
  }

  /** Deletes a user and their sessions; false when there is no such user. */
  async delete(username: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('console_users')
      .where('username', '=', normalizeUsername(username))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async #appsOf(userId: number, db: Kysely<Database> = this.db): Promise<number[]> {
    const rows = await db
      .selectFrom('console_user_apps')
      .select('sdkappid')
      .where('user_id', '=', userId)
      .orderBy('sdkappid')
      .execute();
    return rows.map((r) => Number(r.sdkappid));
  }
}

async function findId(db: Kysely<Database>, username: string): Promise<number> {
  const row = await db
    .selectFrom('console_users')
    .select('id')
    .where('username', '=', normalizeUsername(username))
    .executeTakeFirst();
  if (!row) throw new ConsoleUserError(`no console user named "${normalizeUsername(username)}"`);
  return Number(row.id);
}

async function assertAppsExist(db: Kysely<Database>, apps: number[]): Promise<void> {
  if (apps.length === 0) return;
  const found = await db.selectFrom('apps').select('sdkappid').where('sdkappid', 'in', apps).execute();
  const known = new Set(found.map((r) => Number(r.sdkappid)));
  const missing = apps.filter((a) => !known.has(a));
  if (missing.length > 0) throw new ConsoleUserError(`no app with SDKAppID ${missing.join(', ')}`);
}

function toUser(row: Selectable<Database['console_users']>, apps: number[]): ConsoleUser {
  return {
    id: Number(row.id),
    username: row.username,
    role: row.role === 'admin' ? 'admin' : 'member',
    apps,
    createdAt: Number(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
  };
}
