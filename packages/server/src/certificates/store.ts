// Certificate storage: secrets sealed with the master key, bound to the certificate's row. Vendor-specific
// validation happens before `create`/`update` (see validate/*.ts and service.ts); this layer only stores and reads.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { SecretBox } from '../auth/secret-box.js';
import { reuse } from '../store/compiled.js';
import type { CertificatesTable, Database } from '../store/schema.js';
import { forget, memoized } from '../store/transaction-memo.js';
import {
  type ApnsEnvironment,
  type CertificateDefaults,
  type CertificateInfo,
  type CertificateKind,
  type CertificateStatus,
  EXPIRY_WARNING_MS,
  type PauseMode,
  type Vendor,
} from './types.js';

export interface NewCertificate {
  sdkAppId: number;
  vendor: Vendor;
  kind: CertificateKind;
  name: string;
  environment?: ApnsEnvironment;
  appIdentifier: string;
  publicFields?: Record<string, string>;
  /** Secret material by field name (p12 as base64, private keys as PEM, client secrets...). */
  secrets: Record<string, string>;
  defaults?: CertificateDefaults;
  expiresAt?: number | null;
}

/** An upload after its vendor's credential check (VendorModule.validateCredential), before it has an app. */
export type ValidatedCertificate = Omit<NewCertificate, 'sdkAppId'>;

export interface CertificateWithSecrets {
  info: CertificateInfo;
  secrets: Record<string, string>;
}

function secretsContext(id: number): string {
  return `certificate:${id}:secrets`;
}

/**
 * `updated_at` doubles as the version running channels compare: it must change on every write, even two
 * writes within one millisecond.
 */
function nextVersion() {
  const now = Date.now();
  return sql<number>`case when updated_at >= ${now} then updated_at + 1 else ${now} end`;
}

export function maskSecret(value: string): string {
  if (value.length < 12) return '****';
  return `${value.slice(0, 2)}****${value.slice(-2)}`;
}

/** Keys of certificates read inside a transaction (store/transaction-memo.ts). */
const MEMO_PREFIX = 'certificate:';

/** A certificate of an app: read for every push a message makes; built once (store/compiled.ts). */
const certificateQuery = reuse((db: Kysely<Database>, id: number, sdkAppId: number) =>
  db.selectFrom('certificates').selectAll().where('id', '=', id).where('sdkappid', '=', sdkAppId),
);

/**
 * The masked secrets of each certificate, kept with the sealed text they came from: a push reads its
 * certificate once per message (through a store bound to the send's transaction, hence module-wide), and
 * opening the sealed secrets (AES-GCM + JSON) only to mask them was the costliest part of that read. A changed
 * certificate has a new sealed text (each seal draws a new nonce), so a mismatch opens it again.
 */
const maskedById = new Map<number, { sealed: string; masked: Record<string, string> }>();
/** Certificates whose masked secrets are kept (oldest dropped first): far more than an app has. */
const MASKED_CACHE_SIZE = 1_000;

