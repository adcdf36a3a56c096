// Password hashing and the sign-in limiter, without a server.
import { describe, expect, it } from 'vitest';
import { MemoryLoginLimiter } from '../src/auth/login-limiter.js';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../src/auth/passwords.js';

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
    expect(passwordProblem('long enough')).toBeUndefined();
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
});
