/**
 * Regenerates test/fixtures/har/*.har and test/fixtures/scenarios.json:
 * `npm run fixtures` (= node --import tsx scripts/capture/capture.ts [names…]).
 *
 * Starts the demo, runs every variant in a fresh Chromium context recording a
 * HAR with embedded bodies, slims it, and writes the scenario table from the
 * variants' declared expectations (demo/variant-rows.ts).
 *
 *   capture.ts                 every scenario, then scenarios.json and the tables
 *   capture.ts clean implicit  only these HARs (scenarios.json untouched)
 *   capture.ts --tables-only   only scenarios.json, the README table and the
 *                              variant table in demo/servers.ts
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Har } from 'har-format';
import { startDemo, VARIANTS } from '../../demo/servers.ts';
import { activeExpect } from '../../demo/variants.ts';
import { completeVariant, seedRefreshToken } from '../../demo/drive.ts';
import { slimHar, summarize } from './slim-har.ts';
import { writeVariantTable } from './variant-table.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'test/fixtures');
const STORAGE_SNAPSHOT = new Set(['token-in-storage']);

interface Row {
  name: string;
  description: string;
  expect: string[];
  flows: number;
  kinds: string[];
  active: string[];
  /** Judged under this profile: `expect` then holds its clause ids too (the variants designed for FAPI 2.0). */
  profile?: 'fapi2';
  storage?: string;
}

async function captureAll(only: Set<string>): Promise<number> {
  const demo = await startDemo();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${demo.hostResolverRules}`,
    ],
  });
  const tmp = await mkdtemp(join(tmpdir(), 'oauth-lens-capture-'));
  await mkdir(join(OUT, 'har'), { recursive: true });
  let failures = 0;
  try {
    for (const variant of VARIANTS) {
      if (only.size > 0 && !only.has(variant.name)) continue;
      const rawPath = join(tmp, `${variant.name}.har`);
      const context = await browser.newContext({ ignoreHTTPSErrors: true, recordHar: { path: rawPath, content: 'embed' } });
      try {
        await seedRefreshToken(context, demo, variant);
        const page = await context.newPage();
        const url = demo.urls.variants[variant.name];
        if (!url) throw new Error(`no URL for ${variant.name}`);
        await page.goto(url);
        const outcome = await completeVariant(context, page, variant);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        if (STORAGE_SNAPSHOT.has(variant.name)) {
          const state = await context.storageState();
          await writeFile(join(OUT, 'har', `${variant.name}.storage.json`), `${JSON.stringify(state, null, 2)}\n`);
        }
        await context.close();
        const har = slimHar(JSON.parse(await readFile(rawPath, 'utf8')) as Har);
        har.log.comment = `OAuth Lens fixture "${variant.name}": ${variant.description}`;
        await writeFile(join(OUT, 'har', `${variant.name}.har`), `${JSON.stringify(har, null, 1)}\n`);
        process.stdout.write(`ok   ${variant.name.padEnd(28)} ${outcome} | ${summarize(har)}\n`);
      } catch (err) {
        failures += 1;
        process.stdout.write(`FAIL ${variant.name.padEnd(28)} ${err instanceof Error ? err.message : String(err)}\n`);
        await context.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
    await demo.close();
    await rm(tmp, { recursive: true, force: true });
  }
  return failures;
}

async function writeTables(): Promise<void> {
  const rows: Row[] = VARIANTS.map((v) => ({
    name: v.name,
    description: v.description,
    expect: v.fapi2 ? [...v.expect, ...v.fapi2] : v.expect,
    flows: v.flows,
    kinds: v.kinds,
    active: activeExpect(v),
    ...(v.fapi2 ? { profile: 'fapi2' as const } : {}),
    ...(STORAGE_SNAPSHOT.has(v.name) ? { storage: `har/${v.name}.storage.json` } : {}),
  }));
  await writeFile(join(OUT, 'scenarios.json'), `${JSON.stringify(rows, null, 2)}\n`);
  await writeReadmeTable(rows);
  await writeVariantTable(ROOT);
}

/** Rewrites the scenario table between the markers in test/fixtures/README.md. */
async function writeReadmeTable(rows: Row[]): Promise<void> {
  const path = join(OUT, 'README.md');
  const readme = await readFile(path, 'utf8');
  const code = (ids: string[]) => (ids.length ? ids.map((id) => `\`${id}\``).join(', ') : '—');
  const table = [
    '| scenario | expect (passive) | flows | kinds | re-run (active, live demo) |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| \`${r.name}\` | ${code(r.expect)} | ${r.flows} | ${r.kinds.join(', ') || '—'} | ${code(r.active)} |`),
  ].join('\n');
  const start = '<!-- scenarios:start (written by scripts/capture/capture.ts) -->';
  const end = '<!-- scenarios:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error('scenario table markers missing in test/fixtures/README.md');
  await writeFile(path, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
}

const args = process.argv.slice(2);
const only = new Set(args.filter((a) => !a.startsWith('--')));
const failures = args.includes('--tables-only') ? 0 : await captureAll(only);
if (only.size === 0) await writeTables();
process.exitCode = failures > 0 ? 1 : 0;
