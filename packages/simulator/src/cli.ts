#!/usr/bin/env node
// pushline-sim: runs the vendor simulators in their own process and prints where they are.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createTestCa, type TestCa } from './core/tls.js';
import { isVendor, SIMULATOR_VENDORS, type SimulatorVendor } from './core/vendor-ids.js';
import { type StartSimulatorsOptions, startSimulators } from './simulators.js';

const PORT_NAMES = [
  'apnsProduction',
  'apnsDevelopment',
  ...SIMULATOR_VENDORS.filter((v) => v !== 'apns'),
  'control',
];

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function portList(v: string, acc: Record<string, number>): Record<string, number> {
  for (const part of v.split(',')) {
    const [name, port] = part.split('=');
    if (!name || !PORT_NAMES.includes(name) || port === undefined) {
      throw new InvalidArgumentError(`expected name=port with name one of ${PORT_NAMES.join(', ')}`);
    }
    acc[name] = int(port);
  }
  return acc;
}

/** Keeps the CA in a directory so clients that trust it keep working across restarts. */
function loadOrCreateCa(dir: string): { ca: TestCa; caFile: string } {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return {
      ca: { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') },
      caFile: certFile,
    };
  }
  const ca = createTestCa();
  writeFileSync(keyFile, ca.keyPem, { mode: 0o600 });
  writeFileSync(certFile, ca.certPem);
  return { ca, caFile: certFile };
}

const program = new Command('pushline-sim')
  .description(
    'Protocol-faithful local simulators of APNs, FCM, Huawei, Honor, Xiaomi, OPPO, vivo, Meizu and Web Push',
  )
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--vendors <list>', `comma-separated vendors (default all: ${SIMULATOR_VENDORS.join(',')})`)
  .option('--port <name=port,...>', `fixed ports; names: ${PORT_NAMES.join(', ')}`, portList, {})
  .option('--record-limit <n>', 'full push records kept in memory', int, 10_000)
  .option('--ca-dir <dir>', 'keep the local CA (ca.pem, ca-key.pem) in this directory and reuse it')
  .option('--apns-max-streams <n>', 'MAX_CONCURRENT_STREAMS after the first accepted push', int, 1000)
  .option('--apns-token-update-limit <n>', 'distinct provider tokens per key per 20 min', int, 2)
  .option('--fcm-max-streams <n>', 'MAX_CONCURRENT_STREAMS of FCM HTTP/2 connections', int, 100)
  .option('--json', 'print one JSON object instead of text')
  .action(async (o) => {
    const vendors = o.vendors
      ? String(o.vendors)
          .split(',')
          .map((v) => v.trim())
      : [...SIMULATOR_VENDORS];
    for (const v of vendors) if (!isVendor(v)) program.error(`unknown vendor: ${v}`);
    const opts: StartSimulatorsOptions = {
      host: o.host,
      vendors: vendors as SimulatorVendor[],
      ports: o.port,
      recordLimit: o.recordLimit,
      apnsMaxConcurrentStreams: o.apnsMaxStreams,
      apnsTokenUpdateLimit: o.apnsTokenUpdateLimit,
      fcmMaxConcurrentStreams: o.fcmMaxStreams,
    };
    if (o.caDir) Object.assign(opts, loadOrCreateCa(resolve(o.caDir)));
    const sim = await startSimulators(opts);
    if (o.json) {
      process.stdout.write(
        `${JSON.stringify({ urls: sim.urls, caFile: sim.caFile, control: sim.control, env: sim.env })}\n`,
      );
    } else {
      const lines = ['Pushline simulators running', ''];
      for (const [k, v] of Object.entries(sim.urls)) lines.push(`  ${k.padEnd(16)} ${v}`);
      lines.push(
        '',
        `  CA certificate   ${sim.caFile}`,
        `  control API      ${sim.control}`,
        '',
        'Environment for a Pushline server:',
      );
      for (const [k, v] of Object.entries(sim.env)) lines.push(`  export ${k}=${v}`);
      lines.push('', 'Ctrl-C to stop.');
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    const stop = () => {
      sim.stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`pushline-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
