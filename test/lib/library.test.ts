/** The library's functions from source, on real captures (the packed build is test/lib/package.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditEvents, auditHar, findingsAtOrAbove, HarError, harToMermaid, pseudonymiseHar, toSarif } from '../../src/lib/index.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'har', `${name}.har`));
const checks = (report: { findings: { check: string }[] }) => [...new Set(report.findings.map((f) => f.check))].sort();

describe('oauth-lens (library)', () => {
  it('audits a HAR given as bytes, text or object alike', async () => {
    const bytes = fixture('referer-leak');
    const [a, b, c] = await Promise.all([auditHar(bytes), auditHar(bytes.toString('utf8')), auditHar(JSON.parse(bytes.toString('utf8')))]);
    expect(checks(a)).toEqual(['leak.referrer']);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(JSON.stringify(a)).not.toContain(/[?&]code=([\w-]{20,})/.exec(bytes.toString('utf8'))![1]);
  });

  it('reports warnings through onWarning, and throws HarError for what is not a HAR', async () => {
    await expect(auditHar('{"nope": 1}')).rejects.toBeInstanceOf(HarError);
    const warnings: string[] = [];
    await auditHar({ log: { version: '1.2', entries: [42] } }, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual(['entry 0 skipped: not an object']);
  });

  it('auditEvents, toSarif and findingsAtOrAbove agree with the report', async () => {
    const report = await auditEvents([
      { id: '1', requestId: '1', hop: 0, seq: 1, time: 0, tabId: -1, type: 'main_frame', method: 'GET', url: 'https://as.example/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=x7Kq2mVw9pLs4Rt8bN3cY6hJ', status: 302, redirectUrl: 'https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=x7Kq2mVw9pLs4Rt8bN3cY6hJ', responseBodyState: 'none' },
    ]);
    expect(checks(report)).toEqual(['pkce.missing']);
    expect(toSarif(report, { harPath: 'a.har' }).runs[0]!.results.map((r) => r.ruleId)).toEqual(['pkce.missing']);
    expect(findingsAtOrAbove(report, 'critical')).toEqual([]);
    expect(findingsAtOrAbove(report, 'high').map((f) => f.check)).toEqual(['pkce.missing']);
  });

  it('harToMermaid: one fenced sequenceDiagram per flow, the finding as a note', async () => {
    const markdown = await harToMermaid(fixture('referer-leak'));
    expect(markdown.match(/```mermaid\nsequenceDiagram\n/g)).toHaveLength(1);
    expect(markdown).toMatch(/Note over B,T: CRITICAL leak\.referrer: /);
  });

  it('pseudonymiseHar: the shared file re-audits to the same findings, real-value verdicts carried', async () => {
    const bytes = fixture('at-hash-mismatch');
    const original = await auditHar(bytes);
    const shared = await pseudonymiseHar(bytes);
    const again = await auditHar(shared);
    expect(checks(again)).toEqual(checks(original));
    expect(again.findings.find((f) => f.check === 'jwt.at-hash-mismatch')?.carried).toBe(true);
    const code = /[?&]code=([\w-]{20,})/.exec(bytes.toString('utf8'))![1]!;
    expect(JSON.stringify(shared)).not.toContain(code);
  });
});
