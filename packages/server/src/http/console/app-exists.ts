import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppsService } from '../../apps/apps.js';
import { sendError } from './session.js';

/**
 * For routes of one app, after requireAppAccess: 404 when the app does not exist (an admin may "see" any
 * SDKAppID, so the access guard alone lets an unknown one through).
 */
export function requireExistingApp(apps: AppsService): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply) => {
    const raw = (request.params as { sdkappid?: string }).sdkappid;
    if (!(await apps.get(Number(raw))))
      return sendError(reply, 404, 'appNotFound', { sdkAppId: String(raw) });
  };
}
