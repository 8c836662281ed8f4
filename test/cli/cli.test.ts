/**
 * The CLI as a user runs it: the bundle vite.cli.config.ts builds, in a real
 * node process on HAR files, checking the exit status, stdout and the one
 * line on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATALOGUE } from '../../src/core/checks/catalogue.ts';
import { GOOD_CODE, GOOD_FLOW, GOOD_TOKEN, IMPLICIT_FLOW, IMPLICIT_TOKEN, ORDINARY } from './hars.ts';

const root = join(import.meta.dirname, '..', '..');
// Each test starts node processes: allow for a busy machine.
vi.setConfig({ testTimeout: 30_000 });
let dir = '';
const file = (name: string) => join(dir, name);

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(dir, 'bundle', 'oauth-lens.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-lens-cli-'));
  await build({ configFile: join(root, 'vite.cli.config.ts'), build: { outDir: join(dir, 'bundle'), emptyOutDir: true } });
  writeFileSync(file('ordinary.har'), JSON.stringify(ORDINARY, null, 2));
  writeFileSync(file('good.har'), JSON.stringify(GOOD_FLOW, null, 2));
  writeFileSync(file('implicit.har'), JSON.stringify(IMPLICIT_FLOW, null, 2));
  const whole = JSON.stringify(GOOD_FLOW, null, 2);
  writeFileSync(file('truncated.har'), whole.slice(0, Math.floor(whole.length * 0.6)));
  writeFileSync(file('html.har'), '<!doctype html><title>Sign in</title>');
  writeFileSync(file('array.har'), '[{"log": 1}]');
  writeFileSync(file('no-entries.har'), '{"log": {"version": "1.2", "pages": []}}');
  writeFileSync(file('no-log.har'), '{"har": {}}');
  writeFileSync(file('empty.har'), '');
  writeFileSync(file('bom.har'), `\ufeff${JSON.stringify(ORDINARY)}`);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oauth-lens audit: bad input and usage', () => {
  it.each([
    { description: 'a missing file', args: ['audit', 'nope.har'], line: /^oauth-lens: cannot read nope\.har: no such file$/ },
    { description: 'a truncated file', args: ['audit', 'truncated.har'], line: /^oauth-lens: truncated\.har: truncated: / },
    { description: 'a file that is not JSON', args: ['audit', 'html.har'], line: /^oauth-lens: html\.har: not JSON/ },
    { description: 'an empty file', args: ['audit', 'empty.har'], line: /^oauth-lens: empty\.har: not JSON: the file is empty$/ },
    { description: 'JSON that is not an object', args: ['audit', 'array.har'], line: /not a HAR: expected a JSON object/ },
    { description: 'JSON without log', args: ['audit', 'no-log.har'], line: /not a HAR: missing "log"$/ },
    { description: 'JSON without log.entries', args: ['audit', 'no-entries.har'], line: /not a HAR: missing log\.entries$/ },
    { description: 'a directory', args: ['audit', '.'], line: /is a directory/ },
    { description: 'an unknown flag', args: ['audit', 'good.har', '--frobnicate'], line: /^oauth-lens: unknown option '--frobnicate'/ },
    { description: 'an unknown format', args: ['audit', 'good.har', '--format', 'xml'], line: /unknown --format 'xml'/ },
    { description: 'an unknown severity', args: ['audit', 'good.har', '--fail-on', 'severe'], line: /unknown --fail-on 'severe'/ },
    { description: 'an unknown profile', args: ['audit', 'good.har', '--profile', 'fapi1'], line: /unknown --profile 'fapi1': the only profile is fapi2/ },
    { description: 'no command', args: [], line: /missing command/ },
    { description: 'an unknown command', args: ['scan', 'good.har'], line: /unknown command 'scan'/ },
    { description: 'no file', args: ['audit'], line: /missing HAR file/ },
    { description: 'two files', args: ['audit', 'good.har', 'implicit.har'], line: /unexpected argument 'implicit\.har'/ },
  ])('exits 2 with one line for $description', ({ args, line }) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(line);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('oauth-lens audit: exit status', () => {
  it('exits 0 on ordinary traffic and says there is no flow', () => {
    const run = cli('audit', 'ordinary.har');
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain('No OAuth 2.0 / OpenID Connect flow found in 3 requests.');
  });

  it('reads a file with a byte order mark', () => {
    expect(cli('audit', 'bom.har').status).toBe(0);
  });

  it('exits 0 on a careful login', () => {
    const run = cli('audit', 'good.har', '--format', 'json');
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: { severity: string }) => ['high', 'critical'].includes(f.severity))).toEqual([]);
    expect(run.status).toBe(0);
    expect(report.flows).toHaveLength(1);
  });

  it.each([
    { failOn: 'high (default)', args: [], failsOn: ['high', 'critical'] },
    { failOn: 'high', args: ['--fail-on', 'high'], failsOn: ['high', 'critical'] },
    { failOn: 'critical', args: ['--fail-on', 'critical'], failsOn: ['critical'] },
    { failOn: 'info', args: ['--fail-on', 'info'], failsOn: ['info', 'low', 'medium', 'high', 'critical'] },
    { failOn: 'none', args: ['--fail-on', 'none'], failsOn: [] },
  ])('exits 1 on an implicit flow only when a finding reaches --fail-on $failOn', ({ args, failsOn }) => {
    const report = JSON.parse(cli('audit', 'implicit.har', '--format', 'json', '--fail-on', 'none').stdout);
    const expected = report.findings.some((f: { severity: string }) => failsOn.includes(f.severity)) ? 1 : 0;
    const run = cli('audit', 'implicit.har', ...args);
    expect(run.status).toBe(expected);
    expect(run.stdout).toContain('flow.implicit');
  });

  it('fails an implicit flow by default', () => {
    expect(cli('audit', 'implicit.har').status).toBe(1);
  });
});

describe('oauth-lens audit: formats', () => {
  it('prints text grouped by flow, masked, without colour when not a terminal', () => {
    const run = cli('audit', 'implicit.har');
    expect(run.stdout).toMatch(/^oauth-lens audit of implicit\.har: 1 flow, \d+ findings/);
    expect(run.stdout).toContain('Flow 1 (');
    expect(run.stdout).toMatch(/HIGH +flow\.implicit/);
    expect(run.stdout).not.toContain(IMPLICIT_TOKEN);
    expect(run.stdout).not.toContain('\u001b[');
    expect(cli('audit', 'implicit.har', '--color').stdout).toContain('\u001b[');
  });

  it('prints the documented JSON shape', () => {
    const report = JSON.parse(cli('audit', 'good.har', '--format', 'json').stdout);
    expect(report).toMatchObject({ version: 1, tool: { name: 'oauth-lens' }, summary: { flows: 1 } });
    expect(Object.keys(report.flows[0]).sort()).toEqual(
      ['architecture', 'authorizationEndpoint', 'clientId', 'id', 'issuer', 'kind', 'observability', 'redirectUri', 'startedAt', 'steps', 'tabId', 'tokenEndpoint'].sort(),
    );
    expect(report.flows[0].architecture).toMatchObject({ kind: expect.stringMatching(/^(browser-only|token-mediating-backend|bff|server-side|unknown)$/) });
    expect(report.flows[0]).toMatchObject({ kind: 'authorization_code', clientId: 'app', redirectUri: 'https://app.example/callback' });
    expect(report.flows[0].steps.map((s: { kind: string }) => s.kind)).toEqual(['authorization-request', 'callback', 'token-request']);
    expect(Array.isArray(report.findings)).toBe(true);
    expect(Array.isArray(report.notEvaluated)).toBe(true);
    const text = JSON.stringify(report);
    expect(text).not.toContain(GOOD_CODE);
    expect(text).not.toContain(GOOD_TOKEN);
  });

  it('judges the flows under the FAPI 2.0 profile only with --profile fapi2', () => {
    const plain = JSON.parse(cli('audit', 'good.har', '--format', 'json', '--fail-on', 'none').stdout);
    expect(plain.profile).toBeUndefined();
    expect(plain.findings.some((f: { check: string }) => f.check.startsWith('fapi2.'))).toBe(false);
    const run = cli('audit', 'good.har', '--format', 'json', '--profile', 'fapi2', '--fail-on', 'none');
    const report = JSON.parse(run.stdout);
    expect(report.profile).toBe('fapi2');
    const verdict = report.flows[0].profile;
    expect([...verdict.met, ...verdict.broken, ...verdict.notObservable.map((n: { clause: string }) => n.clause)]).toEqual(
      expect.arrayContaining(['fapi2.par-required', 'fapi2.response-type', 'fapi2.pkce-s256', 'fapi2.iss-required', 'fapi2.sender-constrained', 'fapi2.alg', 'fapi2.no-307', 'fapi2.public-client']),
    );
    expect(verdict.broken).toContain('fapi2.par-required');
    expect(report.findings.map((f: { check: string }) => f.check)).toContain('fapi2.par-required');
  });

  it('reveals secrets only when asked', () => {
    expect(cli('audit', 'good.har', '--format', 'json', '--reveal').stdout).toContain(GOOD_CODE);
  });

  it('prints SARIF 2.1.0 pointing at the HAR file', () => {
    const log = JSON.parse(cli('audit', 'implicit.har', '--format', 'sarif').stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const [run] = log.runs;
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(CATALOGUE.map((c) => c.id));
    expect(run.results.length).toBeGreaterThan(0);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text).toBeTruthy();
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('implicit.har');
    }
    expect(JSON.stringify(log)).not.toContain(IMPLICIT_TOKEN);
  });

  it('prints a Mermaid sequence diagram per flow as Markdown, masked, with the findings as notes', () => {
    const run = cli('audit', 'implicit.har', '--format', 'mermaid');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^## flow-\S+ · implicit/);
    expect(run.stdout).toContain('```mermaid\nsequenceDiagram\n');
    expect(run.stdout).toMatch(/Note over [A-Z,]+: HIGH flow\.implicit: /);
    expect(run.stdout).not.toContain(IMPLICIT_TOKEN);
  });

  it('audits a pseudonymised export with the original verdicts carried', async () => {
    const { pseudonymiseHar } = await import('../../src/lib/index.ts');
    writeFileSync(file('shared.har'), JSON.stringify(await pseudonymiseHar(readFileSync(join(root, 'test/fixtures/har/at-hash-mismatch.har')))));
    const report = JSON.parse(cli('audit', 'shared.har', '--format', 'json', '--fail-on', 'none').stdout);
    expect(report.findings.filter((f: { carried?: boolean }) => f.carried).map((f: { check: string }) => f.check)).toEqual(['jwt.at-hash-mismatch']);
  });

  it('writes the report to --output and nothing to stdout', () => {
    const run = cli('audit', 'implicit.har', '--format', 'json', '--output', 'report.json', '--fail-on', 'none');
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(file('report.json'), 'utf8')).version).toBe(1);
  });

  it('prints help and version', () => {
    expect(cli('--help')).toMatchObject({ status: 0, stderr: '' });
    expect(cli('--help').stdout).toContain('Usage: oauth-lens audit <file.har>');
    expect(cli('--version').stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
