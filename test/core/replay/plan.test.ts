import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { Flow } from '../../../src/core/model.ts';
import { ACTIVE_CHECK_IDS, FRESH_CODE_PLACEHOLDER, fieldValue, isProbeCallback, planActiveCheck, probeCatchPattern, redirectUriPattern } from '../../../src/core/replay/index.ts';
import { capture } from '../../support/flow-builder.ts';

const flow = analyze(capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1","refresh_token":"rt1"}
  [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=rt1&client_id=app -> 200 {"access_token":"at2","refresh_token":"rt2"}
`).flows[0] as Flow;

describe('planning what will be sent', () => {
  it('every active check has a plan for a complete public-client flow (dpop.refresh-unbound needs DPoP-bound tokens)', async () => {
    for (const check of ACTIVE_CHECK_IDS.filter((c) => c !== 'dpop.refresh-unbound')) {
      const plan = await planActiveCheck(flow, check);
      expect('unavailable' in plan, check).toBe(false);
    }
  });

  it('pkce.not-enforced: one probe with the inspector’s state, then four exchanges of the fresh code', async () => {
    const plan = await planActiveCheck(flow, 'pkce.not-enforced');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    expect(plan.steps.map((s) => s.id)).toEqual(['fresh-code', 'no-verifier', 'wrong-verifier', 'right-verifier', 'reuse']);
    const probe = plan.steps[0];
    if (probe?.kind !== 'probe') throw new Error('probe first');
    expect(new URL(probe.probe.url).searchParams.get('state')).toBe(probe.probe.state);
    expect(probe.probe.state).toMatch(/^lens-/);
    const wrong = plan.steps[2];
    if (wrong?.kind !== 'token') throw new Error('token step');
    expect(fieldValue(wrong.request, 'code_verifier')).toBe(plan.wrongVerifier);
    expect(fieldValue(wrong.request, 'code')).toBe(FRESH_CODE_PLACEHOLDER);
    expect(plan.warnings.join(' ')).toMatch(/revoke/);
  });

  it('redirect.not-exact: one probe per changed address, each with its own state', async () => {
    const plan = await planActiveCheck(flow, 'redirect.not-exact');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const probes = plan.steps.flatMap((s) => (s.kind === 'probe' ? [s.probe] : []));
    expect(probes.map((p) => p.redirectUri)).toEqual([
      'https://app.test/cb/lens-probe',
      'https://app.test:444/cb',
      'https://lens-probe.app.test/cb',
      'https://app.test/cb?lens_probe=1',
    ]);
    expect(new Set(probes.map((p) => p.state)).size).toBe(4);
  });
});

describe('redirectUriPattern (declarativeNetRequest regexFilter)', () => {
  const rows = [
    { uri: 'https://app.test/cb', url: 'https://app.test/cb?code=x&state=s', expected: true },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb', expected: true },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb/lens-probe?code=x', expected: false },
    { uri: 'https://app.test/cb', url: 'https://app.test/cbx?code=x', expected: false },
    { uri: 'https://app.test:8443/cb?lens_probe=1', url: 'https://app.test:8443/cb?lens_probe=1&code=x', expected: true },
    { uri: 'https://app.test:8443/cb?lens_probe=1', url: 'https://app.test:8443/cb?code=x', expected: false },
    { uri: 'https://app.test/', url: 'https://app.test/?code=x', expected: true },
  ];
  for (const { uri, url, expected } of rows) {
    it(`${uri} ${expected ? 'matches' : 'does not match'} ${url}`, () => expect(new RegExp(redirectUriPattern(uri)).test(url)).toBe(expected));
  }
});

describe('probeCatchPattern: the probe’s own authorization response only', () => {
  const rows = [
    { uri: 'https://app.test/cb', url: 'https://app.test/cb?code=x&state=lens-AB_c-1&iss=y', expected: true },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb?state=lens-AB_c-1', expected: true },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb?code=x&state=app-state', expected: false },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb?code=x&state=lens-AB_c-12', expected: false },
    { uri: 'https://app.test/cb', url: 'https://app.test/cb/lens-probe?code=x&state=lens-AB_c-1', expected: false },
    { uri: 'https://app.test/cb?lens_probe=1', url: 'https://app.test/cb?lens_probe=1&code=x&state=lens-AB_c-1', expected: true },
    { uri: 'https://app.test/cb?lens_probe=1', url: 'https://app.test/cb?code=x&state=lens-AB_c-1', expected: false },
  ];
  for (const { uri, url, expected } of rows) {
    it(`${uri}: ${url} ${expected ? 'caught' : 'left alone'}`, () => {
      expect(new RegExp(probeCatchPattern(uri, 'lens-AB_c-1')).test(url)).toBe(expected);
      // The worker's own test is string work, and agrees with the DNR rule's regex.
      expect(isProbeCallback(url, uri, 'lens-AB_c-1')).toBe(expected);
    });
  }
});
