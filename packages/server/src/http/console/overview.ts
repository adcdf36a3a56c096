// Console "Overview" page API: one app at a glance.
//   GET /api/console/apps/:sdkappid/overview -> {devices, pushes, queue, alerts}
// - devices: logged-in and logged-out instances by vendor (of their vendor-token binding) and state;
// - pushes: the last 24 hours, hour by hour, by outcome (from the hourly push counters);
// - alerts: certificates expiring within 30 days or paused, dead-lettered pushes, failing webhooks.
import type { Alert, AlertTextKey, OverviewData } from '@pushline/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppsService } from '../../apps/apps.js';
import type { CertificateService } from '../../certificates/service.js';
import { isLoss } from '../../push/outcomes/loss.js';
import type { PushQueue } from '../../push/queue/index.js';
import type { Database } from '../../store/schema.js';
import { requireExistingApp } from './app-exists.js';
import { CONSOLE_API, type ConsoleGuards } from './session.js';

export interface ConsoleOverviewDeps {
  db: Kysely<Database>;
  /**
   * The devices by vendor and state and the day's chart read every device and hour: long reads, off the main
   * thread on SQLite (store/read-worker.ts).
   */
  reads: Kysely<Database>;
  guards: ConsoleGuards;
  apps: AppsService;
  certificates: CertificateService;
  pushQueue: PushQueue;
  now: () => number;
}

/** The chart's series: where each push ended. */
export const PUSH_OUTCOME_SERIES = ['sent', 'skipped', 'lost', 'refused', 'failed'] as const;
type Series = (typeof PUSH_OUTCOME_SERIES)[number];

/** Counter outcome (and skip reason) -> chart series; receipts and retries are not final outcomes. */
function seriesOf(outcome: string, code: string): Series | undefined {
  if (outcome === 'sent') return 'sent';
  if (outcome === 'skipped') return isLoss(code) ? 'lost' : 'skipped';
  if (outcome === 'invalid-token' || outcome === 'rejected' || outcome === 'credential-error')
    return 'refused';
  if (outcome === 'failed') return 'failed';
  return undefined;
}

const HOUR_S = 3600;

export type { Alert, AlertTextKey };

export function registerConsoleOverview(fastify: FastifyInstance, deps: ConsoleOverviewDeps): void {
  const withApp = {
    preHandler: [
      deps.guards.requireConsoleUser,
      deps.guards.requireAppAccess(),
      requireExistingApp(deps.apps),
    ],
  };
  const sdkAppIdOf = (req: FastifyRequest) => Number((req.params as { sdkappid: string }).sdkappid);

  fastify.get(`${CONSOLE_API}/apps/:sdkappid/overview`, withApp, async (req) => {
    const sdkAppId = sdkAppIdOf(req);
    const now = deps.now();
    const [devices, pushes, certificates, queue, webhooks] = await Promise.all([
      devicesByVendorAndState(deps.reads, sdkAppId),
      pushesLast24h(deps.reads, sdkAppId, now),
      deps.certificates.list(sdkAppId),
      deps.pushQueue.stats({ sdkAppId }),
      webhookFailures(deps.db, sdkAppId),
    ]);
    const alerts: Alert[] = [];
    for (const c of certificates) {
      if (c.expiringSoon && c.expiresAt !== null) {
        const expired = c.expiresAt <= now;
        alerts.push({
          kind: 'certificate-expiring',
          severity: expired ? 'error' : 'warning',
          certificateId: c.id,
          message: `Certificate ${c.id} (${c.name}) ${expired ? 'expired' : 'expires'} on ${new Date(c.expiresAt).toISOString().slice(0, 10)}: upload a renewed one.`,
          text: {
            key: expired ? 'certificateExpired' : 'certificateExpiring',
            params: { id: c.id, name: c.name, expiresAt: c.expiresAt },
          },
        });
      }
      if (c.status === 'paused') {
        alerts.push({
          kind: 'certificate-paused',
          severity: 'error',
          certificateId: c.id,
          message: `Certificate ${c.id} (${c.name}) is paused${c.pausedReason ? `: ${c.pausedReason}` : ''}. ${
            c.pausedMode === 'discard'
              ? 'Its pushes are discarded until you resume it.'
              : `Its pushes are held (${queue.held} waiting in this app) until you fix the credential and resume it; pushes whose message lifetime ends first are dropped.`
          }`,
          text: {
            key: c.pausedMode === 'discard' ? 'certificatePausedDiscard' : 'certificatePausedHold',
            params: { id: c.id, name: c.name, held: queue.held },
            ...(c.pausedReason ? { because: c.pausedReason } : {}),
          },
        });
      }
    }
    if (queue.dead > 0) {
      alerts.push({
        kind: 'dead-letters',
        severity: 'error',
        message: `${queue.dead} push${queue.dead === 1 ? ' was' : 'es were'} given up after the last retry (dead letters): see \`pushline queue dead ${sdkAppId}\`.`,
        text: { key: 'deadLetters', params: { count: queue.dead, sdkAppId } },
      });
    }
    if (webhooks.batches > 0) {
      alerts.push({
        kind: 'webhook-failures',
        severity: 'warning',
        message: `${webhooks.batches} webhook batch${webhooks.batches === 1 ? '' : 'es'} could not be delivered to the callback URL yet${webhooks.lastError ? ` (last error: ${webhooks.lastError})` : ''}.`,
        text: {
          key: 'webhookFailures',
          params: { count: webhooks.batches },
          ...(webhooks.lastError ? { because: webhooks.lastError } : {}),
        },
      });
    }
    return {
      devices,
      pushes: { series: PUSH_OUTCOME_SERIES, hours: pushes },
      queue,
      certificates: {
        total: certificates.length,
        active: certificates.filter((c) => c.status === 'active').length,
      },
      alerts,
    } satisfies OverviewData;
  });
}

