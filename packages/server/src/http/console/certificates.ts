// Console JSON API for push certificates (authenticated by auth.ts):
//   GET    /api/console/apps/:sdkappid/certificates              -> {certificates: [...]}
//   POST   /api/console/apps/:sdkappid/certificates              -> 201 {certificate}
//   GET    /api/console/apps/:sdkappid/certificates/:id          -> {certificate}
//   PUT    /api/console/apps/:sdkappid/certificates/:id          -> {certificate}
//   DELETE /api/console/apps/:sdkappid/certificates/:id          -> 204
//   POST   /api/console/apps/:sdkappid/certificates/:id/test     -> {outcome}
//   POST   /api/console/apps/:sdkappid/certificates/:id/pause    -> {certificate}
//   POST   /api/console/apps/:sdkappid/certificates/:id/resume   -> {certificate}
// Files travel as base64 (p12Base64) or text (p8, serviceAccount). Refused input: 400 {error: {field, message}}.
import type { PushOutcome } from '@pushline/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type CertificateInput,
  CertificateInputError,
  certificateDefaultsSchema,
} from '../../certificates/input.js';
import { CertificateNotFoundError, type CertificateService } from '../../certificates/service.js';
import { PAUSE_MODES, VENDORS } from '../../certificates/types.js';
import { type ConsoleAuthDeps, consoleAuth, consoleError } from './auth.js';
import { certificateErrorText } from './error-english.js';
import { issueText } from './zod-issue-text.js';

const text = z.string().max(65_536);
const fields = {
  name: z.string().max(128),
  voip: z.boolean(),
  p12Base64: z
    .string()
    .max(200_000)
    .regex(/^[A-Za-z0-9+/=\s]*$/, 'must be base64'),
  password: text,
  p8: text,
  keyId: text,
  teamId: text,
  bundleId: text,
  environment: z.enum(['development', 'production']),
  serviceAccount: z.union([text, z.record(z.string(), z.unknown())]),
  serverKey: text,
  appId: text,
  clientId: text,
  clientSecret: text,
  appKey: text,
  appSecret: text,
  masterSecret: text,
  packageName: text,
  vapidPublicKey: text,
  vapidPrivateKey: text,
  subject: text,
  defaults: certificateDefaultsSchema,
};
const optional = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
};
const createBody = z.object({ vendor: z.enum(VENDORS), ...optional }).strict();
const updateBody = z.object(optional).strict();
const testBody = z
  .object({ token: z.string().min(1).max(8192), text: z.string().max(200).optional() })
  .strict();
const pauseBody = z
  .object({ reason: z.string().max(200).optional(), mode: z.enum(PAUSE_MODES).optional() })
  .strict();

type Body = z.infer<typeof updateBody>;

/** Console field names: the .p12 travels as `p12Base64`. */
const consoleField = (field: string) => (field === 'p12' ? 'p12Base64' : field);

function toInput(body: Body): Omit<CertificateInput, 'vendor'> {
  const { p12Base64, serviceAccount, ...rest } = body;
  return {
    ...rest,
    ...(p12Base64 !== undefined ? { p12: Buffer.from(p12Base64, 'base64') } : {}),
    ...(serviceAccount !== undefined
      ? {
          serviceAccount:
            typeof serviceAccount === 'string' ? serviceAccount : JSON.stringify(serviceAccount),
        }
      : {}),
  } as Omit<CertificateInput, 'vendor'>;
}

export interface ConsoleCertificateDeps extends ConsoleAuthDeps {
  certificates: CertificateService;
}

export async function registerConsoleCertificates(
  fastify: FastifyInstance,
  deps: ConsoleCertificateDeps,
): Promise<void> {
  await fastify.register(async (api) => {
    api.addHook('preHandler', consoleAuth(deps));

    api.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      if (error instanceof CertificateInputError) {
        const text = certificateErrorText(error);
        const body = consoleError(text.key, text.params, consoleField(error.field));
        // The error's own English: the key's text, or more (an unreadable .p12 keeps the reader's words).
        return reply.code(400).send({ ...body, error: { ...body.error, message: error.message } });
      }
      if (error instanceof z.ZodError) {
        const issue = error.issues[0];
        if (!issue) return reply.code(400).send(consoleError('invalidInput', { detail: 'invalid input' }));
        const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.') || undefined;
        const text = issueText(issue, request.body);
        // zod's English stays the message (scripts read it); the key is for the console.
        const body = consoleError(text.key, text.params, field);
        return reply.code(400).send({
          ...body,
          error: { ...body.error, ...(issue.code === 'unrecognized_keys' ? {} : { message: issue.message }) },
        });
      }
      if (error instanceof CertificateNotFoundError) {
        const params = { id: Number.isNaN(error.id) ? '' : error.id, sdkAppId: error.sdkAppId };
        return reply.code(404).send(consoleError('certificateNotFound', params));
      }
      // A file far larger than any certificate or key (a few kilobytes): the wrong file was chosen.
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return reply
          .code(413)
          .send(consoleError('uploadTooLarge', { max: api.initialConfig.bodyLimit ?? 0 }));
      if (error.statusCode && error.statusCode < 500)
        return reply.code(error.statusCode).send(consoleError('invalidInput', { detail: error.message }));
      request.log.error({ err: error }, 'console API request failed');
      return reply.code(500).send(consoleError('internalError'));
    });

    const base = '/api/console/apps/:sdkappid/certificates';
    const app = (req: FastifyRequest) =>
      (req.consoleApp as NonNullable<FastifyRequest['consoleApp']>).sdkAppId;
    const id = (req: FastifyRequest) => {
      const raw = (req.params as { id: string }).id;
      if (!/^\d{1,15}$/.test(raw)) throw new CertificateNotFoundError(app(req), Number.NaN);
      return Number(raw);
    };

    api.get(base, async (req) => ({ certificates: await deps.certificates.list(app(req)) }));

    api.post(base, { config: { schemas: { body: createBody } } }, async (req, reply: FastifyReply) => {
      const { vendor, ...body } = createBody.parse(req.body ?? {});
      const certificate = await deps.certificates.add(app(req), { vendor, ...toInput(body) });
      return reply.code(201).send({ certificate });
    });

    api.get(`${base}/:id`, async (req) => ({ certificate: await deps.certificates.get(app(req), id(req)) }));

    api.put(`${base}/:id`, { config: { schemas: { body: updateBody } } }, async (req) => {
      const body = updateBody.parse(req.body ?? {});
      return { certificate: await deps.certificates.update(app(req), id(req), toInput(body)) };
    });

    api.delete(`${base}/:id`, async (req, reply: FastifyReply) => {
      await deps.certificates.remove(app(req), id(req));
      return reply.code(204).send();
    });

    api.post(`${base}/:id/test`, { config: { schemas: { body: testBody } } }, async (req) => {
      const body = testBody.parse(req.body ?? {});
      const { outcome } = await deps.certificates.test(app(req), id(req), body.token, body.text);
      return { outcome } satisfies { outcome: PushOutcome };
    });

    api.post(`${base}/:id/pause`, { config: { schemas: { body: pauseBody } } }, async (req) => {
      const body = pauseBody.parse(req.body ?? {});
      return { certificate: await deps.certificates.pause(app(req), id(req), body.reason, body.mode) };
    });

    api.post(`${base}/:id/resume`, async (req) => ({
      certificate: await deps.certificates.resume(app(req), id(req)),
    }));
  });
}
