import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateServiceAccount,
  type ServiceAccountJson,
  type Simulators,
  signJwt,
  startSimulators,
} from '../src/index.js';
import { h2connect, h2request, httpsCall } from './helpers.js';

let sim: Simulators;
let sa: ServiceAccountJson;
let accessToken: string;
let token: string;

function assertion(account: ServiceAccountJson, claims: Record<string, unknown> = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  return signJwt(
    'RS256',
    account.private_key,
    { kid: account.private_key_id, typ: 'JWT' },
    {
      iss: account.client_email,
      scope:
        'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/firebase.messaging',
      aud: 'https://oauth2.googleapis.com/token',
      iat,
      exp: iat + 3600,
      ...claims,
    },
  );
}

function tokenRequest(path: string, jwt: string) {
  return httpsCall(`${sim.urls.fcmOAuth}${path}`, sim.caCertPem, {
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
}

function send(body: unknown, opts: { project?: string; bearer?: string } = {}) {
  return httpsCall(
    `${sim.urls.fcm}/v1/projects/${opts.project ?? sa.project_id}/messages:send`,
    sim.caCertPem,
    {
      headers: { authorization: `Bearer ${opts.bearer ?? accessToken}` },
      body: body as object,
    },
  );
}

const fcmCode = (json: { error?: { details?: { errorCode?: string }[] } }) =>
  json.error?.details?.find((d) => d.errorCode)?.errorCode;

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['fcm'], control: false });
  sa = generateServiceAccount('pushline-demo');
  sim.registerServiceAccount({ serviceAccount: sa });
  const res = await tokenRequest('/token', assertion(sa));
  accessToken = res.json.access_token;
  token = sim.devices.install('fcm', { app: 'pushline-demo' }).token;
});
afterAll(async () => {
  await sim?.stop();
});

