// Two Pushline nodes on one database accept each other's console sessions (SQLite file or PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, type Pushline } from '../../../src/index.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('console sessions across nodes on %s', (backend) => {
  let a: TestServer;
  let b: Pushline;
  let bUrl: string;

  beforeAll(async () => {
    a = await startTestServer({ backend });
    b = await createPushline(a.pushline.config);
    bUrl = await b.listen();
    await a.pushline.consoleUsers.create({ username: 'ops', password: 'ops-password-1', role: 'admin' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('signs in on one node, works on the other, and signs out everywhere', async () => {
    const onA = new ConsoleClient(a.url);
    expect((await onA.login('ops', 'ops-password-1')).status).toBe(200);
    const onB = new ConsoleClient(bUrl);
    onB.cookie = onA.cookie;
    onB.csrfToken = onA.csrfToken;
    expect((await onB.get('/api/console/session')).body.user.username).toBe('ops');
    const patched = await onB.request('PATCH', `/api/console/apps/${a.app.sdkAppId}`, {
      name: 'Renamed on B',
    });
    expect(patched.status).toBe(200);

    expect((await onB.request('DELETE', '/api/console/session')).status).toBe(204);
    expect((await onA.get('/api/console/session')).status).toBe(401);
  });
});
