import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, databaseUrl, loadConfig, pushQueueKind, trustedProxies } from '../src/config.js';

describe('configuration', () => {
  it('has defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', logLevel: 'info', sandbox: false });
    expect(c.dataDir).toBe(resolve('./data'));
    expect(databaseUrl(c)).toBe(`sqlite:${resolve('./data/pushline.db')}`);
  });

  it('layers file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-config-'));
    const file = join(dir, 'pushline.yaml');
    writeFileSync(file, 'port: 9000\nlogLevel: debug\ndb: postgres://u@h/db\nfcmUrl: http://127.0.0.1:1\n');
    const c = loadConfig({
      configFile: file,
      env: { PUSHLINE_PORT: '9100', PUSHLINE_TRUST_PROXY: 'true', PUSHLINE_SANDBOX: 'false' },
      flags: { port: '9200' },
    });
    expect(c).toMatchObject({
      port: 9200,
      logLevel: 'debug',
      db: 'postgres://u@h/db',
      fcmUrl: 'http://127.0.0.1:1',
      trustProxy: true,
      sandbox: false,
    });
    expect(loadConfig({ configFile: file, env: { PUSHLINE_PORT: '9100' } }).port).toBe(9100);
  });

  it('reads the config file named by PUSHLINE_CONFIG (JSON)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-config-'));
    const file = join(dir, 'pushline.json');
    writeFileSync(file, JSON.stringify({ port: 7001 }));
    expect(loadConfig({ env: { PUSHLINE_CONFIG: file } }).port).toBe(7001);
  });

  it('explains bad values and unknown keys', () => {
    expect(() => loadConfig({ env: { PUSHLINE_PORT: 'abc' } })).toThrow(/port \(PUSHLINE_PORT\)/);
    expect(() => loadConfig({ env: { PUSHLINE_APNS_PRODUCTION_URL: 'not a url' } })).toThrow(
      /PUSHLINE_APNS_PRODUCTION_URL/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'pushline-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({ configFile: file, env: {} })).toThrow(/unknown keys: prot/);
  });

  it('binds sandbox to loopback unless a host is given', () => {
    expect(loadConfig({ env: {}, flags: { sandbox: true } }).host).toBe('127.0.0.1');
    expect(loadConfig({ env: {}, flags: { sandbox: true, host: '0.0.0.0' } }).host).toBe('0.0.0.0');
  });

  it('picks the Redis push queue when Redis is configured, unless told otherwise', () => {
    expect(pushQueueKind(loadConfig({ env: {} }))).toBe('sql');
    const redis = loadConfig({ env: { PUSHLINE_REDIS: 'redis://127.0.0.1:6379' } });
    expect(pushQueueKind(redis)).toBe('redis');
    expect(redis.redisPrefix).toBe('pushline:');
    const sqlWithRedis = loadConfig({
      env: { PUSHLINE_REDIS: 'redis://127.0.0.1:6379', PUSHLINE_PUSH_QUEUE: 'sql' },
    });
    expect(pushQueueKind(sqlWithRedis)).toBe('sql');
    expect(() => loadConfig({ env: { PUSHLINE_PUSH_QUEUE: 'redis' } })).toThrow(
      /pushQueue \(PUSHLINE_PUSH_QUEUE\): `redis` needs a Redis URL/,
    );
    expect(() => loadConfig({ env: { PUSHLINE_PUSH_QUEUE: 'kafka' } })).toThrow(/PUSHLINE_PUSH_QUEUE/);
  });

  it('trusts forwarded headers only from the proxies named; true means loopback only', () => {
    const proxies = (env: Record<string, string>) => trustedProxies(loadConfig({ env }));
    expect(proxies({})).toEqual([]);
    expect(proxies({ PUSHLINE_TRUST_PROXY: 'false' })).toEqual([]);
    expect(proxies({ PUSHLINE_TRUST_PROXY: 'true' })).toEqual(['loopback']);
    expect(proxies({ PUSHLINE_TRUST_PROXY: '1' })).toEqual(['loopback']);
    expect(proxies({ PUSHLINE_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,fd00::/8' })).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'loopback',
      'fd00::/8',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'pushline-config-'));
    const file = join(dir, 'proxy.yaml');
    writeFileSync(file, 'trustProxy:\n  - 192.0.2.10\n  - 2001:db8::/32\n');
    expect(trustedProxies(loadConfig({ configFile: file, env: {} }))).toEqual([
      '192.0.2.10',
      '2001:db8::/32',
    ]);
    for (const bad of ['proxy.internal', '10.0.0.0/33', '10.0.0.1/8/2', '::1/129', 'everything']) {
      expect(() => loadConfig({ env: { PUSHLINE_TRUST_PROXY: bad } }), bad).toThrow(
        /trustProxy \(PUSHLINE_TRUST_PROXY\)/,
      );
    }
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/configuration.md'), 'utf8');
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
      expect(doc, `docs/configuration.md lacks ${key}`).toContain(`\`${key}\``);
      expect(doc, `docs/configuration.md lacks ${spec.env}`).toContain(spec.env);
    }
  });
});
