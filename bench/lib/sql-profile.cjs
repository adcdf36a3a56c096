// Profiling aid, preloaded into the Pushline process with `BENCH_SQL_PROFILE=1 npm run bench -- ...`:
// times every better-sqlite3 statement by SQL text and writes the top 20 to
// bench/results/prof/sql-<pid>.txt every 3 s (the process may be killed rather than exit).
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
  const top = [...stats].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 20);
  const lines = top.map(
    ([k, s]) => `${(Number(s.ns) / 1e6).toFixed(0).padStart(7)} ms ${String(s.n).padStart(8)}x  ${k}`,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `sql-${process.pid}.txt`), `${lines.join('\n')}\n`);
}, 3000).unref();
