// What every channel gets from the server: vendor base URLs (configurable so simulators and test rigs can
// stand in), the trusted CAs, and a clock (tests move it to exercise token refresh).
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Vendor } from '../../certificates/types.js';

/** The vendors' base URLs (configuration keys of the same names, config.ts). */
export interface VendorUrls {
  apnsProductionUrl: string;
  apnsDevelopmentUrl: string;
  fcmUrl: string;
  fcmOAuthUrl: string;
  huaweiUrl: string;
  huaweiOAuthUrl: string;
  honorUrl: string;
  honorOAuthUrl: string;
  xiaomiUrl: string;
  oppoUrl: string;
  vivoUrl: string;
  meizuUrl: string;
}

export interface ChannelContext {
  urls: VendorUrls;
  /** Trusted CAs for vendor connections: the system roots plus `caFile`, or undefined for the defaults. */
  ca: string[] | undefined;
  /** UNIX ms; Date.now unless a test moves time. */
  now(): number;
  /** The delivery-receipt URL vivo, Meizu and Xiaomi messages carry (undefined without a `publicUrl`). */
  receiptUrl?: (sdkAppId: number, vendor: Vendor) => Promise<string | undefined>;
  /** APNs tuning (defaults in apns.ts). */
  apns?: {
    maxSessions?: number;
    jwtRefreshMs?: number;
    pingIntervalMs?: number;
    /** Close sessions unused this long (default 15 minutes). */
    idleMs?: number;
    maxQueue?: number;
    /**
     * From writing a request to APNs's answer, before it is abandoned and retried (default 30 s): a stream
     * the server never answers must not hold its batch, and its jobs, past their lease.
     */
    requestTimeoutMs?: number;
  };
  /** FCM HTTP/2 tuning (defaults in fcm.ts). */
  fcm?: {
    /** HTTP/2 connections per service account, opened only when every open one is full (default 4). */
    maxSessions?: number;
    /** PING interval of open connections (default 60 s). */
    pingIntervalMs?: number;
    /** Close connections unused this long (default 5 minutes). */
    idleMs?: number;
    /** Requests waiting for a free stream before new ones are answered `retry` (default 50000). */
    maxQueue?: number;
    /** From writing a request to FCM's answer, before it is abandoned and retried (default 30 s). */
    requestTimeoutMs?: number;
  };
}

/** Builds the channel context from configuration. */
export function channelContext(
  config: VendorUrls & { caFile?: string | undefined },
  overrides: Partial<ChannelContext> = {},
): ChannelContext {
  return {
    urls: config,
    ca: config.caFile ? [...rootCertificates, readCa(config.caFile)] : undefined,
    now: Date.now,
    ...overrides,
  };
}

function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `caFile (PUSHLINE_CA_FILE) ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`caFile (PUSHLINE_CA_FILE) ${path} holds no PEM certificate`);
  }
  return pem;
}
