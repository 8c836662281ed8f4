#!/usr/bin/env node
// `npm test`: unit and property tests, then the build, then the end-to-end
// suites in real browsers. Ends with one plain line: `tests: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'oauth-lens-test-'));
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
let status = 0;
function vitest(project, env = {}) {
  const report = join(out, `${project}.json`);
  const code = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed += result.numPassedTests ?? 0;
    failed += (result.numFailedTests ?? 0) + (result.numTotalTestSuites && result.success === false && !result.numFailedTests ? 1 : 0);
  } else if (code !== 0) {
    failed += 1;
  }
  if (code !== 0) status = 1;
}

vitest('unit');
if (run('npm', ['run', '--silent', 'build']) !== 0) {
  console.error('build failed: end-to-end tests not run');
  failed += 1;
  status = 1;
} else {
  // Every demo scenario in both browsers (OAUTH_LENS_E2E_ALL=0 for the short set while developing).
  vitest('e2e', { OAUTH_LENS_E2E_ALL: process.env.OAUTH_LENS_E2E_ALL ?? '1' });
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(status || (failed ? 1 : 0));
