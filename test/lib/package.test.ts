/**
 * The npm package as a user gets it: `npm pack` (which builds dist/ through
 * `prepare`), the tarball installed into an empty project with
 * `npm install --offline` (the package has no dependencies, so nothing is
 * fetched), then imported from plain Node and type-checked from TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// Each test starts node, npm or tsc: allow for a busy machine.
vi.setConfig({ testTimeout: 60_000 });
let dir = '';
let files: string[] = [];

interface Scenario {
  name: string;
  expect: string[];
}
const scenarios: Scenario[] = JSON.parse(readFileSync(join(root, 'test/fixtures/scenarios.json'), 'utf8'));
const noPkce = scenarios.find((s) => s.name === 'no-pkce')!;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-lens-pack-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], root)) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((file) => file.path);
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--ignore-scripts', join(dir, packed[0]!.filename)], project);
  // What a Playwright user has beside it (the helper's types name playwright-core, whose own types need node's): link the checkout's copies.
  symlinkSync(join(root, 'node_modules', 'playwright-core'), join(project, 'node_modules', 'playwright-core'), 'dir');
  mkdirSync(join(project, 'node_modules', '@types'));
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the CLI, the library, its types and docs, and nothing of the extension', () => {
    expect(files).toEqual(expect.arrayContaining(['bin/oauth-lens.mjs', 'dist/cli/oauth-lens.js', 'dist/lib/index.js', 'dist/lib/playwright.js', 'dist/types/lib/index.d.ts', 'dist/types/lib/playwright/index.d.ts', 'docs/api.md', 'package.json']));
    const extension = files.filter((file) => /panel|popup|background|devtools|platform|manifest\.json|^src\/|\.html$|\.css$|icons\//.test(file));
    expect(extension).toEqual([]);
  });

  it('has no runtime dependencies: Playwright is an optional peer', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'project', 'node_modules', 'oauth-lens', 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@playwright/test', 'playwright-core']);
    expect(readdirSync(join(dir, 'project', 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', '@types', 'oauth-lens', 'playwright-core']);
  });

  it('audits a fixture from plain Node: the same check ids as the engine, and SARIF', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { auditHar, toSarif, isCheckId } from 'oauth-lens';
      const report = await auditHar(readFileSync(${JSON.stringify(join(root, 'test/fixtures/har/no-pkce.har'))}));
      const sarif = toSarif(report, { harPath: 'login.har' });
      console.log(JSON.stringify({
        version: report.version,
        checks: [...new Set(report.findings.map((f) => f.check))].sort(),
        known: report.findings.every((f) => isCheckId(f.check)),
        rules: sarif.runs[0].results.map((r) => r.ruleId).sort(),
        helper: Object.keys(await import('oauth-lens/playwright')).sort(),
        library: Object.keys(await import('oauth-lens')).sort(),
      }));`;
    writeFileSync(join(dir, 'project', 'audit.mjs'), script);
    const out = JSON.parse(run(process.execPath, ['audit.mjs'], join(dir, 'project')));
    expect(out.version).toBe(1);
    expect(out.checks).toEqual([...noPkce.expect].sort());
    expect(out.known).toBe(true);
    expect([...new Set(out.rules)]).toEqual([...noPkce.expect].sort());
    expect(out.library).toEqual(expect.arrayContaining(['auditHar', 'auditEvents', 'toSarif', 'findingsAtOrAbove', 'pseudonymiseHar', 'harToMermaid', 'CATALOGUE', 'isCheckId', 'HarError']));
    expect(out.helper).toEqual(expect.arrayContaining(['recordOAuth', 'expectNoOAuthFindings', 'oauthReport', 'oauthMatchers', 'OAuthFindingsError']));
  });

  it('runs the CLI from the installed bin', () => {
    const out = run(join(dir, 'project', 'node_modules', '.bin', 'oauth-lens'), ['--version'], join(dir, 'project'));
    expect(out.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });

  it('type-checks a TypeScript consumer against the shipped .d.ts (strict, no skipLibCheck)', () => {
    const project = join(dir, 'project');
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { auditHar, auditEvents, toSarif, type Report, type Finding, type CheckId } from 'oauth-lens';
import { recordOAuth, expectNoOAuthFindings, type ExpectOAuthOptions } from 'oauth-lens/playwright';
import type { BrowserContext } from 'playwright-core';
const id: CheckId = 'pkce.missing';
// @ts-expect-error not a check id
const typo: CheckId = 'pkce.mising';
export async function f(har: unknown, context: BrowserContext): Promise<string[]> {
  const report: Report = await auditHar(har);
  const again: Report = await auditEvents([]);
  const first: Finding | undefined = report.findings[0];
  const options: ExpectOAuthOptions = { failOn: 'medium', ignore: [id] };
  await recordOAuth(context);
  await expectNoOAuthFindings(context, options);
  return [toSarif(again).version, first?.severity ?? 'none', typo];
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', lib: ['ESNext', 'DOM'], types: ['node'], noEmit: true, skipLibCheck: false }, files: ['consumer.ts'] }),
    );
    const result = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', project], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
