// What other users of the machine and other hosts can read: the data directory and its files are
// owner-only whatever the umask, `/metrics` is closed behind a trusted proxy without a token, and its
// gateway gauge counts the open client sockets.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, loadConfig } from '../src/index.js';
import { assertBuilt, spawnServer, waitForExit } from './helpers/cli.js';
import { rawSocket, waitFor } from './helpers/clients.js';
import { capturedLog } from './helpers/log-lines.js';
import { startTestServer } from './helpers/server.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** The data files every start leaves (SQLite, its WAL, the master key, the node ID) and their modes. */
function dataModes(dataDir: string): Record<string, string> {
  const out: Record<string, string> = { '.': modeOf(dataDir) };
  for (const f of ['pushline.db', 'pushline.db-wal', 'pushline.db-shm', 'master.key', 'node-id']) {
    out[f] = modeOf(join(dataDir, f));
  }
  return out;
}

const PRIVATE = {
  '.': '700',
  'pushline.db': '600',
  'pushline.db-wal': '600',
  'pushline.db-shm': '600',
  'master.key': '600',
  'node-id': '600',
};

describe('data directory permissions', () => {
  let root: string;
  let umask: number;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pushline-perms-'));
    // The usual umask, under which files are created 0644 and directories 0755 unless asked otherwise.
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a fresh data directory 0700 and its database, WAL, master key and node ID 0600', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const s = await startTestServer({ config: { dataDir } });
    try {
      await s.v4('im_open_login_svc/account_import', { UserID: 'alice' }); // something in the WAL
      expect(dataModes(dataDir)).toEqual(PRIVATE);
      expect(modeOf(`${join(dataDir, 'node-id')}.pid`)).toBe('600');
    } finally {
      await s.close();
    }
  });

  it('pushline serve does the same', async () => {
    assertBuilt();
    const dataDir = join(root, 'served');
    const server = await spawnServer(['--data', dataDir], { PUSHLINE_LOG_LEVEL: 'info' });
    try {
      const r = await fetch(`${server.url}/healthz`);
      expect(r.status).toBe(200);
      expect(dataModes(dataDir)).toEqual(PRIVATE);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('tightens database files an older version left readable, and warns about an open directory', async () => {
    const dataDir = mkdtempSync(join(root, 'old-'));
    const { chmodSync } = await import('node:fs');
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'pushline.db'), '', { mode: 0o644 });
    const { lines, stream } = capturedLog();
    const logger = pino({ level: 'warn' }, stream);
    const config = loadConfig({ env: {}, flags: { dataDir, port: 0, host: '127.0.0.1', workers: 1 } });
    const p = await createPushline(config, { logger });
    try {
      await p.listen();
      expect(modeOf(join(dataDir, 'pushline.db'))).toBe('600');
      expect(modeOf(dataDir)).toBe('755'); // not changed behind the operator's back...
      expect(lines.join('')).toContain(`the data directory ${dataDir} lets other users in (mode 755)`); // ...but said
    } finally {
      await p.close();
    }
  });
});

describe('/metrics', () => {
  it('answers loopback without a token, but not a request that came through a proxy', async () => {
    const s = await startTestServer();
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(200);
      const proxied = await fetch(`${s.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(proxied.status).toBe(403);
    } finally {
      await s.close();
    }
  });

  it('is closed to everyone behind a trusted proxy without metricsToken, and says why at start', async () => {
    const { lines, stream } = capturedLog();
    const logger = pino({ level: 'warn' }, stream);
    const s = await startTestServer({ config: { trustProxy: true }, create: { logger } });
    try {
      // A proxy on this machine: its requests come from 127.0.0.1, for clients anywhere.
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/needs PUSHLINE_METRICS_TOKEN/);
      expect(lines.join('')).toContain('/metrics answers 403: with trustProxy set');
    } finally {
      await s.close();
    }
  });

  it('answers a scraper with the token behind a trusted proxy', async () => {
    const s = await startTestServer({ config: { trustProxy: true, metricsToken: 'scrape-me-please' } });
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer scrape-me-please' } });
      expect(ok.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('counts the open client sockets in pushline_gateway_connections', async () => {
    const s = await startTestServer();
    const gauge = async () => {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      return Number(/^pushline_gateway_connections (\d+)$/m.exec(text)?.[1]);
    };
    try {
      expect(await gauge()).toBe(0);
      const a = await rawSocket(s);
      const b = await rawSocket(s);
      expect(await gauge()).toBe(2);
      a.ws.close();
      await a.closed;
      await waitFor(async () => (await gauge()) === 1, 'the closed socket to leave the gauge');
      b.ws.close();
      await b.closed;
    } finally {
      await s.close();
    }
  });
});
