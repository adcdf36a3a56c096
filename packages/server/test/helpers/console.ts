import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_CONSOLE_DIR } from '../../src/http/console/static.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';

// A browser-like client of the console JSON API: keeps the session cookie and sends the CSRF token.
export interface ConsoleResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are checked with expect()
  body: any;
}

export interface RequestOptions {
  /** Override the CSRF header: a string to send, null to leave it out. Default: the session's token. */
  csrf?: string | null;
  /** Extra headers (e.g. x-forwarded-for). */
  headers?: Record<string, string>;
}

export class ConsoleClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<ConsoleResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrfToken : opts.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie?.startsWith('pushline_session=')) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'pushline_session=' ? undefined : value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  async login(
    username: string,
    password: string,
    headers?: Record<string, string>,
  ): Promise<ConsoleResponse> {
    const res = await this.request('POST', '/api/console/session', { username, password }, { headers });
    if (res.status === 200) this.csrfToken = res.body.csrfToken;
    return res;
  }

  get = (path: string, opts?: RequestOptions) => this.request('GET', path, undefined, opts);
}

/** Every console API endpoint this branch serves, with a valid body, for the authorization matrix. */
export interface EndpointCase {
  method: string;
  /** `:app` is replaced by an SDKAppID. */
  path: string;
  body?: (sdkAppId: number) => unknown;
  /** Scoped to one app (its data must stay hidden from users without access). */
  appScoped: boolean;
}

export const CONSOLE_ENDPOINTS: EndpointCase[] = [
  { method: 'GET', path: '/api/console/session', appScoped: false },
  { method: 'DELETE', path: '/api/console/session', appScoped: false },
  {
    method: 'POST',
    path: '/api/console/me/password',
    body: () => ({ currentPassword: 'admin-password-1', newPassword: 'an-entirely-new-passphrase' }),
    appScoped: false,
  },
  { method: 'GET', path: '/api/console/apps', appScoped: false },
  { method: 'POST', path: '/api/console/apps', body: () => ({ name: 'Sneaky' }), appScoped: false },
  { method: 'GET', path: '/api/console/apps/:app', appScoped: true },
  {
    method: 'POST',
    path: '/api/console/apps/:app/secret/reveal',
    body: () => ({ password: 'member-password-1' }),
    appScoped: true,
  },
  { method: 'PATCH', path: '/api/console/apps/:app', body: () => ({ name: 'Renamed' }), appScoped: true },
  {
    method: 'DELETE',
    path: '/api/console/apps/:app',
    body: (sdkAppId) => ({ confirmSdkAppId: sdkAppId }),
    appScoped: true,
  },
  // Push certificates (certificates.ts, with the console session as a second way in besides a bearer UserSig).
  { method: 'GET', path: '/api/console/apps/:app/certificates', appScoped: true },
  {
    method: 'POST',
    path: '/api/console/apps/:app/certificates',
    body: () => ({ vendor: 'meizu', appId: '1', appSecret: 'sneaky' }),
    appScoped: true,
  },
  { method: 'GET', path: '/api/console/apps/:app/certificates/1', appScoped: true },
  {
    method: 'PUT',
    path: '/api/console/apps/:app/certificates/1',
    body: () => ({ name: 'x' }),
    appScoped: true,
  },
  { method: 'DELETE', path: '/api/console/apps/:app/certificates/1', appScoped: true },
  {
    method: 'POST',
    path: '/api/console/apps/:app/certificates/1/test',
    body: () => ({ token: 'a'.repeat(64) }),
    appScoped: true,
  },
  { method: 'POST', path: '/api/console/apps/:app/certificates/1/pause', body: () => ({}), appScoped: true },
  { method: 'POST', path: '/api/console/apps/:app/certificates/1/resume', body: () => ({}), appScoped: true },
  // Overview, users and devices, troubleshooter.
  { method: 'GET', path: '/api/console/apps/:app/overview', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/users?search=a', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/users/alice', appScoped: true },
  { method: 'POST', path: '/api/console/apps/:app/users/alice/kick', appScoped: true },
  {
    method: 'DELETE',
    path: '/api/console/apps/:app/users/alice/instances/phone/bindings/0',
    appScoped: true,
  },
  {
    method: 'POST',
    path: '/api/console/apps/:app/users/alice/instances/phone/bindings/0/test',
    body: () => ({}),
    appScoped: true,
  },
  { method: 'GET', path: '/api/console/apps/:app/troubleshoot?userId=alice', appScoped: true },
  // Data pages: push records, statistics, push tasks, sandbox phones (console-data.test.ts).
  { method: 'GET', path: '/api/console/apps/:app/push-records', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/push-records/some-push-id', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/statistics', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/push-tasks', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/push-tasks/some-task-id', appScoped: true },
  {
    method: 'POST',
    path: '/api/console/apps/:app/push-tasks',
    body: () => ({ audience: 'all', text: 'sneaky push' }),
    appScoped: true,
  },
  { method: 'POST', path: '/api/console/apps/:app/push-tasks/some-task-id/cancel', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/sandbox/phones', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/sandbox/events', appScoped: true },
  // Console polish: CSV exports and sandbox phone controls (console-csv.test.ts, console-sandbox-phones.test.ts).
  { method: 'GET', path: '/api/console/apps/:app/push-records.csv', appScoped: true },
  { method: 'GET', path: '/api/console/apps/:app/statistics.csv', appScoped: true },
  { method: 'POST', path: '/api/console/apps/:app/sandbox/phones/some-phone/foreground', appScoped: true },
  { method: 'POST', path: '/api/console/apps/:app/sandbox/phones/some-phone/background', appScoped: true },
  { method: 'POST', path: '/api/console/apps/:app/sandbox/phones/some-phone/logout', appScoped: true },
  {
    method: 'POST',
    path: '/api/console/apps/:app/sandbox/phones/some-phone/notifications/1/click',
    appScoped: true,
  },
];

/** The console must be built (`npm run build`; `npm test` does it) for tests that load its pages. */
export function assertConsoleBuilt(): void {
  const index = resolve(DEFAULT_CONSOLE_DIR, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` (npm test does it)`);
}

/**
 * A sandbox (embedded database, simulators, demo app) in `dataDir` for the console's browser tests, with
 * one console admin signed up as `username`.
 */
export async function consoleSandbox(dataDir: string, username: string, password: string): Promise<Sandbox> {
  assertConsoleBuilt();
  const config = loadConfig({
    env: {},
    flags: { dataDir, port: 0, host: '127.0.0.1', sandbox: true, logLevel: 'silent' },
  });
  const sandbox = await startSandbox(config);
  await sandbox.pushline.consoleUsers.create({ username, password, role: 'admin' });
  return sandbox;
}
