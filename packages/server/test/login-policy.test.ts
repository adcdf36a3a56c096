// Which instances a new login evicts, per policy mode (pure rules; sessions test covers the wiring).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_POLICY, instancesToEvict, loginPolicyOf } from '../src/devices/login-policy.js';

const inst = (instanceId: string, platform: string, loggedInAt: number) => ({
  instanceId,
  platform,
  loggedInAt,
});
const ids = (list: { instanceId: string }[]) => list.map((i) => i.instanceId);

describe('login policy', () => {
  const existing = [
    inst('a1', 'Android', 1),
    inst('a2', 'Android', 2),
    inst('a3', 'Android', 3),
    inst('i1', 'iPhone', 4),
    inst('w1', 'Web', 5),
    inst('w2', 'Web', 6),
  ];

  it('defaults to multi: 3 per platform, 10 web', () => {
    expect(DEFAULT_LOGIN_POLICY).toEqual({ mode: 'multi', maxPerPlatform: 3, maxWeb: 10 });
    expect(loginPolicyOf({})).toEqual(DEFAULT_LOGIN_POLICY);
    expect(loginPolicyOf({ loginPolicy: { mode: 'bogus' } })).toEqual(DEFAULT_LOGIN_POLICY);
    expect(ids(instancesToEvict(DEFAULT_LOGIN_POLICY, existing, { platform: 'Android' }))).toEqual(['a1']);
    expect(ids(instancesToEvict(DEFAULT_LOGIN_POLICY, existing, { platform: 'iPhone' }))).toEqual([]);
    expect(ids(instancesToEvict(DEFAULT_LOGIN_POLICY, existing, { platform: 'Web' }))).toEqual([]);
  });

  it('multi with limits', () => {
    const policy = { mode: 'multi' as const, maxPerPlatform: 2, maxWeb: 2 };
    expect(ids(instancesToEvict(policy, existing, { platform: 'Android' }))).toEqual(['a1', 'a2']);
    expect(ids(instancesToEvict(policy, existing, { platform: 'Web' }))).toEqual(['w1']);
  });

  it('per-platform keeps one per platform and leaves other platforms alone', () => {
    const policy = { mode: 'per-platform' as const, maxPerPlatform: 3, maxWeb: 10 };
    expect(ids(instancesToEvict(policy, existing, { platform: 'iPhone' }))).toEqual(['i1']);
    expect(ids(instancesToEvict(policy, existing, { platform: 'Mac' }))).toEqual([]);
  });

  it('single keeps one non-web instance in total', () => {
    const policy = { mode: 'single' as const, maxPerPlatform: 3, maxWeb: 1 };
    expect(ids(instancesToEvict(policy, existing, { platform: 'PC' }))).toEqual(['a1', 'a2', 'a3', 'i1']);
    expect(ids(instancesToEvict(policy, existing, { platform: 'Web' }))).toEqual(['w1', 'w2']);
  });
});
