// Serves the built console (packages/console/dist) at /console, with every unknown path under it
// answered by index.html so that the single-page app's client-side routes survive a reload.
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PATH = '/console';
/** Where `npm run build` puts the console, from both src/ and dist/ of the server package. */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, '../../../../console/dist');

// Mantine sets CSS variables through a <style> element, hence 'unsafe-inline' for styles only.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = (dir: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Pushline console not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The Pushline console is not built</h1>
<p>The console's files were not found in <code>${dir.replace(/[<>&]/g, '')}</code>.</p>
<p>Build them from the Pushline source folder with <code>npm run build</code>
(or only the console: <code>npm run build -w packages/console</code>), then restart Pushline.
<code>npm start</code> builds everything before it starts.</p>
</body></html>
`;

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin');
}

export async function registerConsoleStatic(
  fastify: FastifyInstance,
  root = DEFAULT_CONSOLE_DIR,
): Promise<void> {
  fastify.get(CONSOLE_PATH, async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`));

  // Checked once: a server started before the console was built says so until it is restarted.
  if (!existsSync(resolve(root, 'index.html'))) {
    fastify.get(`${CONSOLE_PATH}/*`, async (_request, reply) =>
      securityHeaders(reply).code(503).type('text/html; charset=utf-8').send(NOT_BUILT(root)),
    );
    return;
  }

  await fastify.register(fastifyStatic, { root, serve: false });
  fastify.get(`${CONSOLE_PATH}/*`, async (request, reply) => {
    securityHeaders(reply);
    const rel = (request.params as { '*': string })['*'];
    const file = resolve(root, rel);
    const inside = file.startsWith(root + sep);
    if (inside && rel !== '' && existsSync(file) && statSync(file).isFile()) {
      // Vite puts content-hashed files under assets/: they never change.
      const hashed = rel.startsWith('assets/');
      if (hashed) return reply.sendFile(rel, { maxAge: 365 * 86_400_000, immutable: true });
      return reply.header('cache-control', 'no-cache').sendFile(rel, { cacheControl: false });
    }
    if (rel.startsWith('assets/')) return reply.code(404).send({ error: `no such file: ${rel}` });
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
