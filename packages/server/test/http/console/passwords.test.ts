// Password hashing and the sign-in limiter, without a server.
import { describe, expect, it } from 'vitest';
import { beginAttempt, MemoryLoginLimiter } from '../../../src/auth/login-limiter.js';
import {
  generatePassword,
  hashPassword,
  passwordProblem,
  passwordStrength,
  verifyPassword,
} from '../../../src/auth/passwords.js';

describe('console passwords', () => {
  it('hashes with a fresh salt and the parameters in the hash', async () => {
    const a = await hashPassword('a-good-password');
    const b = await hashPassword('a-good-password');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{86}==$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('a-good-password', a)).toBe(true);
    expect(await verifyPassword('a-good-password', b)).toBe(true);
    expect(await verifyPassword('a-good-passwore', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies against the parameters stored with the hash', async () => {
    const stored = await hashPassword('parameters-travel');
    const parts = stored.split('$');
    // A hash made with other parameters must be checked with those, not the current defaults.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from(parts[4]!, 'base64');
    const key = scryptSync('parameters-travel', salt, 32, { N: 1024, r: 4, p: 2 });
    const older = ['scrypt', 1024, 4, 2, parts[4], key.toString('base64')].join('$');
    expect(await verifyPassword('parameters-travel', older)).toBe(true);
    expect(await verifyPassword('parameters-travel', older.replace('$1024$', '$2048$'))).toBe(false);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', 'bcrypt$1$2$3$4$5', 'scrypt$0$8$1$AAAA$AAAA', 'scrypt$16384$8$1$$AAAA']) {
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
  });

  it('generates long random passwords and checks length', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[\w-]{24}$/);
    expect(generatePassword()).not.toBe(a);
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('correct-horse-battery')).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(passwordProblem(generatePassword())).toBeUndefined();
  });

  it('refuses passwords that are long enough but easy to guess, and says why and what to do', () => {
    const weak = [
      'aaaaaaaaaa',
      ' '.repeat(10),
      '1234567890',
      'abcdefghij',
      'qwertyuiop',
      'password123',
      'Password1234',
      'P@ssw0rd2024!',
      'hunter2hunter2',
      'long enough',
    ];
    for (const password of weak) {
      const problem = passwordProblem(password);
      expect(problem, JSON.stringify(password)).toMatch(
        /^password is too easy to guess \(strength [0-2] of 4/,
      );
      expect(problem).toContain('Use four or more unrelated words, or a generated password.');
    }
    expect(passwordProblem('aaaaaaaaaa')).toContain('Repeated characters like "aaa" are easy to guess.');
    // The user's own name does not make a password.
    expect(passwordProblem('gwendolyn-1990', ['gwendolyn-1990'])).toMatch(/too easy to guess/);
    expect(passwordStrength('correct horse battery staple').score).toBe(4);
  });
});

describe('memory login limiter', () => {
  it('blocks after the limit and frees each slot as its failure leaves the window', async () => {
    let now = 1_000_000;
    const limiter = new MemoryLoginLimiter({ maxFailures: 3, windowMs: 60_000 }, () => now);
    await limiter.recordFailure('k');
    now += 10_000;
    await limiter.recordFailure('k');
    await limiter.recordFailure('k');
    expect(await limiter.retryAfter('k')).toBe(50);
    expect(await limiter.retryAfter('other')).toBe(0);
    now += 50_000; // the first failure leaves the window
    expect(await limiter.retryAfter('k')).toBe(0);
    await limiter.recordFailure('k');
    expect(await limiter.retryAfter('k')).toBe(10);
    await limiter.reset('k');
    expect(await limiter.retryAfter('k')).toBe(0);
  });

  it('reserves attempts atomically: parallel reservations never pass the limit', async () => {
    const now = 1_000_000;
    const limiter = new MemoryLoginLimiter({ maxFailures: 3, windowMs: 60_000 }, () => now);
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.reserve('k')));
    const granted = results.filter((r) => r.ok);
    expect(granted).toHaveLength(3);
    expect(results.filter((r) => !r.ok)).toEqual(Array(47).fill({ ok: false, retryAfter: 60 }));
    // A released attempt (right password) frees its slot; a kept one stays counted.
    await limiter.release('k', (granted[0] as { id: string }).id);
    expect(await limiter.retryAfter('k')).toBe(0);
    expect((await limiter.reserve('k')).ok).toBe(true);
    expect((await limiter.reserve('k')).ok).toBe(false);
  });

  it('beginAttempt gives back what it reserved when another key is spent', async () => {
    const byUser = new MemoryLoginLimiter({ maxFailures: 5, windowMs: 60_000 });
    const byAddress = new MemoryLoginLimiter({ maxFailures: 1, windowMs: 60_000 });
    const slots = [
      { limiter: byUser, key: 'u', resetOnSuccess: true },
      { limiter: byAddress, key: 'a' },
    ];
    const first = await beginAttempt(slots);
    expect(first.ok).toBe(true); // a wrong password: both counts stay
    const second = await beginAttempt(slots);
    expect(second).toMatchObject({ ok: false });
    await byUser.recordFailure('u');
    expect(await byUser.reserve('u')).toMatchObject({ ok: true }); // 3 of 5 used: the refused one was given back
    await byAddress.reset('a');
    const third = await beginAttempt(slots);
    if (!third.ok) throw new Error('expected a reservation');
    await third.succeeded(); // the username starts afresh, the address attempt is given back
    expect(await byUser.retryAfter('u')).toBe(0);
    expect(await byAddress.retryAfter('a')).toBe(0);
    expect((await byAddress.reserve('a')).ok).toBe(true);
  });
});
