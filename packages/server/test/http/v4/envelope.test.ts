// Every failure under /v4 answers HTTP 200 with Tencent's envelope and a fitting code; no request input
// produces 70500 (internal error); no answer or log line echoes the UserSig. Raw HTTP, so that headers and
// URLs reach the server exactly as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../../src/logger.js';
import { capturedLog } from '../../helpers/log-lines.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('v4 failures keep the envelope', () => {
  let s: TestServer;
  const log = capturedLog();
  let sig: string;
  let query: string;

  beforeAll(async () => {
    s = await startTestServer({ create: { logger: createLogger('debug', log.stream) } });
    sig = s.adminSig;
    query = new URLSearchParams({
      sdkappid: String(s.app.sdkAppId),
      identifier: s.app.adminIdentifier,
      usersig: sig,
      random: '7',
      contenttype: 'json',
    }).toString();
  });
  afterAll(async () => {
    await s?.close();
  });

  const check = '{"CheckItem":[{"UserID":"someone"}]}';
  const post = (path: string, headers: Record<string, string>, body = check) =>
    rawRequest(s.url, 'POST', path, headers, body);

  it.each([
    'json',
    'text',
    'foo',
    'application/json, text/plain',
    '\xff',
    'application/json; charset=utf-16',
    'multipart/form-data; boundary=x',
    '',
  ])('accepts the content type %j, as the docs promise', async (contentType) => {
    const r = await post(`/v4/im_open_login_svc/account_check?${query}`, { 'content-type': contentType });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(r.json.ResultItem).toEqual([
      { UserID: 'someone', ResultCode: 0, ResultInfo: '', AccountStatus: 'NotImported' },
    ]);
  });

  it('accepts a body without a content type', async () => {
    const r = await post(`/v4/im_open_login_svc/account_check?${query}`, {});
    expect(r.json).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
  });

  it.each(['identifier', 'sdkappid', 'usersig', 'random', 'contenttype'])(
    'a repeated %s URL parameter gets 60002',
    async (name) => {
      const value = new URLSearchParams(query).get(name)!;
      const r = await post(
        `/v4/im_open_login_svc/account_check?${query}&${name}=${encodeURIComponent(value)}`,
        { 'content-type': 'application/json' },
      );
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60002 });
      expect(r.json.ErrorInfo).toMatch(new RegExp(`${name} is given more than once`));
    },
  );

  it('a URL that does not decode gets 60002 in the envelope, without echoing the UserSig', async () => {
    for (const path of [`/v4/%ff/%?${query}`, `/v4/im_open_login_svc/%E0%A4%A?${query}`]) {
      const r = await post(path, { 'content-type': 'application/json' }, '{}');
      expect(r.status, path).toBe(200);
      expect(r.json).toEqual({
        ActionStatus: 'FAIL',
        ErrorCode: 60002,
        ErrorInfo: expect.stringMatching(/URL is not valid/),
      });
      expect(r.text).not.toContain(sig);
    }
  });

  it('a path too long for the router gets the envelope too', async () => {
    const r = await post(`/v4/${'a'.repeat(300)}/b?${query}`, { 'content-type': 'application/json' }, '{}');
    expect(r.status).toBe(200);
    expect(r.json.ActionStatus).toBe('FAIL');
    expect([60002, 60009]).toContain(r.json.ErrorCode);
    expect(r.text).not.toContain(sig);
  });

  it('/v4 without a command gets 60009; unknown paths elsewhere a 404 without the query', async () => {
    const bare = await post(`/v4?${query}`, { 'content-type': 'application/json' }, '{}');
    expect(bare.status).toBe(200);
    expect(bare.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60009 });
    const other = await rawRequest(s.url, 'GET', `/nowhere?${query}`, {});
    expect(other.status).toBe(404);
    expect(other.text).toContain('/nowhere');
    expect(other.text).not.toContain(sig);
    const badElsewhere = await rawRequest(s.url, 'GET', `/nowhere/%ff?${query}`, {});
    expect(badElsewhere.status).toBe(400);
    expect(badElsewhere.text).not.toContain(sig);
  });

  it.each(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'GET', 'HEAD'])(
    '%s is refused with 60002 without reading the body',
    async (method) => {
      const r = await rawRequest(
        s.url,
        method,
        `/v4/im_open_login_svc/account_check?${query}`,
        { 'content-type': 'json' },
        method === 'GET' || method === 'HEAD' ? undefined : check,
      );
      expect(r.status).toBe(200);
      if (method !== 'HEAD') expect(r.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60002 });
    },
  );

  it('a body shorter than its Content-Length ends as a client error, not 70500', async () => {
    const u = new URL(s.url);
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const sock = connect(Number(u.port), u.hostname, () => {
        sock.write(
          `POST /v4/im_open_login_svc/account_check?${query} HTTP/1.1\r\nHost: x\r\nContent-Type: json\r\nContent-Length: 1000\r\n\r\n{"Che`,
        );
        setTimeout(() => sock.end(), 100);
      });
      let text = '';
      sock.on('data', (d) => {
        text += d;
      });
      sock.on('close', () => resolve(text));
      sock.on('error', () => resolve(text));
    });
    expect(answer).not.toContain('70500');
    expect(answer).not.toContain(sig);
  });

  it('no input above produced 70500, an error log line, a stack trace or a UserSig in the logs', async () => {
    const all = log.lines.join('');
    expect(all).not.toContain(sig);
    expect(all).not.toContain('70500');
    expect(all).not.toContain('"stack"');
    const errors = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
    // The failures were logged (at info) with their codes.
    expect(all).toContain('"errorCode":60002');
  });
});

describe('credentials in logged URLs', () => {
  it('are redacted under any spelling the query parser reads as their name', () => {
    for (const name of ['usersig', 'UserSig', 'user%73ig', 'USER%53IG', 'sig', 'token', 'key', 'secret']) {
      const url = `/v4/openim/sendmsg?sdkappid=1&${name}=eJyrVgrxCdY&random=7`;
      expect(redactUrl(url)).toBe(`/v4/openim/sendmsg?sdkappid=1&${name}=[redacted]&random=7`);
    }
    expect(redactUrl('/v4/x?identifier=admin&random=1')).toBe('/v4/x?identifier=admin&random=1');
    expect(redactUrl('/v4/x?%zz=1&usersig=abc')).toBe('/v4/x?%zz=1&usersig=[redacted]');
    expect(redactUrl('/metrics')).toBe('/metrics');
  });
});
