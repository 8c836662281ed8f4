/**
 * A large HAR costs the CLI its bytes, not a parsed tree: with a heap far
 * smaller than JSON.parse of the whole file would need, the audit still runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHar } from '../../scripts/bench/lib/generate-har.mjs';

const root = join(import.meta.dirname, '..', '..');
const HEAP_MB = 48;
let dir = '';
let bytes = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-lens-large-'));
  bytes = await generateHar(join(dir, 'large.har'), { count: 25_000, flows: 5 });
  await build({ configFile: join(root, 'vite.cli.config.ts'), build: { outDir: join(dir, 'bundle'), emptyOutDir: true } });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a large HAR', () => {
  it(`is audited within a ${HEAP_MB} MB heap that JSON.parse of the whole file does not fit in`, () => {
    const node = (args: string[]) => spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(bytes).toBeGreaterThan(60_000_000);
    const whole = node(['-e', "JSON.parse(require('node:fs').readFileSync('large.har', 'utf8'))"]);
    expect(whole.status).not.toBe(0);
    const run = node([join(dir, 'bundle', 'oauth-lens.js'), 'audit', 'large.har', '--format', 'json', '--fail-on', 'none']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).summary.flows).toBe(5);
  }, 120_000);
});
