// The benchmark's output: one text table on stdout, results/latest.json and a small SVG bar chart of each
// scenario's figure next to its baselines (results/latest.svg).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fmt = (v) =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en')
      : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);

/** A ratio's figure, one digit finer when rounding would make it read as its target's bound (0.799 vs >= 0.8). */
export const fmtRatio = (q) => {
  const shown = fmt(q.value);
  const bound = Number(/\d[\d.]*/.exec(q.target ?? '')?.[0]);
  return Number.isFinite(q.value) && Number(shown.replace(/,/g, '')) === bound ? q.value.toFixed(3) : shown;
};

export function table(results, meta) {
  const lines = [];
  lines.push(`Pushline benchmark — ${meta.mode} run, ${meta.date}`);
  lines.push(
    `${meta.cpus} × ${meta.cpu}, node ${meta.node}, load average at start ${meta.loadStart} / end ${meta.loadEnd}, ${meta.seconds.toFixed(0)} s`,
  );
  for (const r of results) {
    lines.push('', `## ${r.title}`);
    const w = Math.max(44, ...r.rows.map((x) => x.name.length));
    for (const row of r.rows)
      lines.push(
        `  ${row.name.padEnd(w)} ${fmt(row.value).padStart(10)} ${row.unit.padEnd(7)} ${row.extra ?? ''}`.trimEnd(),
      );
    for (const q of r.ratios ?? []) {
      const target = q.target ? `  target ${q.target}: ${q.met ? 'met' : 'MISSED'}` : '';
      lines.push(`  → ${q.name.padEnd(w - 2)} ${fmtRatio(q).padStart(10)}${target}`);
    }
  }
  return lines.join('\n');
}

function svg(results) {
  // One group of bars per scenario whose rows share a unit; each bar scaled to the group's largest value.
  const groups = results
    .map((r) => ({
      title: r.title,
      rows: r.rows.filter((x) => x.unit === r.rows[0]?.unit && !x.name.startsWith('  ')),
    }))
    .filter((g) => g.rows.length > 0);
  const barH = 16;
  const width = 760;
  let y = 30;
  const parts = [
    `<text x="10" y="20" font-size="14" font-weight="bold">Pushline benchmark (each figure next to its same-run baselines)</text>`,
  ];
  for (const g of groups) {
    parts.push(`<text x="10" y="${y + 12}" font-size="12" font-weight="bold">${escapeXml(g.title)}</text>`);
    y += 18;
    const max = Math.max(...g.rows.map((x) => (Number.isFinite(x.value) ? x.value : 0)), 1e-9);
    for (const row of g.rows) {
      const w = Math.max(1, (Number.isFinite(row.value) ? row.value / max : 0) * 360);
      const base = row.name.startsWith('baseline');
      parts.push(
        `<text x="10" y="${y + 12}" font-size="11">${escapeXml(row.name.slice(0, 48))}</text>`,
        `<rect x="330" y="${y + 2}" width="${w.toFixed(1)}" height="${barH - 4}" fill="${base ? '#9aa5b1' : '#2f7ed8'}"/>`,
        `<text x="${(336 + w).toFixed(1)}" y="${y + 12}" font-size="11">${escapeXml(`${fmt(row.value)} ${row.unit}`)}</text>`,
      );
      y += barH;
    }
    y += 10;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

const escapeXml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function writeResults(dir, name, results, meta, text) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ meta, results }, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.svg`), svg(results));
  writeFileSync(join(dir, `${name}.txt`), `${text}\n`);
}
