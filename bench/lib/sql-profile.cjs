// Profiling aid, preloaded into the Pushline process with `BENCH_SQL_PROFILE=1 npm run bench -- ...`:
// times every better-sqlite3 statement by SQL text and writes them all, by total time, under a line with the
// totals (statements run, their time) to bench/results/prof/sql-<pid>.txt every 3 s (the process may be
// killed rather than exit). Statements per message = a statement's count / the messages of the run.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const stats = new Map();
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function timedPrepare(sql) {
  const statement = prepare.call(this, sql);
  const key = sql.replace(/\s+/g, ' ').slice(0, 200);
  for (const method of ['all', 'run', 'get']) {
    const original = statement[method].bind(statement);
    statement[method] = (...args) => {
      const t = process.hrtime.bigint();
      try {
        return original(...args);
      } finally {
        const s = stats.get(key) ?? { n: 0, ns: 0n };
        s.n++;
        s.ns += process.hrtime.bigint() - t;
        stats.set(key, s);
      }
    };
  }
  return statement;
};

const dir = join(__dirname, '..', 'results', 'prof');
setInterval(() => {
  // Send workers load this file too but run no SQL: only the thread with statements writes.
  if (stats.size === 0) return;
  const all = [...stats].sort((a, b) => Number(b[1].ns - a[1].ns));
  let n = 0;
  let ns = 0n;
  for (const [, s] of all) {
    n += s.n;
    ns += s.ns;
  }
  const lines = all.map(
    ([k, s]) => `${(Number(s.ns) / 1e6).toFixed(0).padStart(7)} ms ${String(s.n).padStart(8)}x  ${k}`,
  );
  mkdirSync(dir, { recursive: true });
  const total = `${(Number(ns) / 1e6).toFixed(0).padStart(7)} ms ${String(n).padStart(8)}x  (all statements)`;
  writeFileSync(join(dir, `sql-${process.pid}.txt`), `${total}\n${lines.join('\n')}\n`);
}, 3000).unref();