export class CertificateStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async create(input: NewCertificate): Promise<CertificateInfo> {
    const now = Date.now();
    return this.db.transaction().execute(async (trx) => {
      // Insert first to learn the ID, then seal the secrets bound to that ID.
      const { id } = await trx
        .insertInto('certificates')
        .values({
          sdkappid: input.sdkAppId,
          vendor: input.vendor,
          kind: input.kind,
          name: input.name,
          environment: input.environment ?? null,
          app_identifier: input.appIdentifier,
          public_fields: JSON.stringify(input.publicFields ?? {}),
          secrets_enc: '',
          defaults: JSON.stringify(input.defaults ?? {}),
          expires_at: input.expiresAt ?? null,
          status: 'active',
          paused_mode: null,
          paused_reason: null,
          verified_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('certificates')
        .set({ secrets_enc: this.secretBox.seal(JSON.stringify(input.secrets), secretsContext(id)) })
        .where('id', '=', id)
        .execute();
      const row = await trx
        .selectFrom('certificates')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return this.#info(row);
    });
  }

  /**
   * Replaces the stored fields of a certificate; the ID (the clients' businessID) stays. `newCredential`:
   * the credential changed, so the certificate is untested again (verifiedAt null).
   */
  async update(
    sdkAppId: number,
    id: number,
    input: Omit<NewCertificate, 'sdkAppId'>,
    newCredential = true,
  ): Promise<CertificateInfo> {
    const result = await this.db
      .updateTable('certificates')
      .set({
        vendor: input.vendor,
        kind: input.kind,
        name: input.name,
        environment: input.environment ?? null,
        app_identifier: input.appIdentifier,
        public_fields: JSON.stringify(input.publicFields ?? {}),
        secrets_enc: this.secretBox.seal(JSON.stringify(input.secrets), secretsContext(id)),
        defaults: JSON.stringify(input.defaults ?? {}),
        expires_at: input.expiresAt ?? null,
        ...(newCredential ? { verified_at: null } : {}),
        updated_at: nextVersion(),
      })
      .where('id', '=', id)
      .where('sdkappid', '=', sdkAppId)
      .executeTakeFirst();
    forget(this.db, MEMO_PREFIX);
    if (Number(result.numUpdatedRows) === 0) throw new Error(`no certificate ${id} in app ${sdkAppId}`);
    const info = await this.get(sdkAppId, id);
    if (!info) throw new Error(`no certificate ${id} in app ${sdkAppId}`);
    return info;
  }

  /**
   * Inside a transaction, read once and shared by its later reads (store/transaction-memo.ts: each send of a
   * group commit reads its certificates), hence frozen there.
   */
  get(sdkAppId: number, id: number): Promise<CertificateInfo | undefined> {
    return memoized(this.db, `${MEMO_PREFIX}${sdkAppId}:${id}`, async () => {
      const row = (await certificateQuery(this.db, id, sdkAppId)).rows[0];
      if (!row) return undefined;
      const info = this.#info(row);
      return this.db.isTransaction ? Object.freeze(info) : info;
    });
  }

  /** For channels: the certificate with its opened secrets. */
  async getWithSecrets(id: number): Promise<CertificateWithSecrets | undefined> {
    const row = await this.db.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { info: this.#info(row), secrets: this.#open(row) } : undefined;
  }

  /** `updatedAt` of a certificate (undefined when deleted): a cheap change check for running channels. */
  async version(id: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('certificates')
      .select('updated_at')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.updated_at;
  }

  async list(sdkAppId: number): Promise<CertificateInfo[]> {
    const rows = await this.db
      .selectFrom('certificates')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .orderBy('id')
      .execute();
    return rows.map((r) => this.#info(r));
  }

  /**
   * Active certificates of `vendors` (those that keep connections open: VendorModule.warmable), most recently
   * verified first: the ones whose connections a starting node opens ahead of the first push
   * (`warmConnections`).
   */
  async warmable(limit: number, vendors: readonly Vendor[]): Promise<number[]> {
    if (limit <= 0 || vendors.length === 0) return [];
    const rows = await this.db
      .selectFrom('certificates')
      .select('id')
      .where('status', '=', 'active')
      .where('vendor', 'in', [...vendors])
      .orderBy(sql`verified_at is null`)
      .orderBy('verified_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async delete(sdkAppId: number, id: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom('certificates')
      .where('id', '=', id)
      .where('sdkappid', '=', sdkAppId)
      .executeTakeFirst();
    forget(this.db, MEMO_PREFIX);
    return Number(r.numDeletedRows) > 0;
  }

  async setStatus(
    sdkAppId: number,
    id: number,
    status: CertificateStatus,
    reason: string | null,
    mode: PauseMode = 'hold',
  ): Promise<boolean> {
    const paused = status === 'paused';
    const r = await this.db
      .updateTable('certificates')
      .set({
        status,
        paused_reason: paused ? reason : null,
        paused_mode: paused ? mode : null,
        updated_at: nextVersion(),
      })
      .where('id', '=', id)
      .where('sdkappid', '=', sdkAppId)
      .executeTakeFirst();
    forget(this.db, MEMO_PREFIX);
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Records that a vendor accepted a push of the certificate as it was at `version` (its updatedAt): the first
   * time only, and not when the certificate changed since (the accepted push used the old credential).
   * Leaves updatedAt alone (running channels need not reload). True when it was marked now.
   */
  async markVerified(id: number, version: number, at = Date.now()): Promise<boolean> {
    const r = await this.db
      .updateTable('certificates')
      .set({ verified_at: at })
      .where('id', '=', id)
      .where('updated_at', '=', version)
      .where('verified_at', 'is', null)
      .executeTakeFirst();
    forget(this.db, MEMO_PREFIX);
    return Number(r.numUpdatedRows) > 0;
  }

  #open(row: Selectable<CertificatesTable>): Record<string, string> {
    return JSON.parse(this.secretBox.openText(row.secrets_enc, secretsContext(row.id)));
  }

  #maskedSecrets(row: Selectable<CertificatesTable>): Record<string, string> {
    if (!row.secrets_enc) return {};
    const hit = maskedById.get(row.id);
    if (hit && hit.sealed === row.secrets_enc) return { ...hit.masked };
    const masked = Object.fromEntries(Object.entries(this.#open(row)).map(([k, v]) => [k, maskSecret(v)]));
    if (maskedById.size >= MASKED_CACHE_SIZE) maskedById.delete(maskedById.keys().next().value as number);
    maskedById.set(row.id, { sealed: row.secrets_enc, masked });
    return { ...masked };
  }

  #info(row: Selectable<CertificatesTable>): CertificateInfo {
    return {
      id: row.id,
      sdkAppId: row.sdkappid,
      vendor: row.vendor as Vendor,
      kind: row.kind as CertificateKind,
      name: row.name,
      ...(row.environment ? { environment: row.environment as ApnsEnvironment } : {}),
      appIdentifier: row.app_identifier,
      publicFields: JSON.parse(row.public_fields),
      maskedSecrets: this.#maskedSecrets(row),
      defaults: JSON.parse(row.defaults),
      expiresAt: row.expires_at,
      expiringSoon: row.expires_at !== null && row.expires_at - Date.now() < EXPIRY_WARNING_MS,
      status: row.status as CertificateStatus,
      pausedReason: row.paused_reason,
      pausedMode: row.status === 'paused' ? ((row.paused_mode as PauseMode | null) ?? 'hold') : null,
      verifiedAt: row.verified_at === null ? null : Number(row.verified_at),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
