// Prints the functions with the most self time in a V8 .cpuprofile (from BENCH_CPU_PROFILE=1):
//   node bench/lib/profile-top.mjs bench/results/prof/CPU.*.cpuprofile [count]
import { readFileSync } from 'node:fs';

const [file, count = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const selfMs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const byFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const ms = selfMs.get(node.id) ?? 0;
  total += ms;
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-3).join('/')}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
}
console.log(`total ${total.toFixed(0)} ms`);
for (const [key, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
}
