// A login ended while it was still starting. Between a login's own commit and the moment its connection joins
// the router, another login of the same user can evict it under the login policy (or the administrator can
// kick the user, or delete the account): whoever ended it sends the kick through the router, which does not
// know this connection yet, so nobody tells it — the socket stays open on an instance the database says is
// Offline. Seen under load on PostgreSQL, where logins of one user queue on the account row and the next one
// commits while the first still reads its resume point.
//
// So once the connection is in the router (every later kick reaches it) and its login answer has gone out,
// the instance's session is read back; a different one means this login was ended meanwhile, and the
// connection is kicked as the router would have done.

import type { RoutedConnection } from '../devices/router.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode } from './protocol.js';

export async function kickIfEndedWhileLoggingIn(
  ctx: Pick<GatewayContext, 'sessions' | 'accounts' | 'log'>,
  conn: RoutedConnection,
  sessionId: string,
  /** When the login started (ms): an administrator's kick since then explains the end. */
  startedAt: number,
): Promise<void> {
  try {
    await new Promise((resolve) => setImmediate(resolve)); // the login answer first
    const current = await ctx.sessions.currentSessionId(conn.sdkAppId, conn.userId, conn.instanceId);
    if (current === sessionId) return;
    const account = await ctx.accounts.get(conn.sdkAppId, conn.userId);
    if (!account) conn.onKick(GatewayErrorCode.KickedByAdmin, 'account deleted');
    else if (account.kickedAt !== null && account.kickedAt * 1000 >= startedAt - 1000)
      conn.onKick(GatewayErrorCode.KickedByAdmin, 'kicked by the administrator');
    else conn.onKick(GatewayErrorCode.KickedByLogin, 'logged in on another device beyond the login policy');
  } catch (err) {
    ctx.log.error({ err }, 'login: could not check whether the session was ended meanwhile');
  }
}
