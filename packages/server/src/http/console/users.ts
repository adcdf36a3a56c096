// Console "Users and devices" page API: find a user, see each instance with its push bindings and the
// unread total, kick the user, remove one binding, send a test push to a binding's token.
//   GET    /api/console/apps/:sdkappid/users?search=<text>&after=<userid>&limit=<n> -> {users: [...], next}
//   GET    /api/console/apps/:sdkappid/users/:userid                               -> the user's devices
//   POST   /api/console/apps/:sdkappid/users/:userid/kick                          -> 204
//   DELETE /api/console/apps/:sdkappid/users/:userid/instances/:instance/bindings/:type       -> 204
//   POST   /api/console/apps/:sdkappid/users/:userid/instances/:instance/bindings/:type/test  -> {outcome}
// Tokens are never shown in full: the console sees them masked and addresses a binding by its instance and
// token type.
import type { CertificateSummary, PushOutcome, UserDevices } from '@pushline/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService } from '../../apps/apps.js';
import { CertificateInputError } from '../../certificates/input.js';
import type { CertificateService } from '../../certificates/service.js';
import type { CertificateInfo } from '../../certificates/types.js';
import type { BindingStore } from '../../devices/binding-store.js';
import type { SessionStore } from '../../devices/sessions.js';
import type { InboxService } from '../../messaging/inbox.js';
import type { Database } from '../../store/schema.js';
import { requireExistingApp } from './app-exists.js';
import { certificateErrorText, englishError } from './error-english.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { parseOr400, userIdText } from './validate.js';

export interface ConsoleUsersDeps {
  db: Kysely<Database>;
  guards: ConsoleGuards;
  apps: AppsService;
  accounts: AccountsService;
  sessions: SessionStore;
  bindings: BindingStore;
  inbox: InboxService;
  /** Ends every login of a user (the gateway kicks them on every node). */
  gateway: { kickUser(sdkAppId: number, userId: string): Promise<void> };
  certificates: CertificateService;
}

/** Enough of a token to tell two apart and match it to a simulator or a device log, never to push to it. */
export function maskToken(token: string): string {
  return token.length <= 12 ? `${token.slice(0, 2)}…` : `${token.slice(0, 6)}…${token.slice(-4)}`;
}

export function certificateSummary(c: CertificateInfo | undefined): CertificateSummary | null {
  return c
    ? {
        id: c.id,
        name: c.name,
        vendor: c.vendor,
        kind: c.kind,
        environment: c.environment ?? null,
        status: c.status,
      }
    : null;
}

/** Users per page of the list, unless `limit` asks for another count (at most USERS_PAGE_MAX). */
const USERS_PAGE = 50;
const USERS_PAGE_MAX = 200;

const usersQuery = z.object({
  search: z.string().max(64, 'at most 64 characters').optional(),
  /** The last UserID of the previous page (its `next`). */
  after: z.string().max(256, 'at most 256 characters').optional(),
  limit: z.coerce
    .number()
    .int('a whole number')
    .min(1, `1 to ${USERS_PAGE_MAX}`)
    .max(USERS_PAGE_MAX, `1 to ${USERS_PAGE_MAX}`)
    .optional(),
});

/** online: an instance in the foreground; background: none in front, one in the background (pushes go). */
type UserState = 'online' | 'background' | 'offline';

const testBody = z.object({ text: z.string().max(200, 'at most 200 characters').optional() }).strict();

const sdkAppIdOf = (req: FastifyRequest) => Number((req.params as { sdkappid: string }).sdkappid);
const userIdOf = (req: FastifyRequest) => (req.params as { userid: string }).userid;

/**
 * 400 for a `:userid` that breaks the UserID rule every door applies (apps/user-id.ts): the English names
 * the path parameter, `text` the broken rule's key (as the composer's UserIDs).
 */
async function requireValidUserId(req: FastifyRequest, reply: FastifyReply) {
  const userId = (req.params as { userid?: string }).userid;
  const text = userId === undefined ? undefined : userIdText(userId);
  if (text) return reply.code(400).send({ error: `userid: ${englishError(text)}`, text });
}

