// Console "Troubleshooter" page API: why did this user get no push?
//   GET /api/console/apps/:sdkappid/troubleshoot?userId=<id>[&msgKey=<key>][&pushId=<id>]
//     -> {userId, checks: [{id, title, status, detail, fix?, messages}], pushes: [{..., explanation}]}
// `messages` are the same texts as message keys with parameters (troubleshoot-messages.ts), for the console.
// Loads the facts (account, certificates, devices and bindings, receive options, the user's recent push
// traces) and hands them to troubleshoot-checks.ts.
import type { TroubleshootCheck, TroubleshootPush } from '@pushline/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService } from '../../apps/apps.js';
import type { CertificateService } from '../../certificates/service.js';
import type { BindingStore } from '../../devices/binding-store.js';
import type { SessionStore } from '../../devices/sessions.js';
import type { ReceiveSettings } from '../../messaging/receive-settings.js';
import { ANSWER_STAGES } from '../../push/outcomes/rows.js';
import type { Database } from '../../store/schema.js';
import { requireExistingApp } from './app-exists.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { explainPush, type PushSummary, runChecks } from './troubleshoot-checks.js';
import { certificateSummary, maskToken } from './users.js';
import { consoleUserIdSchema, parseOr400 } from './validate.js';

export interface ConsoleTroubleshootDeps {
  db: Kysely<Database>;
  guards: ConsoleGuards;
  apps: AppsService;
  accounts: AccountsService;
  sessions: SessionStore;
  bindings: BindingStore;
  receiveSettings: ReceiveSettings;
  certificates: CertificateService;
  now: () => number;
}

const query = z.object({
  userId: z.string().trim().pipe(consoleUserIdSchema),
  msgKey: z.string().trim().max(128).optional(),
  pushId: z.string().trim().max(128).optional(),
});

const RECENT_PUSHES = 20;

export function registerConsoleTroubleshoot(fastify: FastifyInstance, deps: ConsoleTroubleshootDeps): void {
  const withApp = {
    preHandler: [
      deps.guards.requireConsoleUser,
      deps.guards.requireAppAccess(),
      requireExistingApp(deps.apps),
    ],
  };
  const sdkAppIdOf = (req: FastifyRequest) => Number((req.params as { sdkappid: string }).sdkappid);

  fastify.get(
    `${CONSOLE_API}/apps/:sdkappid/troubleshoot`,
    { ...withApp, config: { schemas: { query } } },
    async (req, reply) => {
      const q = parseOr400(query, req.query, reply);
      if (!q) return;
      const sdkAppId = sdkAppIdOf(req);
      const { userId } = q;
      const msgKey = q.msgKey || undefined;
      const pushId = q.pushId || undefined;
      const [app, account, targets, certificates, dnds, muted, pushes] = await Promise.all([
        deps.apps.get(sdkAppId),
        deps.accounts.get(sdkAppId, userId),
        deps.sessions.instancesOf(sdkAppId, [userId]),
        deps.certificates.list(sdkAppId),
        deps.receiveSettings.dndOf(sdkAppId, [userId]),
        deps.db
          .selectFrom('receive_options')
          .select(['target', 'opt'])
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('opt', '!=', 0)
          .orderBy('target')
          .execute(),
        recentPushes(deps.db, sdkAppId, userId, { msgKey, pushId }),
      ]);
      if (!app) return sendError(reply, 404, 'appNotFound', { sdkAppId });
      const bindings = await deps.bindings.ofUser(sdkAppId, userId);
      const instances = targets.map((i) => ({
        ...i,
        bindings: bindings.filter((b) => b.instanceId === i.instanceId),
      }));
      const checks = runChecks({
        userId,
        accountExists: account !== undefined,
        kickedAt: account?.kickedAt ?? null,
        settings: app.settings,
        certificates,
        instances,
        dnd: dnds.get(userId),
        mutedTargets: muted,
        pushes,
        now: deps.now(),
      });
      const byId = new Map(certificates.map((c) => [c.id, c]));
      return {
        userId,
        ...(msgKey ? { msgKey } : {}),
        ...(pushId ? { pushId } : {}),
        devices: instances.map((i) => ({
          instanceId: i.instanceId,
          platform: i.platform,
          state: i.state,
          lastSeenAt: i.lastSeenAt,
          bindings: i.bindings.map((b) => ({
            tokenType: b.tokenType,
            token: maskToken(b.token),
            reportedAt: b.reportedAt,
            certificate: certificateSummary(byId.get(b.certificateId)),
          })),
        })),
        checks: checks satisfies TroubleshootCheck[],
        pushes: pushes.map((p) => ({
          ...p,
          explanation: explainPush(p, certificates),
        })) satisfies TroubleshootPush[],
      };
    },
  );
}

/** The user's latest pushes (newest first), with their vendor answers, retries and receipts. */
async function recentPushes(
  db: Kysely<Database>,
  sdkAppId: number,
  userId: string,
  filter: { msgKey?: string | undefined; pushId?: string | undefined },
): Promise<PushSummary[]> {
  let q = db
    .selectFrom('push_traces')
    .selectAll()
    .where('sdkappid', '=', sdkAppId)
    .where('to_user', '=', userId);
  if (filter.msgKey) q = q.where('msg_key', '=', filter.msgKey);
  if (filter.pushId) q = q.where('push_id', '=', filter.pushId);
  const traces = await q.orderBy('created_at', 'desc').limit(RECENT_PUSHES).execute();
  if (traces.length === 0) return [];
  const events = await db
    .selectFrom('push_trace_events')
    .select(['push_id', 'stage', 'at', 'code'])
    .where(
      'push_id',
      'in',
      traces.map((t) => t.push_id),
    )
    .orderBy('id')
    .execute();
  return traces.map((t) => {
    const mine = events.filter((e) => e.push_id === t.push_id);
    const answers = mine.filter((e) => ANSWER_STAGES.has(e.stage));
    const last = answers.filter((e) => e.stage !== 'retry').at(-1) ?? answers.at(-1);
    const receipt = mine.filter((e) => ['delivered', 'undelivered', 'clicked'].includes(e.stage)).at(-1);
    return {
      pushId: t.push_id,
      msgKey: t.msg_key,
      taskId: t.task_id,
      createdAt: Number(t.created_at),
      instanceId: t.instance_id,
      vendor: t.vendor,
      certificateId: t.certificate_id,
      token: t.token_suffix ? `…${t.token_suffix.slice(-4)}` : null,
      skipReason: t.skip_reason,
      answer: last ? { stage: last.stage, code: last.code, at: Number(last.at) } : null,
      retries: answers.filter((e) => e.stage === 'retry').map((e) => ({ code: e.code, at: Number(e.at) })),
      receipt: (receipt?.stage as PushSummary['receipt']) ?? null,
    };
  });
}
