// The URL of a callback, as Tencent IM calls an app's backend: the app's callback URL plus `SdkAppid`,
// `CallbackCommand`, `contenttype=json`, `ClientIP` and `OptPlatform` (when a client caused the event), and
// with a callback token `RequestTime` (UNIX seconds) and `Sign = hex(sha256(token + RequestTime))`
// (docs/internals/tencent-im.md#callbacks).
import { createHash } from 'node:crypto';

export interface CallbackOrigin {
  /** The client's IP address (the REST caller's for REST sends). */
  ClientIP?: string;
  /** RESTAPI, Web, Android, iOS, Windows, Mac, iPad or Unknown (State.StateChange: IOS). */
  OptPlatform?: string;
}

export function callbackSign(token: string, requestTime: number | string): string {
  return createHash('sha256').update(`${token}${requestTime}`).digest('hex');
}

/** The URL to POST to; throws on a callback URL that is not a URL. */
export function callbackUrl(
  base: string,
  sdkAppId: number,
  command: string,
  opts: { token?: string | undefined; origin?: CallbackOrigin | undefined; nowMs: number },
): URL {
  const url = new URL(base);
  url.searchParams.set('SdkAppid', String(sdkAppId));
  url.searchParams.set('CallbackCommand', command);
  url.searchParams.set('contenttype', 'json');
  if (opts.origin?.ClientIP !== undefined) url.searchParams.set('ClientIP', opts.origin.ClientIP);
  if (opts.origin?.OptPlatform !== undefined) url.searchParams.set('OptPlatform', opts.origin.OptPlatform);
  if (opts.token) {
    const requestTime = Math.floor(opts.nowMs / 1000);
    url.searchParams.set('RequestTime', String(requestTime));
    url.searchParams.set('Sign', callbackSign(opts.token, requestTime));
  }
  return url;
}

/**
 * Tencent's OptPlatform for an SDK platform name (the login's `platform`). State.StateChange spells iOS
 * `IOS`, the other callbacks `iOS` (Tencent's callback overview says so).
 */
export function optPlatform(platform: string | undefined, stateChange = false): string {
  switch ((platform ?? '').toLowerCase()) {
    case 'iphone':
    case 'ios':
      return stateChange ? 'IOS' : 'iOS';
    case 'ipad':
      return 'iPad';
    case 'android':
      return 'Android';
    case 'web':
    case 'miniprogram':
      return 'Web';
    case 'pc':
    case 'windows':
      return 'Windows';
    case 'mac':
      return 'Mac';
    default:
      return 'Unknown';
  }
}

/** A client address without the IPv4-mapped IPv6 prefix. */
export function clientIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
