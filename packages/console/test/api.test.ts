// api.ts without a browser: the requests it makes (fetch stubbed), the errors it raises from the server's two
// error shapes, the session-expiry hook, and server error texts in the console's language.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// i18n/index.ts sets the page's language on load: a document is all it needs of a browser.
vi.hoisted(() => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
});

import {
  ApiError,
  api,
  errorMessage,
  serverErrorText,
  setCsrfToken,
  setUnauthorizedHandler,
} from '../src/api.js';
import { en } from '../src/i18n/en.js';
import { i18n } from '../src/i18n/index.js';
import { zhCN } from '../src/i18n/zh-CN.js';

function answer(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const fetchMock = vi.fn<typeof fetch>();
beforeAll(async () => {
  await i18n.changeLanguage('en');
});
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken(undefined);
  setUnauthorizedHandler(undefined);
});
afterEach(async () => {
  vi.unstubAllGlobals();
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  await i18n.changeLanguage('en');
});

describe('api requests', () => {
  it('GETs JSON from /api/console with the session cookie and no CSRF header', async () => {
    setCsrfToken('csrf-1');
    fetchMock.mockResolvedValue(answer(200, { apps: [1] }));
    expect(await api('GET', '/apps')).toEqual({ apps: [1] });
    expect(fetchMock).toHaveBeenCalledWith('/api/console/apps', {
      method: 'GET',
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
  });

  it('sends a JSON body and the CSRF token on state-changing requests', async () => {
    setCsrfToken('csrf-1');
    fetchMock.mockResolvedValue(answer(200, { ok: true }));
    await api('POST', '/apps', { name: 'Demo' });
    expect(fetchMock).toHaveBeenCalledWith('/api/console/apps', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': 'csrf-1' },
      credentials: 'same-origin',
      body: '{"name":"Demo"}',
    });
  });

  it('answers undefined for 204 No Content', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    expect(await api('DELETE', '/apps/1')).toBeUndefined();
  });
});

describe('api errors', () => {
  it('raise an ApiError with the status and the message of {error: "..."}', async () => {
    fetchMock.mockResolvedValue(answer(409, { error: 'name taken' }));
    const err = await api('POST', '/apps', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, message: 'name taken', field: undefined, text: undefined });
  });

  it('keep the field of {error: {message, field}} and the text key of the answer', async () => {
    const text = { key: 'fieldRequired', params: { field: 'name' } };
    fetchMock.mockResolvedValue(answer(400, { error: { message: 'name: required', field: 'name' }, text }));
    const err = await api('POST', '/certificates', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, message: 'name: required', field: 'name', text });
  });

  it('say which HTTP status came back when the answer has no JSON error', async () => {
    fetchMock.mockResolvedValue(answer(502, '<html>Bad Gateway</html>'));
    const err = await api('GET', '/apps').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, message: 'the server answered HTTP 502' });
  });

  it('call the unauthorized handler on 401, except for the session request itself', async () => {
    const expired = vi.fn();
    setUnauthorizedHandler(expired);
    fetchMock.mockImplementation(async () => answer(401, { error: 'sign in to the console first' }));

    await expect(api('GET', '/session')).rejects.toMatchObject({ status: 401 });
    expect(expired).not.toHaveBeenCalled();
    await expect(api('GET', '/apps')).rejects.toMatchObject({ status: 401 });
    expect(expired).toHaveBeenCalledTimes(1);
    fetchMock.mockImplementation(async () => answer(403, { error: 'only console admins may do this' }));
    await expect(api('GET', '/users')).rejects.toMatchObject({ status: 403 });
    expect(expired).toHaveBeenCalledTimes(1);
  });
});

describe('server error texts', () => {
  it("write a known key with its values in the console's language", async () => {
    const text = { key: 'tooManyFailedSignIns', params: { seconds: 30 } } as const;
    const english = 'too many failed sign-ins: try again in 30 seconds';
    expect(serverErrorText(text, english)).toBe(english);
    await i18n.changeLanguage('zh-CN');
    expect(serverErrorText(text, english)).toBe(
      zhCN.serverError.tooManyFailedSignIns.replace('{{seconds}}', '30'),
    );
  });

  it("fall back to the server's English words for a key this console does not know", async () => {
    await i18n.changeLanguage('zh-CN');
    // A newer server's key: not in ErrorText's keys, as the console would receive it.
    const text = { key: 'someNewProblem', params: { n: 1 } } as unknown as Parameters<
      typeof serverErrorText
    >[0];
    expect(serverErrorText(text, 'something new went wrong')).toBe('something new went wrong');
  });

  it('name known fields and types in words, and unknown or nested fields as the server names them', async () => {
    await i18n.changeLanguage('zh-CN');
    const wrongType = zhCN.serverError.fieldWrongType;
    expect(serverErrorText({ key: 'fieldWrongType', params: { field: 'search', expected: 'int' } }, '')).toBe(
      wrongType
        .replace('{{field}}', zhCN.serverErrorField.search)
        .replace('{{expected}}', zhCN.serverErrorType.int),
    );
    expect(
      serverErrorText({ key: 'fieldWrongType', params: { field: 'settings.limit', expected: 'bigint' } }, ''),
    ).toBe(wrongType.replace('{{field}}', 'settings.limit').replace('{{expected}}', 'bigint'));
  });

  it("write a weak password's advice from its keys, or keep the English when a key is unknown", async () => {
    await i18n.changeLanguage('zh-CN');
    // As passwords.ts sends it: `why` in English, `warning` and `suggestions` naming it by keys.
    const english = `${en.passwordAdvice.warnings.straightRow} ${en.passwordAdvice.suggestions.l33t}`;
    const params = { score: 1, minScore: 3, why: english, warning: 'straightRow', suggestions: 'l33t' };
    const written = serverErrorText({ key: 'passwordTooWeakBecause', params }, 'english');
    expect(written).toContain(
      zhCN.passwordAdvice.warnings.straightRow + zhCN.passwordAdvice.suggestions.l33t,
    );
    expect(written).not.toContain(english);

    const newer = { ...params, suggestions: 'l33t,somethingNew' };
    expect(serverErrorText({ key: 'passwordTooWeakBecause', params: newer }, 'english')).toContain(english);
  });

  it('errorMessage: ApiError texts translated, other errors by their message', async () => {
    await i18n.changeLanguage('zh-CN');
    const err = new ApiError(401, 'wrong username or password', undefined, { key: 'signInWrong' });
    expect(errorMessage(err)).toBe(zhCN.serverError.signInWrong);
    expect(errorMessage(new ApiError(500, 'internal error'))).toBe('internal error');
    expect(errorMessage(new Error('offline'))).toBe('offline');
    expect(errorMessage('just a string')).toBe('just a string');
  });
});
