import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { toJsonReport } from '../../../src/core/report/json.ts';
import { capture } from '../../support/flow-builder.ts';
import { SECRETS, sampleResult } from './sample-result.ts';

describe('toJsonReport', () => {
  it('has the documented shape', () => {
    const report = toJsonReport(sampleResult(), { toolVersion: '1.2.3', dropped: 4 });
    expect(report).toMatchObject({
      version: 1,
      tool: { name: 'oauth-lens', version: '1.2.3' },
      summary: { flows: 2, findings: { info: 0, low: 0, medium: 1, high: 1, critical: 1 } },
      dropped: 4,
      notEvaluated: [{ check: 'jwt.signature-invalid', flowId: 'flow-0', reason: 'no ID token in the token response' }],
    });
    expect(report.flows[0]).toEqual({
      id: 'flow-0',
      kind: 'authorization_code',
      tabId: -1,
      startedAt: 1_700_000_000_000,
      clientId: 'shop',
      issuer: 'https://as.example',
      authorizationEndpoint: 'https://as.example/authorize',
      tokenEndpoint: 'https://as.example/token',
      redirectUri: 'https://app.example/cb',
      steps: [
        expect.objectContaining({ id: '0', kind: 'authorization-request', method: 'GET', status: 302, paramSource: 'query' }),
        expect.objectContaining({ id: '0.1', kind: 'callback', url: 'https://app.example/cb?code=Spl…bIA&state=abc', params: { code: 'Spl…bIA', state: 'abc' } }),
        expect.objectContaining({ id: '3', kind: 'token-request', method: 'POST', response: { access_token: '2Yo…pAA', token_type: 'Bearer' } }),
      ],
      observability: { tokenExchange: 'observed', tokenResponseBody: 'captured', notes: [] },
      architecture: { kind: 'browser-only', evidence: [{ requestId: '3', note: 'the page\'s script redeemed the code' }] },
    });
    expect(report).not.toHaveProperty('profile');
    expect(report.flows[0]).not.toHaveProperty('profile');
    expect(report.flows[1]).toMatchObject({ issuer: null, tokenEndpoint: null, redirectUri: null });
    expect(report.findings[2]).toEqual({
      check: 'state.weak',
      severity: 'medium',
      flowId: 'flow-0',
      message: 'state is 3 characters long.',
      evidence: [{ requestId: '0', where: 'url.query.state', excerpt: 'state=abc' }],
      reference: 'RFC 6749 §10.10, §10.12',
      expected: 'at least 16 characters',
      actual: '3 characters',
    });
  });

  it('leaves no secret of the capture anywhere, even where a check forgot to mask', () => {
    const text = JSON.stringify(toJsonReport(sampleResult()));
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).toContain('Spl…bIA');
  });

  it('carries the profile and each flow\'s verdict when one was picked, with reasons redacted', () => {
    const result = sampleResult();
    result.profile = {
      id: 'fapi2',
      flows: { 'flow-0': { met: ['fapi2.pkce-s256'], broken: ['fapi2.par-required'], notObservable: [{ clause: 'fapi2.public-client', reason: `the code ${SECRETS.code} was redeemed on the server` }] } },
    };
    const report = toJsonReport(result);
    expect(report.profile).toBe('fapi2');
    expect(report.flows[0]!.profile).toMatchObject({ met: ['fapi2.pkce-s256'], broken: ['fapi2.par-required'], notObservable: [{ clause: 'fapi2.public-client' }] });
    expect(report.flows[1]).not.toHaveProperty('profile');
    expect(JSON.stringify(report)).not.toContain(SECRETS.code);
  });

  it('reveals when asked', () => {
    const text = JSON.stringify(toJsonReport(sampleResult(), { reveal: true }));
    for (const secret of [SECRETS.code, SECRETS.accessToken, SECRETS.verifier]) expect(text).toContain(secret);
  });

  it('omits dropped when nothing was dropped, and survives a JSON round trip', () => {
    const report = toJsonReport(sampleResult());
    expect('dropped' in report).toBe(false);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports a real audit without leaking its tokens', async () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=app&state=s1-long-enough-state&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=code-value-123456&state=s1-long-enough-state
      GET https://app.test/cb?code=code-value-123456&state=s1-long-enough-state -> 200
      [fetch] POST https://as.test/token grant_type=authorization_code&code=code-value-123456&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 200 {"access_token":"access-token-abcdef123","token_type":"Bearer"}
        > Origin: https://app.test
    `;
    const report = toJsonReport(await audit(events));
    expect(report.version).toBe(1);
    const text = JSON.stringify(report);
    expect(text).not.toContain('code-value-123456');
    expect(text).not.toContain('access-token-abcdef123');
  });
});
