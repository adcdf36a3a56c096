// Credentials the simulated vendors know about. Callers register what they use; anything else is
// rejected the way the real vendor rejects unknown credentials.
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import type { SimulatorVendor } from './vendor-ids.js';

export interface ApnsKeyRegistration {
  keyId: string;
  teamId: string;
  /** PEM of the public key, or of the .p8 private key (the public half is derived). */
  publicKeyPem?: string;
  privateKeyPem?: string;
  /** Bundle IDs this key may push to. */
  topics: string[];
}

export interface ApnsKey {
  keyId: string;
  teamId: string;
  publicKey: KeyObject;
  topics: Set<string>;
}

export interface ServiceAccountRegistration {
  /** Either a service-account JSON (as downloaded from Google) ... */
  serviceAccount?: { project_id: string; client_email: string; private_key: string; private_key_id?: string };
  /** ... or these fields. */
  projectId?: string;
  clientEmail?: string;
  publicKeyPem?: string;
  privateKeyId?: string;
  /** Numeric project number also accepted in the send path. */
  projectNumber?: string;
}

export interface ServiceAccount {
  projectId: string;
  projectNumber?: string;
  clientEmail: string;
  privateKeyId?: string;
  publicKey: KeyObject;
}

/**
 * An OEM vendor app. Which fields matter depends on the vendor:
 * huawei {appId, appSecret}; honor {appId, clientId, clientSecret}; xiaomi {appId = package name, appSecret};
 * oppo {appId = app key, masterSecret}; vivo {appId, appKey, appSecret}; meizu {appId, appSecret}.
 */
export interface VendorApp {
  appId: string;
  appSecret?: string;
  appKey?: string;
  masterSecret?: string;
  clientId?: string;
  clientSecret?: string;
}

export type OemVendor = 'huawei' | 'honor' | 'xiaomi' | 'oppo' | 'vivo' | 'meizu';

export interface AccessToken {
  vendor: SimulatorVendor;
  /** App ID / service-account e-mail the token was issued to. */
  subject: string;
  expiresAt: number;
}

export class CredentialStore {
  readonly apnsKeys = new Map<string, ApnsKey>();
  readonly serviceAccounts = new Map<string, ServiceAccount>();
  readonly vendorApps = new Map<OemVendor, Map<string, VendorApp>>();
  private readonly tokens = new Map<string, AccessToken>();

  registerApnsKey(reg: ApnsKeyRegistration): ApnsKey {
    const pem = reg.publicKeyPem ?? reg.privateKeyPem;
    if (!reg.keyId || !reg.teamId || !pem)
      throw new Error('registerApnsKey: keyId, teamId and a key are required');
    const publicKey = reg.publicKeyPem ? createPublicKey(pem) : createPublicKey(createPrivateKey(pem));
    if (publicKey.asymmetricKeyType !== 'ec') throw new Error('registerApnsKey: APNs keys are P-256 EC keys');
    const key: ApnsKey = {
      keyId: reg.keyId,
      teamId: reg.teamId,
      publicKey,
      topics: new Set(reg.topics ?? []),
    };
    this.apnsKeys.set(key.keyId, key);
    return key;
  }

  registerServiceAccount(reg: ServiceAccountRegistration): ServiceAccount {
    const sa = reg.serviceAccount;
    const projectId = sa?.project_id ?? reg.projectId;
    const clientEmail = sa?.client_email ?? reg.clientEmail;
    const pem = sa?.private_key ?? reg.publicKeyPem;
    if (!projectId || !clientEmail || !pem) {
      throw new Error('registerServiceAccount: project id, client email and a key are required');
    }
    const account: ServiceAccount = {
      projectId,
      clientEmail,
      publicKey: sa ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem),
    };
    const keyId = sa?.private_key_id ?? reg.privateKeyId;
    if (keyId) account.privateKeyId = keyId;
    if (reg.projectNumber) account.projectNumber = reg.projectNumber;
    this.serviceAccounts.set(clientEmail, account);
    return account;
  }

  registerVendorApp(vendor: OemVendor, app: VendorApp): VendorApp {
    if (!app.appId) throw new Error('registerVendorApp: appId is required');
    let apps = this.vendorApps.get(vendor);
    if (!apps) {
      apps = new Map();
      this.vendorApps.set(vendor, apps);
    }
    apps.set(app.appId, { ...app });
    return app;
  }

  vendorApp(vendor: OemVendor, appId: string): VendorApp | undefined {
    return this.vendorApps.get(vendor)?.get(appId);
  }

  findVendorApp(vendor: OemVendor, match: (app: VendorApp) => boolean): VendorApp | undefined {
    const apps = this.vendorApps.get(vendor);
    if (!apps) return undefined;
    for (const app of apps.values()) if (match(app)) return app;
    return undefined;
  }

  issueAccessToken(vendor: SimulatorVendor, subject: string, ttlSeconds: number, prefix = ''): string {
    const token = prefix + randomBytes(24).toString('base64url');
    this.tokens.set(token, { vendor, subject, expiresAt: Date.now() + ttlSeconds * 1000 });
    if (this.tokens.size > 100_000) this.pruneTokens();
    return token;
  }

  accessToken(token: string): AccessToken | undefined {
    return this.tokens.get(token);
  }

  /** Makes every issued access token (of one vendor) expired, to test refresh paths. */
  expireAccessTokens(vendor?: SimulatorVendor): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (!vendor || t.vendor === vendor) {
        t.expiresAt = 0;
        n++;
      }
    }
    return n;
  }

  private pruneTokens(): void {
    const now = Date.now();
    for (const [k, t] of this.tokens) if (t.expiresAt < now) this.tokens.delete(k);
  }
}
