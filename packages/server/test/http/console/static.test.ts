// The built console served at /console: files, client-side routes, caching, security headers, and a clear
// page when the console has not been built.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_DIR, registerConsoleStatic } from '../../../src/http/console/static.js';
import { assertConsoleBuilt } from '../../helpers/console.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('console static files', () => {
  let s: TestServer;
  beforeAll(async () => {
    assertConsoleBuilt();
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('redirects /console to /console/ and serves index.html with a strict CSP', async () => {
    const redirect = await fetch(`${s.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/console/');
    const index = await fetch(`${s.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const html = await index.text();
    expect(html).toContain('<div id="root"></div>');

    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${s.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('answers client-side routes with index.html, missing assets with 404, and never leaves the folder', async () => {
    for (const route of ['/console/apps', '/console/apps/1400000000', '/console/sign-in']) {
      const res = await fetch(`${s.url}${route}`);
      expect(res.status, route).toBe(200);
      expect(await res.text()).toContain('<div id="root"></div>');
    }
    expect((await fetch(`${s.url}/console/assets/missing.js`)).status).toBe(404);
    const traversal = await fetch(`${s.url}/console/..%2f..%2fserver%2fpackage.json`);
    expect(await traversal.text()).not.toContain('"name": "pushline"');
  });
});

describe('console not built', () => {
  let emptyDir: string;
  let url: string;
  const fastify = Fastify();
  beforeAll(async () => {
    emptyDir = mkdtempSync(join(tmpdir(), 'pushline-console-'));
    await registerConsoleStatic(fastify, emptyDir);
    url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await fastify.close();
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('explains how to build the console', async () => {
    const res = await fetch(`${url}/console/apps`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).toContain('The Pushline console is not built');
    expect(text).toContain('npm run build');
    expect(DEFAULT_CONSOLE_DIR).toMatch(/packages[/\\]console[/\\]dist$/);
  });
});
