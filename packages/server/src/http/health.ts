import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Metrics } from '../metrics.js';
import type { Database } from '../store/schema.js';

export function registerHealth(fastify: FastifyInstance, db: Kysely<Database>): void {
  fastify.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok' };
    } catch (err) {
      fastify.log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', reason: 'database unreachable' });
    }
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Headers a reverse proxy adds: a request carrying one came through a proxy, whatever its socket says. */
const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'x-real-ip'];

export interface MetricsAccess {
  /** `metricsToken`: scrapers must send `Authorization: Bearer <token>`. */
  token: string | undefined;
  /**
   * `trustProxy` is on: requests may arrive through a proxy on this machine, so the loopback socket
   * address proves nothing. Without a token, `/metrics` then answers nobody.
   */
  behindProxy: boolean;
}

/**
 * `/metrics`: with a token configured, a matching bearer token. Without one, only clients on this machine
 * that did not come through a proxy: loopback socket, no forwarding header, and `trustProxy` off.
 */
export function registerMetrics(fastify: FastifyInstance, metrics: Metrics, access: MetricsAccess): void {
  const { token, behindProxy } = access;
  fastify.get('/metrics', async (request, reply) => {
    if (token) {
      const given = Buffer.from(request.headers.authorization ?? '');
      const expected = Buffer.from(`Bearer ${token}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return reply.code(401).send({ error: 'a valid bearer token is required' });
      }
    } else if (behindProxy) {
      return reply.code(403).send({
        error: 'behind a reverse proxy (trustProxy is set), /metrics needs PUSHLINE_METRICS_TOKEN',
      });
    } else if (
      !LOOPBACK.has(request.socket.remoteAddress ?? '') ||
      FORWARDED.some((h) => request.headers[h] !== undefined)
    ) {
      return reply
        .code(403)
        .send({ error: 'set PUSHLINE_METRICS_TOKEN to scrape /metrics from other hosts' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
