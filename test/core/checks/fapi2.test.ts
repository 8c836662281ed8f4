/** The FAPI 2.0 profile: clauses met, broken and not observable, only when picked. */
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { capture } from '../../support/flow-builder.ts';
import { BUILDER_EPOCH, dpopProof, jwksJson, sign, signer } from '../../support/jose-kit.ts';

const as = await signer('PS256');
const rsa = await signer('RS256', 'rsa');
const client = await signer('ES256', 'client');
const STATE = 'state-0123456789abcdef';
const CODE = 'code-0123456789abcdef';
const PKCE = 'code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
const DISCOVERY = JSON.stringify({ issuer: 'https://as.test', authorization_endpoint: 'https://as.test/authorize', token_endpoint: 'https://as.test/token', pushed_authorization_request_endpoint: 'https://as.test/par', jwks_uri: 'https://as.test/jwks' });
const ISS = 'iss=https%3A%2F%2Fas.test';

async function cleanFapi() {
  const idToken = await sign(as, { iss: 'https://as.test', aud: 'app', sub: 'u', exp: BUILDER_EPOCH + 600, iat: BUILDER_EPOCH });
  const assertion = await sign(client, { iss: 'app', sub: 'app', aud: 'https://as.test', exp: BUILDER_EPOCH + 60, jti: 'a1' });
  return capture`
    [fetch] GET https://as.test/.well-known/openid-configuration -> 200 ${DISCOVERY}
    [fetch] GET https://as.test/jwks -> 200 ${jwksJson(as)}
    [fetch] POST https://as.test/par client_id=app&response_type=code&state=${STATE}&${PKCE}&redirect_uri=https://app.test/cb&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=${assertion} -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:r1","expires_in":60}
    GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:r1 -> 303 https://app.test/cb?code=${CODE}&state=${STATE}&${ISS}
    GET https://app.test/cb?code=${CODE}&state=${STATE}&${ISS} -> 200
    [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&redirect_uri=https://app.test/cb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=${assertion} -> 200 {"access_token":"at-0123456789","token_type":"DPoP","id_token":"${idToken}"}
      > DPoP: ${await dpopProof(client, 'POST', 'https://as.test/token', { second: 5 })}
  `;
}

describe('FAPI 2.0 profile', () => {
  it('runs only when picked', async () => {
    const result = await audit(await cleanFapi());
    expect(result.profile).toBeUndefined();
    expect(result.findings.some((f) => f.check.startsWith('fapi2.'))).toBe(false);
  });

  it('a FAPI-clean flow meets every observable clause and names what it could not observe', async () => {
    const result = await audit(await cleanFapi(), { profile: 'fapi2' });
    const [flow] = result.analysis.flows;
    const verdict = result.profile!.flows[flow!.id]!;
    expect(verdict.broken).toEqual([]);
    expect(verdict.met.sort()).toEqual(['fapi2.alg', 'fapi2.iss-required', 'fapi2.no-307', 'fapi2.par-required', 'fapi2.pkce-s256', 'fapi2.public-client', 'fapi2.response-type', 'fapi2.sender-constrained']);
    expect(verdict.notObservable.map((n) => n.clause).join(' ')).toMatch(/code lifetime/);
    expect(result.findings.filter((f) => f.check.startsWith('fapi2.'))).toEqual([]);
  });

  it('a plain SPA login breaks several clauses, each a finding', async () => {
    const idToken = await sign(rsa, { iss: 'https://as.test', aud: 'app', sub: 'u', exp: BUILDER_EPOCH + 600 });
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=app&state=${STATE}&code_challenge=abc&code_challenge_method=plain&redirect_uri=https://app.test/cb -> 307 https://app.test/cb?code=${CODE}&state=${STATE}
      GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
      [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&client_id=app&code_verifier=abc -> 200 {"access_token":"at-0123456789","token_type":"Bearer","id_token":"${idToken}"}
    `;
    const result = await audit(events, { profile: 'fapi2' });
    const verdict = Object.values(result.profile!.flows)[0]!;
    expect(verdict.broken.sort()).toEqual(['fapi2.alg', 'fapi2.iss-required', 'fapi2.no-307', 'fapi2.par-required', 'fapi2.pkce-s256', 'fapi2.public-client', 'fapi2.sender-constrained']);
    expect(verdict.met).toEqual(['fapi2.response-type']);
    const fapi = result.findings.filter((f) => f.check.startsWith('fapi2.'));
    expect(fapi.every((f) => f.severity === 'high' && f.reference.startsWith('FAPI 2.0 SP §'))).toBe(true);
  });

  it('a server-side client: client authentication and token binding are not observable', async () => {
    const events = capture`
      GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:r1 -> 302 https://app.test/cb?code=${CODE}&state=${STATE}&${ISS}
      GET https://app.test/cb?code=${CODE}&state=${STATE}&${ISS} -> 200
    `;
    const result = await audit(events, { profile: 'fapi2' });
    const verdict = Object.values(result.profile!.flows)[0]!;
    const unobservable = verdict.notObservable.map((n) => n.clause);
    expect(unobservable).toEqual(expect.arrayContaining(['fapi2.public-client', 'fapi2.sender-constrained']));
    expect(verdict.notObservable.find((n) => n.clause === 'fapi2.public-client')?.reason).toMatch(/server/);
    expect(result.notEvaluated.map((n) => n.check)).toContain('fapi2.public-client');
  });
});
