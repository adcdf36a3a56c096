// Apps are Pushline's tenants: each has an SDKAppID, a secret key that signs UserSigs (sealed at rest),
// an admin identifier for the REST API, and settings.
import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../auth/secret-box.js';
import { fillText, type TextParams } from '../fill-text.js';
import type { Database } from '../store/schema.js';
import { forget } from '../store/transaction-memo.js';
import { APP_ERROR_TEXTS, type AppErrorKey } from './messages.js';
import { type AppSettings, newCallbackToken, parseAppSettings } from './settings.js';
import { MAX_USER_ID_BYTES, userIdProblemKind } from './user-id.js';

export interface App {
  sdkAppId: number;
  name: string;
  adminIdentifier: string;
  settings: AppSettings;
  createdAt: number;
}

export interface AppWithSecret extends App {
  secretKey: string;
}

export interface CreateAppInput {
  name: string;
  adminIdentifier?: string;
  sdkAppId?: number;
  secretKey?: string;
  settings?: Partial<AppSettings>;
}

export interface UpdateAppInput {
  name?: string;
  adminIdentifier?: string;
  settings?: Partial<AppSettings>;
}

const CACHE_TTL_MS = 5_000;

/** Keys of app rows read inside a transaction (store/transaction-memo.ts), forgotten by every write here. */
export const APP_MEMO_PREFIX = 'app:';
export const MAX_APP_NAME_LENGTH = 128;

/** A new or changed app the service refuses; its message is a text of APP_ERROR_TEXTS (messages.ts). */
export class AppInputError extends Error {
  constructor(readonly text: { key: AppErrorKey; params?: TextParams }) {
    super(fillText(APP_ERROR_TEXTS[text.key], text.params));
  }
}

function checkName(name: string): void {
  if (!name) throw new AppInputError({ key: 'appNameRequired' });
  if (name.length > MAX_APP_NAME_LENGTH) {
    throw new AppInputError({ key: 'appNameTooLong', params: { max: MAX_APP_NAME_LENGTH } });
  }
}

const ADMIN_IDENTIFIER_KEYS = {
  empty: 'adminIdentifierEmpty',
  notUnicode: 'adminIdentifierNotUnicode',
  nul: 'adminIdentifierNul',
  control: 'adminIdentifierControl',
  tooLong: 'adminIdentifierTooLong',
} as const;

function checkAdminIdentifier(identifier: string): void {
  const problem = userIdProblemKind(identifier);
  if (!problem) return;
  const key = ADMIN_IDENTIFIER_KEYS[problem.kind];
  throw new AppInputError(
    problem.kind === 'tooLong' ? { key, params: { bytes: problem.bytes, max: MAX_USER_ID_BYTES } } : { key },
  );
}
export const DEFAULT_ADMIN_IDENTIFIER = 'administrator';

function secretContext(sdkAppId: number): string {
  return `app:${sdkAppId}:secret`;
}

