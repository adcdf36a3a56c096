// Console push records: an app's pushes, searchable and paged, and the trace of one push.
//   GET /api/console/apps/:sdkappid/push-records?search=&vendor=&kind=&outcome=&from=&to=&before=&limit=
//       -> {records: [...], next}
//   GET /api/console/apps/:sdkappid/push-records/:pushId -> {record, trace}   (trace: Tencent InstanceTrace)
import type { PushRecordRow, RecordPage } from '@pushline/contracts';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { VENDORS } from '../../certificates/types.js';
import { RECORD_OUTCOMES, RecordCursorError, searchPushRecords } from '../../push/outcomes/record-search.js';
import { loadInstanceTraces } from '../../push/outcomes/trace-view.js';
import type { Database } from '../../store/schema.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { parseOr400, sdkAppIdOf } from './validate.js';

export interface ConsoleRecordsDeps {
  db: Kysely<Database>;
  guards: ConsoleGuards;
}

const PUSH_KINDS = ['c2c', 'group', 'call', 'all-member', 'batch', 'badge', 'recall', 'read'] as const;
const ms = z.coerce.number().int().min(0);

const listQuery = z.object({
  search: z.string().max(256).optional(),
  vendor: z.enum(VENDORS).optional(),
  kind: z.enum(PUSH_KINDS).optional(),
  outcome: z.enum(RECORD_OUTCOMES).optional(),
  from: ms.optional(),
  to: ms.optional(),
  before: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export function registerConsoleRecords(fastify: FastifyInstance, deps: ConsoleRecordsDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };
  const base = `${CONSOLE_API}/apps/:sdkappid/push-records`;

  fastify.get(base, { ...withApp, config: { schemas: { query: listQuery } } }, async (request, reply) => {
    const query = parseOr400(listQuery, request.query, reply);
    if (!query) return;
    try {
      return (await searchPushRecords(deps.db, sdkAppIdOf(request.params), query)) satisfies RecordPage;
    } catch (err) {
      if (err instanceof RecordCursorError) return sendError(reply, 400, 'cursorInvalid');
      throw err;
    }
  });

  fastify.get(`${base}/:pushId`, withApp, async (request, reply) => {
    const sdkAppId = sdkAppIdOf(request.params);
    const { pushId } = request.params as { pushId: string };
    const [trace] = await loadInstanceTraces(deps.db, sdkAppId, { pushId });
    const [record] = (await searchPushRecords(deps.db, sdkAppId, { pushId, limit: 1 })).records;
    if (!trace || !record) return sendError(reply, 404, 'pushNotFound', { pushId });
    return { record, trace } satisfies { record: PushRecordRow; trace: object };
  });
}
