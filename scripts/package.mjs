#!/usr/bin/env node
// npm run package: builds both targets, lints the Firefox build (web-ext lint,
// errors fail), and writes store-ready zips:
//   dist/oauth-lens-chrome-<version>.zip, dist/oauth-lens-firefox-<version>.zip
// (`--no-build` zips what is in dist/ already.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const webExt = join(root, 'node_modules/web-ext/bin/web-ext.js');
const { version } = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

function run(args, options = {}) {
  const result = spawnSync(process.execPath, [webExt, ...args], { cwd: root, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`web-ext ${args[0]} failed`);
  }
  return result.stdout;
}

function lintFirefox() {
  const out = run(['lint', '--source-dir', 'dist/firefox', '--output', 'json', '--no-input'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const report = JSON.parse(out.slice(out.indexOf('{')));
  for (const message of [...report.errors, ...report.warnings]) {
    console.log(`web-ext lint ${message._type}: ${message.code} ${message.file ?? ''} ${message.message}`);
  }
  if (report.errors.length > 0) throw new Error(`web-ext lint: ${report.errors.length} error(s) in dist/firefox`);
  console.log(`web-ext lint: no errors (${report.warnings.length} warning(s))`);
}

function zip(target) {
  const filename = `oauth-lens-${target}-${version}.zip`;
  rmSync(join(root, 'dist', filename), { force: true });
  run(['build', '--source-dir', `dist/${target}`, '--artifacts-dir', 'dist', '--filename', filename, '--overwrite-dest', '--no-input']);
  console.log(`packaged dist/${filename}`);
}

try {
  if (!process.argv.includes('--no-build')) for (const target of ['chrome', 'firefox']) build(target);
  for (const target of ['chrome', 'firefox']) {
    if (!existsSync(join(root, 'dist', target, 'manifest.json'))) throw new Error(`dist/${target} is missing: run npm run build`);
  }
  lintFirefox();
  for (const target of ['chrome', 'firefox']) zip(target);
} catch (error) {
  console.error(String(error.message ?? error));
  process.exit(1);
}
