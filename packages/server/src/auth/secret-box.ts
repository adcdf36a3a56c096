// Secrets at rest (app secret keys, vendor credentials) are sealed with AES-256-GCM under a master key.
// The record's identity is bound in as additional authenticated data, so a sealed value copied into
// another row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../store/files.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.#key = masterKey;
  }

  seal(plaintext: string | Buffer, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): Buffer {
    const [version, payload] = sealed.split(':', 2);
    if (version !== VERSION || !payload) throw new Error('sealed secret has an unknown format');
    const raw = Buffer.from(payload, 'base64');
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error('cannot decrypt a stored secret: wrong master key, or the data was tampered with');
    }
  }

  openText(sealed: string, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }
}

/** Parses a master key given as 64 hex characters or base64 of 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const b64 = Buffer.from(trimmed, 'base64');
  if (b64.length === 32) return b64;
  throw new Error('master key must be 32 bytes, written as 64 hex characters or base64');
}

/**
 * The master key comes from PUSHLINE_MASTER_KEY (config `masterKey`) or, failing that, from
 * `<data>/master.key`, which is generated on first use with mode 0600.
 */
export function loadMasterKey(opts: { masterKey?: string | undefined; keyFile: string }): Buffer {
  if (opts.masterKey) return parseMasterKey(opts.masterKey);
  if (existsSync(opts.keyFile)) {
    const mode = statSync(opts.keyFile).mode & 0o777;
    if (mode & 0o077) chmodSync(opts.keyFile, 0o600);
    return parseMasterKey(readFileSync(opts.keyFile, 'utf8'));
  }
  ensurePrivateDir(dirname(opts.keyFile));
  const key = randomBytes(32);
  writeFileSync(opts.keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
