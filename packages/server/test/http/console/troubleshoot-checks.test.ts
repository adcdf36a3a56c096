// The troubleshooter's checks on hand-made facts: each FAQ question turns green, yellow or red for the
// right reason, with words a person can act on. (console-ops.test.ts runs them on real pushes.)
import { describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import {
  type PushSummary,
  runChecks,
  type TroubleshootFacts,
} from '../../../src/http/console/troubleshoot-checks.js';

const NOW = Date.UTC(2026, 0, 10, 12);

function cert(id: number, extra: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    id,
    sdkAppId: 1,
    vendor: 'apns',
    kind: 'alert',
    name: `cert ${id}`,
    environment: 'development',
    appIdentifier: 'com.example.chat',
    publicFields: {},
    maskedSecrets: {},
    defaults: {},
    expiresAt: null,
    expiringSoon: false,
    status: 'active',
    pausedReason: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  };
}

const phone = {
  userId: 'u',
  instanceId: 'phone',
  platform: 'iPhone',
  state: 'PushOnline' as const,
  background: true,
  badgeBase: 0,
  ackedSeq: 0,
  loggedInAt: NOW - 60_000,
  lastSeenAt: NOW - 30_000,
  bindings: [{ certificateId: 1, token: 'ab'.repeat(32), tokenType: 0, reportedAt: NOW - 50_000 }],
};

function facts(extra: Partial<TroubleshootFacts> = {}): TroubleshootFacts {
  return {
    userId: 'u',
    accountExists: true,
    kickedAt: null,
    settings: { callbackUrl: '' },
    certificates: [cert(1)],
    instances: [phone],
    dnd: undefined,
    mutedTargets: [],
    pushes: [],
    now: NOW,
    ...extra,
  };
}

function push(extra: Partial<PushSummary>): PushSummary {
  return {
    pushId: 'p1',
    msgKey: null,
    taskId: null,
    createdAt: NOW - 1000,
    instanceId: 'phone',
    vendor: 'apns',
    certificateId: 1,
    token: '…abab',
    skipReason: null,
    answer: null,
    retries: [],
    receipt: null,
    ...extra,
  };
}

const check = (f: TroubleshootFacts, id: string) => runChecks(f).find((c) => c.id === id)!;

describe('troubleshooter checks', () => {
  it('is all green for a background device with a token and an accepted push', () => {
    const f = facts({ pushes: [push({ answer: { stage: 'sent', code: null, at: NOW } })] });
    expect(runChecks(f).filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('tells a kick by the administrator from a logout', () => {
    const off = { ...phone, state: 'Offline' as const, bindings: [] };
    const kicked = check(facts({ instances: [off], kickedAt: Math.floor(NOW / 1000) }), 'login');
    expect(kicked.status).toBe('problem');
    expect(kicked.detail).toContain('was kicked by the administrator');
    const loggedOut = check(facts({ instances: [off] }), 'login');
    expect(loggedOut.detail).toContain('is logged out');
    expect(loggedOut.detail).not.toContain('kicked by the administrator');
    expect(check(facts({ instances: [] }), 'login').detail).toContain('never logged in');
  });

  it('finds a missing token, an unknown certificate and a paused one', () => {
    const noToken = check(facts({ instances: [{ ...phone, bindings: [] }] }), 'token');
    expect(noToken).toMatchObject({ status: 'problem' });
    expect(noToken.detail).toContain('setOfflinePushConfig');
    const unknown = check(
      facts({ instances: [{ ...phone, bindings: [{ ...phone.bindings[0]!, certificateId: 42 }] }] }),
      'token',
    );
    expect(unknown.detail).toContain('certificate ID 42, which does not exist');
    const paused = facts({ certificates: [cert(1, { status: 'paused', pausedReason: 'BadCertificate' })] });
    expect(check(paused, 'token').status).toBe('problem');
    expect(check(paused, 'certificate')).toMatchObject({ status: 'problem' });
    expect(check(facts({ certificates: [] }), 'certificate').detail).toContain('no push certificate');
  });

  it('warns about a foreground app, an active do-not-disturb window and muted chats', () => {
    const front = check(
      facts({ instances: [{ ...phone, state: 'Online', background: false }] }),
      'foreground',
    );
    expect(front.status).toBe('warning');
    expect(front.detail).toContain('foreground');
    const dnd = check(
      facts({
        dnd: { opt: 2, startTime: NOW / 1000 - 60, duration: 3600, repeat: 'once' },
        mutedTargets: [{ target: 'c2c_boss', opt: 2 }],
      }),
      'receive-options',
    );
    expect(dnd.status).toBe('warning');
    expect(dnd.detail).toContain('Global do-not-disturb is on now');
    expect(dnd.detail).toContain('messages from boss: receive without push');
    const over = check(
      facts({ dnd: { opt: 2, startTime: NOW / 1000 - 7200, duration: 3600, repeat: 'once' } }),
      'receive-options',
    );
    expect(over.status).toBe('ok');
  });

  it('explains vendor answers: BadDeviceToken both ways, credential errors, rate limits', () => {
    const bad = push({ answer: { stage: 'invalid-token', code: 'BadDeviceToken', at: NOW } });
    const prod = check(
      facts({ certificates: [cert(1, { environment: 'production' })], pushes: [bad] }),
      'vendor-answer',
    );
    expect(prod.detail).toContain('a development token was sent with a production certificate');
    const dev = check(facts({ pushes: [bad] }), 'vendor-answer');
    expect(dev.detail).toContain('a production token was sent with a development certificate');
    const cred = check(
      facts({
        pushes: [push({ answer: { stage: 'credential-error', code: 'InvalidProviderToken', at: NOW } })],
      }),
      'vendor-answer',
    );
    // Meaning and what to do come from the vendor answers table.
    expect(cred.detail).toContain('unknown key ID, wrong team ID, bad signature');
    expect(cred.fix).toContain('Check the .p8 key, its key ID and the team ID');
    const unknown = check(
      facts({ pushes: [push({ answer: { stage: 'credential-error', code: 'SomethingNew', at: NOW } })] }),
      'vendor-answer',
    );
    expect(unknown.detail).toContain('an answer Pushline does not know');
    expect(unknown.fix).toContain('Certificates page');
    const limited = check(
      facts({
        pushes: [
          push({
            answer: { stage: 'sent', code: null, at: NOW },
            retries: [{ code: 'TooManyRequests', at: NOW - 500 }],
          }),
        ],
      }),
      'rate-limit',
    );
    expect(limited).toMatchObject({ status: 'warning' });
    expect(limited.detail).toContain('TooManyRequests 1 time');
    expect(check(facts(), 'vendor-answer').status).toBe('info');
  });

  it('says a token the vendor refused was removed rather than never reported', () => {
    const f = facts({
      instances: [{ ...phone, bindings: [] }],
      pushes: [push({ answer: { stage: 'invalid-token', code: 'Unregistered', at: NOW } })],
    });
    expect(check(f, 'token').detail).toContain('the vendor refused the last one (Unregistered)');
  });
});
