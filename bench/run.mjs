#!/usr/bin/env node
// `npm run bench`: every scenario against its baselines in the same run, on this machine. Prints one table
// and writes bench/results/<latest|quick>.{json,svg,txt}. See bench/README.md.
//
//   npm run bench                       full run (under 10 minutes on 2 cores)
//   npm run bench -- --quick            small sizes, under a minute (CI runs it so the code cannot rot)
//   npm run bench -- --only throughput,latency --devices 200000 --million
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { log, startSim } from './lib/harness.mjs';
import { table, writeResults } from './lib/report.mjs';
import * as connections from './scenarios/connections.mjs';
import * as durability from './scenarios/durability.mjs';
import * as latency from './scenarios/latency.mjs';
import * as mixed from './scenarios/mixed-vendors.mjs';
import * as scale from './scenarios/scale.mjs';
import * as throughput from './scenarios/throughput.mjs';

const SCENARIOS = { throughput, 'mixed-vendors': mixed, latency, scale, connections, durability };

const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    devices: { type: 'string' },
    'mixed-devices': { type: 'string' },
    million: { type: 'boolean', default: false },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    steps: { type: 'string' },
    clients: { type: 'string' },
    'c2c-rate': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (o.help) {
  process.stdout.write(
    `usage: npm run bench -- [--quick] [--only ${Object.keys(SCENARIOS).join(',')}]\n` +
      '  [--devices N] [--mixed-devices N] [--million] [--rate R] [--seconds S] [--steps R2,R3] [--clients K]\n' +
      '  [--c2c-rate R]\n',
  );
  process.exit(0);
}

const quick = o.quick;
const num = (v, d) => (v === undefined ? d : Number(v));
const devices = num(o.devices, quick ? 2_000 : 100_000);
const ctx = {
  devices,
  // 2,000 devices per vendor: the slowest HTTP/1.1 vendors (and Web Push encryption) bound the run's time.
  mixedDevices: num(o['mixed-devices'], quick ? 900 : 18_000),
  latency: {
    rate: num(o.rate, quick ? 100 : 1_000),
    seconds: num(o.seconds, quick ? 2 : 30),
    // Steps above the main rate (10 s each): the highest rate sustained with p99 < 100 ms.
    steps:
      o.steps !== undefined ? o.steps.split(',').filter(Boolean).map(Number) : quick ? [200] : [2_000, 3_000],
  },
  scaleSizes: quick ? [500, devices] : [10_000, devices, ...(o.million ? [1_000_000] : [])],
  connections: {
    clients: num(o.clients, quick ? 200 : 10_000),
    rate: num(o['c2c-rate'], quick ? 100 : 200),
    seconds: quick ? 2 : 10,
  },
  shared: {},
};
const only = o.only ? o.only.split(',') : Object.keys(SCENARIOS);
for (const name of only)
  if (!SCENARIOS[name])
    throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);

const started = performance.now();
const meta = {
  mode: quick ? 'quick' : o.only ? `partial (${o.only})` : 'full',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  loadStart: loadavg()[0].toFixed(1),
  config: { ...ctx, shared: undefined },
};
const sim = await startSim();
const results = [];
try {
  for (const name of only) {
    const t = performance.now();
    results.push(await SCENARIOS[name].run({ ...ctx, sim }));
    log(`${name} done in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
} finally {
  await sim.stop();
}
meta.loadEnd = loadavg()[0].toFixed(1);
meta.seconds = (performance.now() - started) / 1000;
const text = table(results, meta);
process.stdout.write(`${text}\n`);
// Only a full run of every scenario replaces latest.*, the results bench/README.md records.
writeResults(
  join(new URL('.', import.meta.url).pathname, 'results'),
  quick ? 'quick' : o.only ? 'partial' : 'latest',
  results,
  meta,
  text,
);
