import { describe, expect, it } from 'vitest';
import { toTextReport } from '../../../src/core/report/text.ts';
import { SECRETS, sampleResult } from './sample-result.ts';

describe('toTextReport', () => {
  const text = toTextReport(sampleResult(), { source: 'login.har', warnings: ['entry 9 skipped: no request'] });

  it('starts with a summary line', () => {
    expect(text.split('\n')[0]).toBe('oauth-lens audit of login.har: 2 flows, 3 findings (1 critical, 1 high, 1 medium)');
  });

  it('groups findings under their flow, most severe first, with evidence and reference', () => {
    const flow1 = text.slice(text.indexOf('Flow 1'), text.indexOf('Flow 2'));
    expect(flow1).toContain('Flow 1 (flow-0): authorization code, client shop, issuer https://as.example');
    expect(flow1).toContain('   2. callback              GET https://app.example/cb?code=Spl…bIA&state=abc → 200');
    expect(flow1.indexOf('CRITICAL leak.referrer')).toBeLessThan(flow1.indexOf('MEDIUM   state.weak'));
    expect(flow1).toContain('header.referer (request 4): https://app.example/cb?code=Spl…bIA&state=abc');
    expect(flow1).toContain('see RFC 9700 §4.2');
    expect(flow1).toContain('expected at least 16 characters; saw 3 characters');
    expect(flow1).toContain('not evaluated: jwt.signature-invalid: no ID token in the token response');
    expect(text.slice(text.indexOf('Flow 2'))).toContain('HIGH     flow.implicit');
  });

  it('says plainly what could not be seen', () => {
    expect(text).toContain('note: token exchange not observable: implicit flow');
    expect(text).toContain('token exchange: observed; token response body: captured');
    expect(text).toContain('Reading the capture\n  entry 9 skipped: no request');
  });

  it('masks secrets and uses no colour unless asked', () => {
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toContain('\u001b[');
    expect(toTextReport(sampleResult(), { color: true })).toContain('\u001b[1m\u001b[35mCRITICAL');
  });

  it('says when there is no flow at all', () => {
    const empty = toTextReport({ analysis: { events: [], flows: [], metadata: [], jwks: {} }, findings: [], notEvaluated: [] });
    expect(empty).toBe('oauth-lens audit: 0 flows, 0 findings\n\nNo OAuth 2.0 / OpenID Connect flow found in 0 requests.\n');
  });
});
