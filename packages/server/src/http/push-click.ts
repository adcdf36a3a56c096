// POST /api/client/push-click  Authorization: Bearer <UserSig>  {"pushId":"..."}
// The SDK reports that the user opened a notification. The UserSig names the app and the user; only the
// receiver of a push can report its click. Browsers call it from the app's own pages (Web Push), so it
// answers CORS for any origin: the credential is the UserSig header, never a cookie.
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../apps/accounts.js';
import type { AppsService } from '../apps/apps.js';
import { decodeUserSig, UserSigError, verifyUserSig } from '../auth/usersig.js';
import type { OutcomeRecorder } from '../push/outcomes/recorder.js';

export interface PushClickDeps {
  apps: AppsService;
  accounts: AccountsService;
  recorder: OutcomeRecorder;
}

const CLICK_PATH = '/api/client/push-click';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '86400',
} as const;

export function registerPushClick(fastify: FastifyInstance, deps: PushClickDeps): void {
  // The preflight a browser sends before a POST with an Authorization header.
  fastify.options(CLICK_PATH, async (_request, reply) => reply.code(204).headers(CORS).send());
  fastify.post(CLICK_PATH, async (request, reply) => {
    reply.headers(CORS);
    const header = request.headers.authorization ?? '';
    const userSig = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const decoded = userSig ? decodeUserSig(userSig) : undefined;
    if (!decoded) {
      return reply.code(401).send({
        code: userSig ? UserSigError.BadFormat : UserSigError.Empty,
        error: 'send the user\'s UserSig as "Authorization: Bearer <UserSig>"',
      });
    }
    const app = await deps.apps.get(decoded.sdkAppId);
    if (!app)
      return reply.code(401).send({ code: 70020, error: `SDKAppID ${decoded.sdkAppId} does not exist` });
    const account = await deps.accounts.get(app.sdkAppId, decoded.identifier);
    const verified = verifyUserSig({
      userSig,
      sdkAppId: app.sdkAppId,
      key: app.secretKey,
      identifier: decoded.identifier,
      invalidatedAt: account?.kickedAt ?? null,
    });
    if (!verified.ok) return reply.code(401).send({ code: verified.code, error: verified.message });

    const body = (request.body ?? {}) as { pushId?: unknown; PushID?: unknown; clickedAt?: unknown };
    const pushId = body.pushId ?? body.PushID;
    if (typeof pushId !== 'string' || pushId === '' || pushId.length > 128) {
      return reply
        .code(400)
        .send({ code: 70402, error: 'body must be {"pushId":"<the PushID of the notification>"}' });
    }
    // clickedAt (UNIX ms) lets an SDK report a click it could only send later; never in the future.
    const now = Date.now();
    const at = typeof body.clickedAt === 'number' && body.clickedAt > 0 ? Math.min(body.clickedAt, now) : now;
    if (!(await deps.recorder.clicked(app.sdkAppId, decoded.identifier, pushId, at))) {
      return reply
        .code(404)
        .send({ code: 404, error: 'no push with this PushID for this user (traces are kept 7 days)' });
    }
    return reply.send({ code: 0, message: 'ok' });
  });
}