export function registerConsoleUsers(fastify: FastifyInstance, deps: ConsoleUsersDeps): void {
  const withApp = {
    preHandler: [
      deps.guards.requireConsoleUser,
      deps.guards.requireAppAccess(),
      requireExistingApp(deps.apps),
      requireValidUserId,
    ],
  };
  const base = `${CONSOLE_API}/apps/:sdkappid/users`;

  fastify.get(base, { ...withApp, config: { schemas: { query: usersQuery } } }, async (req, reply) => {
    const query = parseOr400(usersQuery, req.query, reply);
    if (!query) return;
    const { search = '', after = '', limit = USERS_PAGE } = query;
    const sdkAppId = sdkAppIdOf(req);
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Accounts, and users that logged in without an imported account (the gateway allows it); a page is
    // the next `limit` UserIDs after `after`, in UserID order.
    const page = await sql<{ user_id: string }>`
      select user_id from (
        select user_id from accounts where sdkappid = ${sdkAppId} and user_id like ${like} escape '\\'
        union
        select user_id from instances where sdkappid = ${sdkAppId} and user_id like ${like} escape '\\'
      ) u where user_id > ${after} order by user_id limit ${limit + 1}`.execute(deps.db);
    const ids = page.rows.slice(0, limit).map((r) => r.user_id);
    if (ids.length === 0) return { users: [], next: null };
    const [instances, vendors] = await Promise.all([
      deps.db
        .selectFrom('instances')
        .select(['user_id', 'state', 'last_seen_at'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', ids)
        .execute(),
      deps.db
        .selectFrom('push_bindings as b')
        .innerJoin('certificates as c', (j) =>
          j.onRef('c.id', '=', 'b.certificate_id').onRef('c.sdkappid', '=', 'b.sdkappid'),
        )
        .select(['b.user_id', 'c.vendor'])
        .distinct()
        .where('b.sdkappid', '=', sdkAppId)
        .where('b.user_id', 'in', ids)
        .execute(),
    ]);
    return {
      users: ids.map((userId) => {
        const mine = instances.filter((i) => i.user_id === userId);
        const state: UserState = mine.some((i) => i.state === 'Online')
          ? 'online'
          : mine.some((i) => i.state === 'PushOnline')
            ? 'background'
            : 'offline';
        const lastSeen = Math.max(0, ...mine.map((i) => Number(i.last_seen_at)));
        return {
          userId,
          instances: mine.length,
          state,
          vendors: [...new Set(vendors.filter((v) => v.user_id === userId).map((v) => v.vendor))].sort(),
          lastSeenAt: lastSeen || null,
        };
      }),
      next: page.rows.length > limit ? (ids[ids.length - 1] ?? null) : null,
    };
  });

  fastify.get(`${base}/:userid`, withApp, async (req, reply) => {
    const sdkAppId = sdkAppIdOf(req);
    const userId = userIdOf(req);
    const [account, instances, certificates, unread] = await Promise.all([
      deps.accounts.get(sdkAppId, userId),
      deps.sessions.instancesOf(sdkAppId, [userId]),
      deps.certificates.list(sdkAppId),
      deps.inbox.totalUnread(sdkAppId, userId),
    ]);
    if (!account && instances.length === 0) return sendError(reply, 404, 'userNotFound', { userId });
    const bindings = await deps.bindings.ofUser(sdkAppId, userId);
    const byCert = new Map(certificates.map((c) => [c.id, c]));
    return {
      userId,
      account: account ? { nick: account.nick, kickedAt: account.kickedAt } : null,
      unreadTotal: unread,
      instances: instances.map((i) => ({
        instanceId: i.instanceId,
        platform: i.platform,
        state: i.state,
        background: i.background,
        badgeBase: i.badgeBase,
        loggedInAt: i.loggedInAt,
        lastSeenAt: i.lastSeenAt,
        bindings: bindings
          .filter((b) => b.instanceId === i.instanceId)
          .map((b) => ({
            tokenType: b.tokenType,
            token: maskToken(b.token),
            reportedAt: b.reportedAt,
            certificateId: b.certificateId,
            certificate: certificateSummary(byCert.get(b.certificateId)),
          })),
      })),
    } satisfies UserDevices;
  });

  fastify.post(`${base}/:userid/kick`, withApp, async (req, reply) => {
    const sdkAppId = sdkAppIdOf(req);
    const userId = userIdOf(req);
    // As im_open_login_svc/kick: UserSigs issued so far stop working, sessions end, bindings go.
    if (!(await deps.accounts.kick(sdkAppId, userId))) {
      return sendError(reply, 404, 'accountNotFound', { userId });
    }
    await deps.gateway.kickUser(sdkAppId, userId);
    req.log.info(
      { audit: 'console.user.kick', user: req.consoleUser!.username, sdkAppId, userId },
      'console: user kicked',
    );
    return reply.code(204).send();
  });

  const bindingPath = `${base}/:userid/instances/:instance/bindings/:type`;
  const bindingOf = async (req: FastifyRequest) => {
    const { instance, type } = req.params as { instance: string; type: string };
    if (!/^[02]$/.test(type)) return undefined;
    const found = await deps.bindings.of(sdkAppIdOf(req), userIdOf(req), instance);
    return found.find((b) => b.tokenType === Number(type));
  };

  fastify.delete(bindingPath, withApp, async (req, reply) => {
    const { instance, type } = req.params as { instance: string; type: string };
    const sdkAppId = sdkAppIdOf(req);
    const userId = userIdOf(req);
    if (!/^[02]$/.test(type) || !(await deps.bindings.remove(sdkAppId, userId, instance, Number(type)))) {
      return sendError(reply, 404, 'bindingTypeNotFound', { instance, userId, type });
    }
    req.log.info(
      { audit: 'console.binding.remove', user: req.consoleUser!.username, sdkAppId, userId, instance },
      'console: push binding removed',
    );
    return reply.code(204).send();
  });

  fastify.post(
    `${bindingPath}/test`,
    { ...withApp, config: { schemas: { body: testBody } } },
    async (req, reply) => {
      const body = parseOr400(testBody, req.body, reply);
      if (!body) return;
      const binding = await bindingOf(req);
      if (!binding) return sendError(reply, 404, 'bindingNotFound');
      try {
        const { outcome } = await deps.certificates.test(
          sdkAppIdOf(req),
          binding.certificateId,
          binding.token,
          body.text,
        );
        return { outcome } satisfies { outcome: PushOutcome };
      } catch (err) {
        if (err instanceof CertificateInputError) {
          const text = certificateErrorText(err);
          return sendError(reply, 400, text.key, text.params);
        }
        throw err;
      }
    },
  );
}