export class AppsService {
  readonly #cache = new Map<number, { app: AppWithSecret | undefined; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  async create(input: CreateAppInput): Promise<AppWithSecret> {
    const name = input.name.trim();
    checkName(name);
    const adminIdentifier = (input.adminIdentifier ?? DEFAULT_ADMIN_IDENTIFIER).trim();
    checkAdminIdentifier(adminIdentifier);
    const secretKey = input.secretKey ?? randomBytes(32).toString('hex');
    const settings = parseAppSettings({ callbackToken: newCallbackToken(), ...input.settings });
    const now = Date.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      const sdkAppId = input.sdkAppId ?? randomInt(1_600_000_000, 1_700_000_000);
      const exists = await this.db
        .selectFrom('apps')
        .select('sdkappid')
        .where('sdkappid', '=', sdkAppId)
        .executeTakeFirst();
      if (exists) {
        if (input.sdkAppId !== undefined)
          throw new AppInputError({ key: 'appIdTaken', params: { sdkAppId } });
        continue;
      }
      await this.db
        .insertInto('apps')
        .values({
          sdkappid: sdkAppId,
          name,
          secret_key_enc: this.secrets.seal(secretKey, secretContext(sdkAppId)),
          admin_identifier: adminIdentifier,
          settings: JSON.stringify(settings),
          created_at: now,
          updated_at: now,
        })
        .execute();
      this.#cache.delete(sdkAppId);
      forget(this.db, APP_MEMO_PREFIX);
      return { sdkAppId, name, adminIdentifier, settings, createdAt: now, secretKey };
    }
    throw new Error('could not allocate a free SDKAppID');
  }

  async list(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute();
    return rows.map((r) => this.#toApp(r));
  }

  /**
   * The cached app, if the cache holds a fresh entry (`null` = cached as missing); undefined otherwise. For
   * code inside a transaction, which must not read through this service's connection.
   */
  peek(sdkAppId: number): AppWithSecret | null | undefined {
    const hit = this.#cache.get(sdkAppId);
    if (!hit || hit.until <= Date.now()) return undefined;
    return hit.app ?? null;
  }

  /** The app with its secret key, cached for a few seconds; undefined if there is no such app. */
  async get(sdkAppId: number): Promise<AppWithSecret | undefined> {
    const hit = this.#cache.get(sdkAppId);
    if (hit && hit.until > Date.now()) return hit.app;
    const row = await this.db
      .selectFrom('apps')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .executeTakeFirst();
    const app = row
      ? {
          ...this.#toApp(row),
          secretKey: this.secrets.openText(row.secret_key_enc, secretContext(row.sdkappid)),
        }
      : undefined;
    this.#cache.set(sdkAppId, { app, until: Date.now() + CACHE_TTL_MS });
    return app;
  }

  async updateSettings(sdkAppId: number, patch: Partial<AppSettings>): Promise<AppSettings> {
    const app = await this.get(sdkAppId);
    if (!app) throw new Error(`no app with SDKAppID ${sdkAppId}`);
    const settings = parseAppSettings({ ...app.settings, ...patch });
    await this.db
      .updateTable('apps')
      .set({ settings: JSON.stringify(settings), updated_at: Date.now() })
      .where('sdkappid', '=', sdkAppId)
      .execute();
    this.#cache.delete(sdkAppId);
    forget(this.db, APP_MEMO_PREFIX);
    return settings;
  }

  /** Changes name, admin identifier and settings (merged into the current ones) in one write. */
  async update(sdkAppId: number, patch: UpdateAppInput): Promise<App> {
    const app = await this.get(sdkAppId);
    if (!app) throw new Error(`no app with SDKAppID ${sdkAppId}`);
    const name = patch.name === undefined ? app.name : patch.name.trim();
    checkName(name);
    const adminIdentifier =
      patch.adminIdentifier === undefined ? app.adminIdentifier : patch.adminIdentifier.trim();
    checkAdminIdentifier(adminIdentifier);
    const settings = parseAppSettings({ ...app.settings, ...patch.settings });
    await this.db
      .updateTable('apps')
      .set({
        name,
        admin_identifier: adminIdentifier,
        settings: JSON.stringify(settings),
        updated_at: Date.now(),
      })
      .where('sdkappid', '=', sdkAppId)
      .execute();
    this.#cache.delete(sdkAppId);
    forget(this.db, APP_MEMO_PREFIX);
    return { sdkAppId, name, adminIdentifier, settings, createdAt: app.createdAt };
  }

  /** Deletes the app and, through foreign keys, everything that belongs to it. */
  async delete(sdkAppId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('apps').where('sdkappid', '=', sdkAppId).executeTakeFirst();
    this.#cache.delete(sdkAppId);
    forget(this.db, APP_MEMO_PREFIX);
    return Number(result.numDeletedRows) > 0;
  }

  #toApp(row: Database['apps']): App {
    return {
      sdkAppId: row.sdkappid,
      name: row.name,
      adminIdentifier: row.admin_identifier,
      settings: parseAppSettings(JSON.parse(row.settings)),
      createdAt: row.created_at,
    };
  }
}
