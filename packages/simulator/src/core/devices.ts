// Virtual phones: installing the app issues a token in the vendor's format, bound to one app
// (bundle ID, FCM project, vendor app ID...) and, for APNs, to one environment.
import { createECDH, randomBytes, randomInt } from 'node:crypto';
import type { SimulatorVendor } from './vendor-ids.js';

export interface WebPushSubscription {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface VirtualDevice {
  vendor: SimulatorVendor;
  token: string;
  /** What the token belongs to: APNs bundle ID, FCM project ID, Huawei/Honor/vivo/Meizu app ID, Xiaomi package, OPPO app key. */
  app: string;
  /** APNs only: the environment whose APNs host issued the token. */
  environment?: 'production' | 'development';
  /** APNs only: a PushKit (VoIP) token rather than a regular one. */
  voip?: boolean;
  installed: boolean;
  installedAt: number;
  uninstalledAt?: number;
  /** Web Push only: the PushSubscription JSON a browser would hand to the app server. */
  subscription?: WebPushSubscription;
  /** Web Push only: VAPID public key (base64url) the subscription was created with, if any. */
  applicationServerKey?: string;
}

export interface InstallOptions {
  app: string;
  environment?: 'production' | 'development';
  voip?: boolean;
  /** Use this token instead of generating one (it must be well-formed for the vendor). */
  token?: string;
  applicationServerKey?: string;
}

/** Private half of a virtual browser's subscription, needed to decrypt aes128gcm bodies. */
export interface WebPushSecret {
  privateKey: Buffer;
  publicKey: Buffer;
  auth: Buffer;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function alnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[(bytes[i] ?? 0) % ALNUM.length];
  return s;
}
function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

/**
 * Token formats. Generators imitate real tokens; validators are what the simulated vendor calls
 * "malformed". Lengths of OEM tokens are not documented precisely [U]: the checks are loose.
 */
export const TOKEN_FORMATS: Record<SimulatorVendor, { generate(): string; valid(token: string): boolean }> = {
  apns: {
    generate: () => randomBytes(32).toString('hex'),
    valid: (t) => /^(?:[0-9a-fA-F]{2}){32,100}$/.test(t),
  },
  fcm: {
    generate: () =>
      `${alnum(11)}${randomBytes(8).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`,
    valid: (t) => t.length >= 100 && t.length <= 4096 && /^[A-Za-z0-9_:-]+$/.test(t),
  },
  huawei: { generate: () => `IQAAAACy${alnum(120)}`, valid: (t) => /^[A-Za-z0-9_+/=-]{32,512}$/.test(t) },
  honor: { generate: () => `AQAAAACy${alnum(120)}`, valid: (t) => /^[A-Za-z0-9_+/=-]{32,512}$/.test(t) },
  xiaomi: {
    generate: () => randomBytes(33).toString('base64'),
    valid: (t) => /^[A-Za-z0-9+/=_-]{20,128}$/.test(t),
  },
  oppo: {
    generate: () => `CN_${randomBytes(16).toString('hex')}`,
    valid: (t) => /^[A-Za-z0-9_]{20,128}$/.test(t),
  },
  vivo: { generate: () => `1${digits(22)}`, valid: (t) => /^[0-9]{23}$/.test(t) },
  meizu: {
    generate: () => `RA5${randomBytes(20).toString('hex')}`,
    valid: (t) => /^[A-Za-z0-9]{20,64}$/.test(t),
  },
  webpush: {
    generate: () => randomBytes(16).toString('base64url'),
    valid: (t) => /^[A-Za-z0-9_-]{16,64}$/.test(t),
  },
};

export class DeviceRegistry {
  private readonly devices = new Map<string, VirtualDevice>();
  private readonly secrets = new Map<string, WebPushSecret>();
  /** Base URL of the Web Push simulator; subscription endpoints hang off it. */
  webpushBase = '';

  private key(vendor: SimulatorVendor, token: string): string {
    return `${vendor}\u0000${token}`;
  }

  install(vendor: SimulatorVendor, opts: InstallOptions): VirtualDevice {
    if (!opts.app) throw new Error('install: app is required');
    const fmt = TOKEN_FORMATS[vendor];
    const token = opts.token ?? fmt.generate();
    if (!fmt.valid(token)) throw new Error(`install: token is not a well-formed ${vendor} token`);
    if (vendor === 'apns' && opts.environment !== 'production' && opts.environment !== 'development') {
      throw new Error('install: apns devices need environment "production" or "development"');
    }
    const device: VirtualDevice = { vendor, token, app: opts.app, installed: true, installedAt: Date.now() };
    if (vendor === 'apns') {
      device.environment = opts.environment;
      device.voip = opts.voip === true;
    }
    if (vendor === 'webpush') {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const secret: WebPushSecret = {
        privateKey: ecdh.getPrivateKey(),
        publicKey: ecdh.getPublicKey(),
        auth: randomBytes(16),
      };
      this.secrets.set(token, secret);
      device.subscription = {
        endpoint: `${this.webpushBase}/push/${token}`,
        expirationTime: null,
        keys: { p256dh: secret.publicKey.toString('base64url'), auth: secret.auth.toString('base64url') },
      };
      if (opts.applicationServerKey) device.applicationServerKey = opts.applicationServerKey;
    }
    this.devices.set(this.key(vendor, token), device);
    return device;
  }

  /** The user uninstalled the app: the vendor now answers as for an unregistered token. */
  uninstall(vendor: SimulatorVendor, token: string): VirtualDevice | undefined {
    const d = this.devices.get(this.key(vendor, token));
    if (d?.installed) {
      d.installed = false;
      d.uninstalledAt = Date.now();
    }
    return d;
  }

  get(vendor: SimulatorVendor, token: string): VirtualDevice | undefined {
    return this.devices.get(this.key(vendor, token));
  }

  webpushSecret(token: string): WebPushSecret | undefined {
    return this.secrets.get(token);
  }

  list(vendor?: SimulatorVendor): VirtualDevice[] {
    const all = [...this.devices.values()];
    return vendor ? all.filter((d) => d.vendor === vendor) : all;
  }

  remove(vendor: SimulatorVendor, token: string): boolean {
    this.secrets.delete(token);
    return this.devices.delete(this.key(vendor, token));
  }

  clear(): void {
    this.devices.clear();
    this.secrets.clear();
  }
}
