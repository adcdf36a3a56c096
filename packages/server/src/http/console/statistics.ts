// Console statistics: funnel, per-vendor figures with failures by reason, an hourly series and per-task
// figures over a time range (push/outcomes/statistics-report.ts).
//   GET /api/console/apps/:sdkappid/statistics?from=<ms>&to=<ms>   (default: the last 24 hours)
import type { StatisticsReport } from '@pushline/contracts';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { statisticsReport } from '../../push/outcomes/statistics-report.js';
import type { Database } from '../../store/schema.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { parseOr400, sdkAppIdOf } from './validate.js';

export interface ConsoleStatisticsDeps {
  db: Kysely<Database>;
  guards: ConsoleGuards;
  now: () => number;
}

const DAY_MS = 86_400_000;
/** The hourly series has one point per hour: 31 days keep a chart readable and the answer small. */
export const MAX_STATISTICS_RANGE_MS = 31 * DAY_MS;

const rangeQuery = z.object({
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

export function registerConsoleStatistics(fastify: FastifyInstance, deps: ConsoleStatisticsDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };

  fastify.get(
    `${CONSOLE_API}/apps/:sdkappid/statistics`,
    { ...withApp, config: { schemas: { query: rangeQuery } } },
    async (request, reply) => {
      const query = parseOr400(rangeQuery, request.query, reply);
      if (!query) return;
      const to = query.to ?? deps.now();
      const from = query.from ?? to - DAY_MS;
      if (from >= to) return sendError(reply, 400, 'rangeOrder');
      if (to - from > MAX_STATISTICS_RANGE_MS) {
        return sendError(reply, 400, 'rangeTooLong');
      }
      return (await statisticsReport(
        deps.db,
        sdkAppIdOf(request.params),
        from,
        to,
      )) satisfies StatisticsReport;
    },
  );
}
