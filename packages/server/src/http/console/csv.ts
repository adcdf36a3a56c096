// CSV exports of the console's data pages, with the filters of the page they come from:
//   GET /api/console/apps/:sdkappid/push-records.csv?search=&vendor=&kind=&outcome=&from=&to=
//       every matching push record, newest first, streamed page by page (not just the page on screen)
//   GET /api/console/apps/:sdkappid/statistics.csv?from=<ms>&to=<ms>
//       the statistics report of the range: the funnel of all pushes, per vendor (with its failures by
//       reason) and per push task
// Same session, app access and filters as the JSON routes; app-scoped like them. Records hold no token and
// no secret; text cells that a spreadsheet would run as a formula are prefixed with `'`.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { VENDORS } from '../../certificates/types.js';
import { RECORD_OUTCOMES, type RecordQuery, searchPushRecords } from '../../push/outcomes/record-search.js';
import { statisticsReport } from '../../push/outcomes/statistics-report.js';
import type { Database } from '../../store/schema.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { MAX_STATISTICS_RANGE_MS } from './statistics.js';
import { parseOr400, sdkAppIdOf } from './validate.js';

export interface ConsoleCsvDeps {
  db: Kysely<Database>;
  guards: ConsoleGuards;
  now: () => number;
}

const PUSH_KINDS = ['c2c', 'group', 'call', 'all-member', 'batch', 'badge'] as const;
const ms = z.coerce.number().int().min(0);
const DAY_MS = 86_400_000;
/** Records read per query while streaming. */
const EXPORT_PAGE = 100;

const recordsQuery = z.object({
  search: z.string().max(256).optional(),
  vendor: z.enum(VENDORS).optional(),
  kind: z.enum(PUSH_KINDS).optional(),
  outcome: z.enum(RECORD_OUTCOMES).optional(),
  from: ms.optional(),
  to: ms.optional(),
});

const rangeQuery = z.object({ from: ms.optional(), to: ms.optional() });

/** One CSV cell: quoted when needed; a text starting like a formula is made inert. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: (string | number | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

const iso = (msValue: number) => new Date(msValue).toISOString();

function sendCsv(reply: FastifyReply, name: string, body: Readable | string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

export const RECORD_COLUMNS = [
  'push_id',
  'created_at_utc',
  'kind',
  'to_user',
  'from_user',
  'group_id',
  'msg_key',
  'task_id',
  'instance_id',
  'vendor',
  'certificate_id',
  'outcome',
  'code',
] as const;

export function registerConsoleCsv(fastify: FastifyInstance, deps: ConsoleCsvDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };

  fastify.get(
    `${CONSOLE_API}/apps/:sdkappid/push-records.csv`,
    { ...withApp, config: { schemas: { query: recordsQuery } } },
    async (request, reply) => {
      const query = parseOr400(recordsQuery, request.query, reply);
      if (!query) return;
      const sdkAppId = sdkAppIdOf(request.params);
      // The newest record when the export started bounds it: records written while it streams are left out.
      const filters: RecordQuery = { ...query, to: query.to ?? deps.now() + 1 };
      async function* lines() {
        yield `\uFEFF${csvLine([...RECORD_COLUMNS])}`;
        let before: string | undefined;
        do {
          const page = await searchPushRecords(deps.db, sdkAppId, {
            ...filters,
            limit: EXPORT_PAGE,
            ...(before ? { before } : {}),
          });
          let chunk = '';
          for (const r of page.records) {
            chunk += csvLine([
              r.pushId,
              iso(r.createdAt),
              r.kind,
              r.toUser,
              r.fromUser,
              r.groupId,
              r.msgKey,
              r.taskId,
              r.instanceId,
              r.vendor,
              r.certificateId,
              r.outcome,
              r.code,
            ]);
          }
          if (chunk) yield chunk;
          before = page.next;
        } while (before);
      }
      return sendCsv(reply, `push-records-${sdkAppId}.csv`, Readable.from(lines()));
    },
  );

  fastify.get(
    `${CONSOLE_API}/apps/:sdkappid/statistics.csv`,
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
      const sdkAppId = sdkAppIdOf(request.params);
      const report = await statisticsReport(deps.db, sdkAppId, from, to);
      const header = [
        'scope',
        'name',
        'kind',
        'total',
        'sent',
        'delivered',
        'clicked',
        'failed',
        'outcome',
        'code',
        'count',
      ];
      let out = `\uFEFF${csvLine(['from_utc', iso(from), 'to_utc', iso(to)])}${csvLine(header)}`;
      const f = report.funnel;
      out += csvLine(['all', '', '', f.total, f.sent, f.delivered, f.clicked, f.failed]);
      for (const v of report.vendors) {
        out += csvLine(['vendor', v.vendor, '', v.total, v.sent, v.delivered, v.clicked, v.failed]);
        for (const x of v.failures) {
          out += csvLine(['failure', v.vendor, '', '', '', '', '', '', x.outcome, x.code, x.count]);
        }
      }
      for (const t of report.tasks) {
        out += csvLine(['task', t.taskId, t.kind, t.total, t.sent, t.delivered, t.clicked, t.failed]);
      }
      return sendCsv(reply, `statistics-${sdkAppId}.csv`, out);
    },
  );
}