/** Instances by vendor of their vendor-token binding ('none' without one) and state. */
async function devicesByVendorAndState(db: Kysely<Database>, sdkAppId: number) {
  const rows = await db
    .selectFrom('instances as i')
    .leftJoin('push_bindings as b', (join) =>
      join
        .onRef('b.sdkappid', '=', 'i.sdkappid')
        .onRef('b.user_id', '=', 'i.user_id')
        .onRef('b.instance_id', '=', 'i.instance_id')
        .on('b.token_type', '=', 0),
    )
    .leftJoin('certificates as c', 'c.id', 'b.certificate_id')
    .select(['i.state as state', 'c.vendor as vendor', (eb) => eb.fn.countAll<number>().as('count')])
    .where('i.sdkappid', '=', sdkAppId)
    .groupBy(['i.state', 'c.vendor'])
    .execute();
  const byVendor = new Map<string, { vendor: string; Online: number; PushOnline: number; Offline: number }>();
  for (const r of rows) {
    const vendor = r.vendor ?? 'none';
    const entry = byVendor.get(vendor) ?? { vendor, Online: 0, PushOnline: 0, Offline: 0 };
    if (r.state === 'Online' || r.state === 'PushOnline' || r.state === 'Offline')
      entry[r.state] += Number(r.count);
    byVendor.set(vendor, entry);
  }
  return [...byVendor.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
}

/** 24 hourly buckets ending with the current hour; every series present in each (0 when none). */
async function pushesLast24h(db: Kysely<Database>, sdkAppId: number, now: number) {
  const current = Math.floor(now / 1000 / HOUR_S) * HOUR_S;
  const first = current - 23 * HOUR_S;
  const rows = await db
    .selectFrom('push_stats_hourly')
    .select(['hour', 'outcome', 'code', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('sdkappid', '=', sdkAppId)
    .where('hour', '>=', first)
    .groupBy(['hour', 'outcome', 'code'])
    .execute();
  const hours = Array.from({ length: 24 }, (_, i) => {
    const hour = first + i * HOUR_S;
    return { hour: hour * 1000, sent: 0, skipped: 0, lost: 0, refused: 0, failed: 0 };
  });
  for (const r of rows) {
    const series = seriesOf(r.outcome, r.code);
    const bucket = hours[(Number(r.hour) - first) / HOUR_S];
    if (series && bucket) bucket[series] += Number(r.count);
  }
  return hours;
}

/** Webhook batches that failed at least once and still wait for delivery. */
async function webhookFailures(db: Kysely<Database>, sdkAppId: number) {
  const [count, last] = await Promise.all([
    db
      .selectFrom('push_webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sdkappid', '=', sdkAppId)
      .where('attempts', '>', 0)
      .executeTakeFirst(),
    db
      .selectFrom('push_webhook_outbox')
      .select('last_error')
      .where('sdkappid', '=', sdkAppId)
      .where('attempts', '>', 0)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { batches: Number(count?.n ?? 0), lastError: last?.last_error ?? null };
}
