/**
 * The inspector's own requests, logged in the tab's capture (the worker's
 * `record`), must not be judged as the app's: a deliberately missing or wrong
 * code_verifier sent by the PKCE check is not the app's mistake.
 * The checks run on `appTraffic(analysis)`, which leaves the inspector's legs out.
 */
import { expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { inspectorEvent, inspectorNavigationEvent } from '../../../src/core/replay/index.ts';
import { capture } from '../../support/flow-builder.ts';

const app = capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1aaaaaaaaaaaaaaaaaaaa&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1aaaaaaaaaaaaaaaaaaaa
  GET https://app.test/cb?code=c1&state=s1aaaaaaaaaaaaaaaaaaaa -> 200
    < Referrer-Policy: no-referrer
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk -> 200 {"access_token":"at1"}
    > Origin: https://app.test
    < Cache-Control: no-store
`;

const STATE = 'lens-abcdefghijklmnopqrstuv';
const probeUrl = `https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=${STATE}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
const noVerifier = {
  method: 'POST' as const,
  url: 'https://as.test/token',
  headers: [],
  encoding: 'form' as const,
  fields: [['grant_type', 'authorization_code'], ['code', 'fresh'], ['redirect_uri', 'https://app.test/cb'], ['client_id', 'app']] as Array<[string, string]>,
  appOrigin: 'https://app.test',
};
const refused = { status: 400, headers: [{ name: 'Cache-Control', value: 'no-store' }], bodyText: '{"error":"invalid_grant"}', sentAt: 1_700_000_100_000, originSent: true };

it('no finding comes from the inspector’s own requests', async () => {
  const own = [
    inspectorNavigationEvent({ id: 'lens-probe', seq: 9e15, tabId: 1 }, probeUrl, { status: 303, redirectUrl: `https://app.test/cb?code=fresh&state=${STATE}`, time: 1_700_000_100_000 }),
    inspectorEvent({ id: 'lens-no-verifier', seq: 9e15 + 1, tabId: 1 }, noVerifier, refused),
  ];
  const { findings } = await audit([...app, ...own]);
  expect(findings.filter((f) => f.evidence.some((e) => e.requestId.startsWith('lens-')))).toEqual([]);
});
