#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark and prints one table of ratios.
 *
 * A benchmark is any `scripts/bench/*.mjs` or `scripts/bench-*.mjs`. Each runs
 * in its own node process (with --expose-gc, and tsx so it can import the
 * TypeScript sources), prints what it likes, and reports each ratio on a line
 * `##bench {"name": "...", "value": 0.8, "goal": 1, "detail": "..."}`.
 * Pass names to run only some: `npm run bench -- engine pageload`.
 * Always exits 0 unless a benchmark crashes (ratios over goal are reported, not fatal).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = [
  ...(existsSync(join(scripts, 'bench')) ? readdirSync(join(scripts, 'bench')).filter((f) => f.endsWith('.mjs')).map((f) => join(scripts, 'bench', f)) : []),
  ...readdirSync(scripts).filter((f) => /^bench-.+\.mjs$/.test(f)).map((f) => join(scripts, f)),
]
  .filter((file) => only.length === 0 || only.some((name) => basename(file).includes(name)))
  .sort((a, b) => (basename(a) === 'engine.mjs' ? -1 : basename(b) === 'engine.mjs' ? 1 : a.localeCompare(b)));

const rows = [];
let crashed = false;
for (const file of benches) {
  const name = basename(file, '.mjs');
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', file], {
    cwd: dirname(scripts),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('##bench ')) {
      try {
        rows.push({ bench: name, ...JSON.parse(line.slice(8)) });
      } catch {
        console.log(line);
      }
    } else if (line) console.log(line);
  }
  if (run.status !== 0) {
    crashed = true;
    rows.push({ bench: name, name: `exited with ${run.status ?? run.signal}`, value: Number.NaN, goal: Number.NaN });
  }
}

console.log('\nSummary (same run; lower is better)');
const width = Math.max(20, ...rows.map((r) => `${r.bench}: ${r.name}`.length));
console.log(`  ${'measure'.padEnd(width)}  ${'ratio'.padStart(6)}  ${'goal'.padStart(6)}  verdict`);
for (const row of rows) {
  const verdict = Number.isNaN(row.value) ? 'ERROR' : row.value <= row.goal ? 'ok' : 'over goal';
  const value = Number.isNaN(row.value) ? '-' : row.value.toFixed(2);
  const goal = Number.isNaN(row.goal) ? '-' : `≤ ${row.goal}`;
  console.log(`  ${`${row.bench}: ${row.name}`.padEnd(width)}  ${value.padStart(6)}  ${goal.padStart(6)}  ${verdict}${row.detail ? `  (${row.detail})` : ''}`);
}
process.exitCode = crashed ? 1 : 0;