describe('FCM OAuth token endpoint', () => {
  it('issues 3599 s bearer tokens on both token paths', async () => {
    for (const [path, aud] of [
      ['/token', 'https://oauth2.googleapis.com/token'],
      ['/oauth2/v4/token', 'https://www.googleapis.com/oauth2/v4/token'],
    ] as const) {
      const res = await tokenRequest(path, assertion(sa, { aud }));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
      expect(res.json.access_token).toMatch(/^ya29\./);
    }
  });

  it('rejects a bad signature, an unknown account, a too-long lifetime and a wrong grant type', async () => {
    const other = generateServiceAccount('pushline-demo');
    const forged = assertion({ ...other, client_email: sa.client_email });
    expect((await tokenRequest('/token', forged)).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid JWT Signature.',
    });
    expect((await tokenRequest('/token', assertion(other))).json.error).toBe('invalid_grant');
    const now = Math.floor(Date.now() / 1000);
    const long = await tokenRequest('/token', assertion(sa, { iat: now, exp: now + 7200 }));
    expect([long.status, long.json.error]).toEqual([400, 'invalid_grant']);
    const grant = await httpsCall(`${sim.urls.fcmOAuth}/token`, sim.caCertPem, {
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect([grant.status, grant.json.error]).toEqual([400, 'unsupported_grant_type']);
  });
});

describe('FCM messages:send', () => {
  it('accepts snake_case (firebase-admin style) and records the notification', async () => {
    const res = await send({
      message: {
        token,
        notification: { title: 'Carol', body: 'lunch?' },
        data: { ext: '{"a":1}' },
        android: {
          priority: 'high',
          ttl: '3600s',
          collapse_key: 'conv-1',
          notification: {
            channel_id: 'im',
            click_action: 'OPEN_CHAT',
            sound: 'default',
            notification_count: 4,
          },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.name).toMatch(/^projects\/pushline-demo\/messages\/0:/);
    expect(sim.received({ token })[0]).toMatchObject({
      vendor: 'fcm',
      app: 'pushline-demo',
      title: 'Carol',
      body: 'lunch?',
      channel: 'im',
      clickAction: 'OPEN_CHAT',
      badge: 4,
      priority: 'high',
      collapseId: 'conv-1',
      data: { ext: '{"a":1}' },
      pushType: 'notification',
    });
  });

  it('accepts camelCase over HTTP/2 and validate_only does not deliver', async () => {
    const session = await h2connect(sim.urls.fcm!, sim.caCertPem);
    const res = await h2request(
      session,
      {
        ':path': `/v1/projects/${sa.project_id}/messages:send`,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
      },
      JSON.stringify({
        validateOnly: true,
        message: { token, android: { notification: { channelId: 'im', title: 't' } } },
      }),
    );
    session.close();
    expect(res.status).toBe(200);
    expect(res.json.name).toBe('projects/pushline-demo/messages/fake_message_id');
    expect(sim.received({ token }).length).toBe(1);
  });

  it('accepts a self-signed JWT bearer (JWTAccess)', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const jwt = signJwt(
      'RS256',
      sa.private_key,
      { kid: sa.private_key_id },
      {
        iss: sa.client_email,
        sub: sa.client_email,
        aud: 'https://fcm.googleapis.com/',
        iat,
        exp: iat + 3600,
      },
    );
    const res = await send({ message: { token, data: { k: 'v' } } }, { bearer: jwt });
    expect(res.status).toBe(200);
  });

  it('answers with the Google error envelope and FcmError codes', async () => {
    const gone = sim.devices.install('fcm', { app: 'pushline-demo' }).token;
    sim.devices.uninstall('fcm', gone);
    const foreign = sim.devices.install('fcm', { app: 'another-project' }).token;
    const unregistered = await send({ message: { token: gone, notification: { title: 'x' } } });
    expect(unregistered.status).toBe(404);
    expect(unregistered.json.error).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      message: 'Requested entity was not found.',
    });
    expect(unregistered.json.error.details[0]).toEqual({
      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
      errorCode: 'UNREGISTERED',
    });
    const mismatch = await send({ message: { token: foreign } });
    expect([mismatch.status, mismatch.json.error.status, fcmCode(mismatch.json)]).toEqual([
      403,
      'PERMISSION_DENIED',
      'SENDER_ID_MISMATCH',
    ]);
    const cases: unknown[] = [
      { message: { token: 'not-a-token' } },
      { message: { token, topic: 'news' } },
      { message: { token, data: { n: 1 } } },
      { message: { token, data: { from: 'x' } } },
      { message: { token, android: { ttl: '1h' } } },
      { message: { token, android: { priority: 'urgent' } } },
      { message: { token, notification: { titel: 'typo' } } },
      { message: { token, data: { big: 'x'.repeat(4100) } } },
      { message: { topic: 'news', data: { big: 'x'.repeat(2100) } } },
    ];
    for (const body of cases) {
      const res = await send(body);
      expect({ body, status: res.status, s: res.json.error?.status }).toEqual({
        body,
        status: 400,
        s: 'INVALID_ARGUMENT',
      });
    }
  });

  it('rejects missing/expired credentials with 401 UNAUTHENTICATED and another project with 403', async () => {
    const noAuth = await send({ message: { token } }, { bearer: 'ya29.bogus' });
    expect([noAuth.status, noAuth.json.error.status]).toEqual([401, 'UNAUTHENTICATED']);
    expect(fcmCode(noAuth.json)).toBeUndefined();
    const other = await send({ message: { token } }, { project: 'someone-else' });
    expect([other.status, other.json.error.status]).toEqual([403, 'PERMISSION_DENIED']);
    const fresh = (await tokenRequest('/token', assertion(sa))).json.access_token;
    expect((await send({ message: { token } }, { bearer: fresh })).status).toBe(200);
    sim.expireAccessTokens('fcm');
    expect((await send({ message: { token } }, { bearer: fresh })).status).toBe(401);
    accessToken = (await tokenRequest('/token', assertion(sa))).json.access_token;
  });

  it('injects QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL and THIRD_PARTY_AUTH_ERROR faults', async () => {
    sim.faults.add('fcm', { kind: 'status', status: 503, reason: 'UNAVAILABLE', retryAfter: 7, count: 1 });
    sim.faults.add('fcm', { kind: 'status', status: 500, count: 1 });
    sim.faults.add('fcm', { kind: 'status', status: 401, reason: 'THIRD_PARTY_AUTH_ERROR', count: 1 });
    const a = await send({ message: { token } });
    const b = await send({ message: { token } });
    const c = await send({ message: { token } });
    expect([a.status, fcmCode(a.json), a.headers['retry-after']]).toEqual([503, 'UNAVAILABLE', '7']);
    expect([b.status, fcmCode(b.json)]).toEqual([500, 'INTERNAL']);
    expect([c.status, c.json.error.status, fcmCode(c.json)]).toEqual([
      401,
      'UNAUTHENTICATED',
      'THIRD_PARTY_AUTH_ERROR',
    ]);
    sim.faults.add('fcm', { kind: 'quota', perSecond: 0 });
    const q = await send({ message: { token } });
    sim.faults.clear('fcm');
    expect([q.status, q.json.error.status, fcmCode(q.json)]).toEqual([
      429,
      'RESOURCE_EXHAUSTED',
      'QUOTA_EXCEEDED',
    ]);
    expect(q.headers['retry-after']).toBeDefined();
    expect((await send({ message: { token } })).status).toBe(200);
  });

  it('sends GOAWAY on its HTTP/2 transport after N streams', async () => {
    sim.faults.add('fcm', { kind: 'goaway', afterStreams: 1, reason: 'Maintenance' });
    const session = await h2connect(sim.urls.fcm!, sim.caCertPem);
    const goaway = new Promise<string>((resolve) =>
      session.once('goaway', (_c, _l, data) => resolve(data?.toString() ?? '')),
    );
    const res = await h2request(
      session,
      {
        ':path': `/v1/projects/${sa.project_id}/messages:send`,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
      },
      JSON.stringify({ message: { token, data: { a: 'b' } } }),
    );
    sim.faults.clear('fcm');
    expect(res.status).toBe(200);
    expect(await goaway).toBe('{"reason":"Maintenance"}');
  });
});
