// Push token and app state of the SDK's uni-app / React Native builds (`im_open_status.ws_stat_settoken`,
// `ws_stat_background`, `ws_stat_foreground`): the same facts `@pushline/sdk` reports with
// setOfflinePushConfig, doBackground and doForeground, stored by the same handlers (gateway/ops.ts) — one
// binding and one instance state, whichever front door reported them.
import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
import { sessionOps } from '../ops.js';
import { TencentCode } from './frames.js';
import { type ErrorOf, viaPushline } from './via-pushline.js';

type Body = Record<string, unknown>;

const UINT32_MAX = 2 ** 32 - 1;

function optionalString(body: Body, key: string, fail: ErrorOf): string {
  const v = body[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw fail(TencentCode.InvalidParameters, `${key} must be a string`);
  return v;
}

function optionalFlag(body: Body, key: string, fail: ErrorOf): 0 | 1 {
  const v = body[key];
  if (v === undefined || v === null || v === 0) return 0;
  if (v === 1) return 1;
  throw fail(TencentCode.InvalidParameters, `${key} must be 0 or 1`);
}

function unreadCount(body: Body, key: string, fail: ErrorOf): number {
  const v = body[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000)
    throw fail(TencentCode.InvalidParameters, `${key} must be an integer from 0 to 1000000`);
  return v;
}

/**
 * ws_stat_settoken. The SDK sends the token in `TokenID` on Android and in `VarToken` on iOS, the certificate
 * ID in `BusiID` and `PushMsg` 0 when it has no token (the device stops getting pushes). `EnterVersion` is
 * the SDKAppID. `InstType` is the phone's brand as the push plugin names it: Pushline takes the vendor from
 * the certificate instead, so the brand only appears in the log. `IsTpns` 1 (a TPNS token) is refused, as by
 * setOfflinePushConfig.
 */
export async function setToken(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf): Promise<Body> {
  const enterVersion = body.EnterVersion;
  if (enterVersion !== undefined && enterVersion !== s.sdkAppId)
    throw fail(TencentCode.InvalidParameters, `EnterVersion ${String(enterVersion)} is not this SDKAppID`);
  const androidToken = optionalString(body, 'TokenID', fail);
  const iosToken = optionalString(body, 'VarToken', fail);
  if (androidToken !== '' && iosToken !== '')
    throw fail(
      TencentCode.InvalidParameters,
      'send the token in TokenID (Android) or VarToken (iOS), not both',
    );
  const token = androidToken || iosToken;
  const pushMsg = optionalFlag(body, 'PushMsg', fail);
  if (pushMsg === 0 || token === '') {
    // No token: this device no longer gets offline pushes.
    await viaPushline(() => sessionOps.setOfflinePushConfig(ctx, s, { config: null }), fail);
    return {};
  }
  const businessId = body.BusiID;
  if (
    typeof businessId !== 'number' ||
    !Number.isInteger(businessId) ||
    businessId < 0 ||
    businessId > UINT32_MAX
  )
    throw fail(
      TencentCode.InvalidParameters,
      'BusiID (the certificate ID) must be an unsigned 32-bit integer',
    );
  if (token.length > 4096)
    throw fail(TencentCode.InvalidParameters, 'the token is longer than 4096 characters');
  const tokenType = optionalFlag(body, 'IsTpns', fail) === 1 ? 1 : 0;
  await viaPushline(
    () => sessionOps.setOfflinePushConfig(ctx, s, { config: { businessID: businessId, token, tokenType } }),
    fail,
  );
  ctx.log.debug(
    { sdkAppId: s.sdkAppId, userId: s.userId, instanceId: s.instanceId, brand: body.InstType, businessId },
    'tencent gateway: push token reported',
  );
  return {};
}

/** ws_stat_background: the badge base is the SDK's own unread total (C2C plus group). */
export async function background(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf): Promise<Body> {
  const unread = unreadCount(body, 'C2cUnread', fail) + unreadCount(body, 'GrpUnread', fail);
  await viaPushline(
    () => sessionOps.doBackground(ctx, s, { unreadCount: Math.min(unread, 1_000_000) }),
    fail,
  );
  return {};
}

export async function foreground(ctx: GatewayContext, s: Session, fail: ErrorOf): Promise<Body> {
  await viaPushline(() => sessionOps.doForeground(ctx, s, {}), fail);
  return {};
}
