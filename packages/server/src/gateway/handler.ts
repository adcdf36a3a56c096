// What every op handler of the gateway gets: the login it serves (Session) and the shared services.
import type { GatewayContext } from './context.js';
import type { Op, OpData } from './protocol.js';

export interface Session {
  sdkAppId: number;
  userId: string;
  instanceId: string;
  /** The login's platform (OptPlatform of callbacks). */
  platform: string;
  /** The client's IP address (ClientIP of callbacks). */
  clientIp: string;
}

export type Handler<O extends Op> = (
  ctx: GatewayContext,
  s: Session,
  data: OpData<O>,
) => Promise<Record<string, unknown>>;
