#!/usr/bin/env node
// npm run build: dist/chrome and dist/firefox from the one source tree.
//   --target chrome|firefox   build one only
//   --e2e                     the test build (dist/e2e-chrome, dist/e2e-firefox)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--target') ? args[args.indexOf('--target') + 1] : undefined;
const e2e = args.includes('--e2e');

export function build(target, { e2e: forTests = false } = {}) {
  const outDir = forTests ? `dist/e2e-${target}` : `dist/${target}`;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, OAUTH_LENS_TARGET: target, OAUTH_LENS_OUT_DIR: outDir, OAUTH_LENS_E2E: forTests ? '1' : '0' },
  });
  if (result.status !== 0) throw new Error(`vite build for ${target} failed`);
  console.log(`built ${outDir} in ${Date.now() - started} ms`);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    for (const target of only ? [only] : ['chrome', 'firefox']) build(target, { e2e });
  } catch (error) {
    console.error(String(error.message ?? error));
    process.exit(1);
  }
}
