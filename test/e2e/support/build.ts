/**
 * Builds the extension once per run: only when dist/<target> is older than
 * any source file it is made from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

export type Target = 'chrome' | 'firefox';

export function distDir(target: Target, e2e = true): string {
  return join(ROOT, 'dist', e2e ? `e2e-${target}` : target);
}

/** Builds `dist/e2e-<target>` (the test build) if any input is newer than it. */
export function ensureBuilt(target: Target): string {
  const dir = distDir(target);
  const built = existsSync(join(dir, 'manifest.json')) ? statSync(join(dir, 'manifest.json')).mtimeMs : 0;
  const inputs = Math.max(
    newest(join(ROOT, 'src')),
    newest(join(ROOT, 'manifest.json')),
    newest(join(ROOT, 'vite.config.ts')),
    newest(join(ROOT, 'icons')),
  );
  if (built > inputs) return dir;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--target', target, '--e2e'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  return dir;
}
