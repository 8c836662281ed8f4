import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import { authorizationRequestChecks } from '../../../src/core/checks/authorization-request.ts';
import { endpointChecks } from '../../../src/core/checks/endpoints.ts';
import { createContext } from '../../../src/core/checks/context.ts';
import type { AuditOptions, CheckResult, RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';

const CH = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const V = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ST = 'af0ifjsldkjXk3Xa9wPq7r';
const RU = 'https%3A%2F%2Fapp.test%2Fcb';
const AUTH = `https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${RU}&scope=openid`;

/** The request-side families: the authorization request itself and the endpoints it names. */
async function run(events: RequestEvent[], options: AuditOptions = {}): Promise<CheckResult> {
  const ctx = createContext(analyze(events), options);
  const parts = await Promise.all([authorizationRequestChecks.run(ctx), endpointChecks.run(ctx)]);
  return { findings: parts.flatMap((p) => p.findings), notEvaluated: parts.flatMap((p) => p.notEvaluated) };
}

interface Row {
  description: string;
  capture: RequestEvent[];
  /** check id, or `id:severity` when the severity matters. */
  expected: string[];
  notEvaluated?: string[];
}

const clean = capture`
  GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
  GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
  POST https://as.test/token grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=${RU}&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef","token_type":"Bearer"}
`;

const rows: Row[] = [
  { description: 'a clean code + PKCE + state flow over https', capture: clean, expected: [] },
  // pkce.missing
  {
    description: 'code flow without code_challenge, no nonce',
    capture: capture`GET ${AUTH}&state=${ST} -> 200`,
    expected: ['pkce.missing:high'],
  },
  {
    description: 'confidential OIDC client with nonce and no PKCE: lowered to medium',
    capture: capture`
      GET ${AUTH}&state=${ST}&nonce=n-0S6_WzA2Mj -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 302 https://app.test/home
    `,
    expected: ['pkce.missing:medium'],
    notEvaluated: ['redirect.mismatch'],
  },
  {
    description: 'implicit id_token flow has no code: no pkce.missing',
    capture: capture`GET https://as.test/authorize?response_type=id_token&client_id=app&redirect_uri=${RU}&state=${ST}&nonce=n-0S6_WzA2Mj -> 200`,
    expected: [],
  },
  // pkce.plain
  {
    description: 'code_challenge_method=plain',
    capture: capture`GET ${AUTH}&state=${ST}&code_challenge=${V}&code_challenge_method=plain -> 200`,
    expected: ['pkce.plain'],
  },
  {
    description: 'code_challenge without method means plain',
    capture: capture`GET ${AUTH}&state=${ST}&code_challenge=${V} -> 200`,
    expected: ['pkce.plain'],
  },
  // pkce.challenge-malformed
  {
    description: 'S256 challenge with base64 padding',
    capture: capture`GET ${AUTH}&state=${ST}&code_challenge=${CH}%3D&code_challenge_method=S256 -> 200`,
    expected: ['pkce.challenge-malformed'],
  },
  {
    description: 'S256 challenge that is hex, not base64url',
    capture: capture`GET ${AUTH}&state=${ST}&code_challenge=13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3&code_challenge_method=S256 -> 200`,
    expected: ['pkce.challenge-malformed'],
  },
  {
    description: 'PKCE pushed with PAR is read from the push',
    capture: capture`
      POST https://as.test/par response_type=code&client_id=app&state=${ST}&code_challenge=${CH}&code_challenge_method=S256&redirect_uri=${RU} -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:xyz","expires_in":60}
      GET https://as.test/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Axyz -> 200
    `,
    expected: [],
  },
  {
    description: 'request_uri pushed by a backend: parameters not visible',
    capture: capture`GET https://as.test/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Axyz -> 200`,
    expected: [],
    notEvaluated: ['pkce.missing', 'pkce.plain', 'pkce.challenge-malformed', 'state.missing', 'state.weak', 'nonce.missing', 'flow.implicit'],
  },
  {
    description: 'an encrypted request object hides the parameters',
    capture: capture`GET https://as.test/authorize?client_id=app&response_type=code&scope=openid&request=eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn -> 200`,
    expected: [],
    notEvaluated: ['pkce.missing', 'pkce.plain', 'pkce.challenge-malformed', 'state.missing', 'state.weak', 'nonce.missing', 'flow.implicit'],
  },
  {
    description: 'a signed request object carries the parameters (read from it)',
    capture: capture`GET https://as.test/authorize?client_id=app&response_type=code&request=eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ response_type: 'code', client_id: 'app', state: ST, code_challenge: CH, code_challenge_method: 'S256' })).toString('base64url')}. -> 200`,
    expected: [],
  },
  // state.missing
  {
    description: 'no state, no PKCE, no nonce',
    capture: capture`GET ${AUTH} -> 200`,
    expected: ['pkce.missing', 'state.missing:medium'],
  },
  {
    description: 'no state but PKCE: info',
    capture: capture`GET ${AUTH}&code_challenge=${CH}&code_challenge_method=S256 -> 200`,
    expected: ['state.missing:info'],
  },
  {
    description: 'no state, nonce only: low',
    capture: capture`GET https://as.test/authorize?response_type=id_token&client_id=app&redirect_uri=${RU}&nonce=n-0S6_WzA2Mj -> 200`,
    expected: ['state.missing:low'],
  },
  // state.weak
  { description: 'short state', capture: capture`GET ${AUTH}&state=xyz123&code_challenge=${CH}&code_challenge_method=S256 -> 200`, expected: ['state.weak'] },
  { description: 'timestamp state', capture: capture`GET ${AUTH}&state=1700000000000&code_challenge=${CH}&code_challenge_method=S256 -> 200`, expected: ['state.weak'] },
  { description: '16 hex characters (64 bits)', capture: capture`GET ${AUTH}&state=9f86d081884c7d65&code_challenge=${CH}&code_challenge_method=S256 -> 200`, expected: ['state.weak'] },
  { description: 'a sequence', capture: capture`GET ${AUTH}&state=abcdefghijklmnopqrstu&code_challenge=${CH}&code_challenge_method=S256 -> 200`, expected: ['state.weak'] },
  { description: 'a UUID is strong enough', capture: capture`GET ${AUTH}&state=3f1c2b9e-8a4d-4f6e-9b2a-7c5d1e0f3a8b&code_challenge=${CH}&code_challenge_method=S256 -> 200`, expected: [] },
  {
    description: 'a base64url JSON state (MSAL-style) is not weak',
    capture: capture`GET ${AUTH}&state=eyJpZCI6IjAxOTNhYjEyLTM0NTYtNzg5MCIsIm1ldGEiOnsiaW50ZXJhY3Rpb25UeXBlIjoicmVkaXJlY3QifX0&code_challenge=${CH}&code_challenge_method=S256 -> 200`,
    expected: [],
  },
  // state.reused
  {
    description: 'two flows with the same state',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      GET ${AUTH}&state=${ST}&code_challenge=${V.slice(0, 43)}&code_challenge_method=S256 -> 302 https://app.test/cb?code=Qx7pKd93nZaLwE0rTyU1&state=${ST}
      GET https://app.test/cb?code=Qx7pKd93nZaLwE0rTyU1&state=${ST} -> 200
    `,
    expected: ['state.reused'],
    notEvaluated: ['redirect.mismatch', 'redirect.mismatch'],
  },
  {
    description: 'two identical requests (a reload, or a hard-coded state without PKCE): low',
    capture: capture`
      GET ${AUTH}&state=${ST}&nonce=n-0S6_WzA2Mj -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      GET ${AUTH}&state=${ST}&nonce=n-0S6_WzA2Mj -> 302 https://app.test/cb?code=Qx7pKd93nZaLwE0rTyU1&state=${ST}
      GET https://app.test/cb?code=Qx7pKd93nZaLwE0rTyU1&state=${ST} -> 200
    `,
    expected: ['pkce.missing', 'pkce.missing', 'state.reused:low'],
    notEvaluated: ['redirect.mismatch', 'redirect.mismatch'],
  },
  {
    description: 'the same request re-entering the AS is one flow, not a reuse',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://as.test/login
      GET https://as.test/login -> 200
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256&prompt=select_account -> 200
    `,
    expected: [],
  },
  // nonce.missing
  {
    description: 'id_token response type without nonce',
    capture: capture`GET https://as.test/authorize?response_type=code%20id_token&client_id=app&redirect_uri=${RU}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200`,
    expected: ['nonce.missing'],
  },
  {
    description: 'code flow without nonce: not required',
    capture: capture`GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200`,
    expected: [],
  },
  // flow.implicit
  {
    description: 'response_type=token',
    capture: capture`GET https://as.test/authorize?response_type=token&client_id=app&redirect_uri=${RU}&state=${ST} -> 200`,
    expected: ['flow.implicit'],
  },
  {
    description: 'response_type=id_token (no access token): not implicit by this check',
    capture: capture`GET https://as.test/authorize?response_type=id_token&client_id=app&redirect_uri=${RU}&state=${ST}&nonce=n-0S6_WzA2Mj -> 200`,
    expected: [],
  },
  {
    description: 'callback with an access token, authorization request not captured',
    capture: capture`GET https://app.test/cb#access_token=at-0123456789abcdef&token_type=Bearer&state=${ST} -> 200`,
    expected: ['flow.implicit'],
  },
  // flow.password-grant
  {
    description: 'grant_type=password',
    capture: capture`POST https://as.test/token grant_type=password&username=alice&password=hunter2hunter2&client_id=app -> 200 {"access_token":"at-0123456789abcdef"}`,
    expected: ['flow.password-grant'],
  },
  {
    description: 'client_credentials is not the password grant',
    capture: capture`POST https://as.test/token grant_type=client_credentials&client_id=app -> 200 {"access_token":"at-0123456789abcdef"}`,
    expected: [],
  },
  // transport.insecure
  {
    description: 'http authorization endpoint and redirect URI',
    capture: capture`GET http://as.test/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2Fapp.test%2Fcb&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200`,
    expected: ['transport.insecure', 'transport.insecure'],
  },
  {
    description: 'http token endpoint',
    capture: capture`POST http://as.test/token grant_type=client_credentials&client_id=app -> 200`,
    expected: ['transport.insecure'],
  },
  {
    description: 'http on loopback (native app, local dev) is fine',
    capture: capture`
      GET http://localhost:8080/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A53123%2Fcb&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 http://127.0.0.1:53123/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET http://127.0.0.1:53123/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      POST http://[::1]:8080/token grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=http%3A%2F%2F127.0.0.1%3A53123%2Fcb&client_id=app&code_verifier=${V} -> 200
    `,
    expected: [],
  },
  // redirect.mismatch
  {
    description: 'token request with another redirect_uri, tokens issued',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      POST https://as.test/token grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fapp.test%2Fcb%2F&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef"}
    `,
    expected: ['redirect.mismatch:high'],
  },
  {
    description: 'token request with another redirect_uri, refused by the AS',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      POST https://as.test/token grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fapp.test%2Fother&client_id=app&code_verifier=${V} -> 400 {"error":"invalid_grant"}
    `,
    expected: ['redirect.mismatch:low'],
  },
  {
    description: 'token request without redirect_uri: not a mismatch',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      POST https://as.test/token grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&client_id=app&code_verifier=${V} -> 200
    `,
    expected: [],
  },
  // redirect.307-after-post
  {
    description: 'login form answered with 307 to the client',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://as.test/login username=alice&password=hunter2hunter2 -> 307 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      [main_frame] POST https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} username=alice&password=hunter2hunter2 -> 200
    `,
    expected: ['redirect.307-after-post'],
    notEvaluated: ['redirect.mismatch'],
  },
  {
    description: 'callback hop re-POSTed with the login body (the 307 itself not captured)',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} username=alice&password=hunter2hunter2 -> 200
    `,
    expected: ['redirect.307-after-post'],
    notEvaluated: ['redirect.mismatch'],
  },
  {
    description: 'login form answered with 303 (the right answer)',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://as.test/login username=alice&password=hunter2hunter2 -> 303 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
    `,
    expected: [],
    notEvaluated: ['redirect.mismatch'],
  },
  {
    description: '307 inside the AS (login step to login step) re-posts to no one new',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://as.test/login username=alice&password=hunter2hunter2 -> 307 https://as.test/login/continue
    `,
    expected: [],
  },
  {
    description: '307 from the AS to a federated login on another origin, not the client',
    capture: capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://as.test/login username=alice -> 307 https://idp.partner.test/sso
    `,
    expected: [],
  },
  {
    description: 'form_post callback is a POST with only response fields',
    capture: capture`
      GET ${AUTH}&response_mode=form_post&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      [main_frame] POST https://app.test/cb code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 302 https://app.test/home
    `,
    expected: [],
    notEvaluated: ['redirect.mismatch'],
  },
];

function ids(result: CheckResult, withSeverity: (id: string) => boolean) {
  return result.findings.map((f) => (withSeverity(f.check) ? `${f.check}:${f.severity}` : f.check)).sort();
}

describe('authorization request checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const result = await run(row.capture);
      const severityIds = new Set(row.expected.filter((e) => e.includes(':')).map((e) => e.split(':')[0]));
      expect(ids(result, (id) => severityIds.has(id))).toEqual([...row.expected].sort());
      expect(result.notEvaluated.map((n) => n.check).sort()).toEqual([...(row.notEvaluated ?? [])].sort());
    });
  }

  it('never shows an unmasked secret', async () => {
    const result = await run(capture`
      GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST}
      GET https://app.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=${ST} -> 200
      POST http://as.test/token?code=SplxlOBeZQQYbYS6WxSbIA grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fapp.test%2Fx&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef"}
    `);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(result.findings)).not.toContain('SplxlOBeZQQYbYS6WxSbIA');
  });
});

describe('evidence', () => {
  it('names the request object when the parameter came from it', async () => {
    const payload = Buffer.from(JSON.stringify({ response_type: 'code', client_id: 'app', state: 'short' })).toString('base64url');
    const result = await run(capture`GET https://as.test/authorize?client_id=app&response_type=code&request=eyJhbGciOiJub25lIn0.${payload}. -> 200`);
    const weak = result.findings.find((f) => f.check === 'state.weak');
    expect(weak?.evidence.map((e) => [e.where, e.excerpt])).toEqual([['url.query.request.payload.state', 'state=short']]);
  });
});

describe('metadata.issuer-mismatch', () => {
  const metadataRows = [
    { description: 'OIDC: issuer + /.well-known/openid-configuration', url: 'https://as.test/realms/x/.well-known/openid-configuration', issuer: 'https://as.test/realms/x', expected: [] },
    { description: 'trailing slash in the issuer (Auth0)', url: 'https://as.test/.well-known/openid-configuration', issuer: 'https://as.test/', expected: [] },
    { description: 'RFC 8414: well-known inserted before the path', url: 'https://as.test/.well-known/oauth-authorization-server/tenant1', issuer: 'https://as.test/tenant1', expected: [] },
    { description: 'issuer of another host', url: 'https://as.test/.well-known/openid-configuration', issuer: 'https://evil.test', expected: ['metadata.issuer-mismatch:high'] },
    { description: 'issuer with another path', url: 'https://as.test/t1/.well-known/openid-configuration', issuer: 'https://as.test/t2', expected: ['metadata.issuer-mismatch:high'] },
    { description: 'multi-tenant template issuer: low', url: 'https://login.ms.test/common/v2.0/.well-known/openid-configuration', issuer: 'https://login.ms.test/{tenantid}/v2.0', expected: ['metadata.issuer-mismatch:low'] },
    { description: 'consumers alias of a fixed tenant: low', url: 'https://login.ms.test/consumers/v2.0/.well-known/openid-configuration', issuer: 'https://login.ms.test/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', expected: ['metadata.issuer-mismatch:low'] },
  ];
  for (const row of metadataRows) {
    it(row.description, async () => {
      const doc = JSON.stringify({ issuer: row.issuer, authorization_endpoint: 'https://as.test/authorize', token_endpoint: 'https://as.test/token' });
      const result = await run(capture`
        [fetch] GET ${row.url} -> 200 ${doc}
        GET ${AUTH}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256 -> 200
      `);
      expect(result.findings.map((f) => `${f.check}:${f.severity}`)).toEqual(row.expected);
      for (const f of result.findings) expect(f.flowId).toBe('flow-r2');
    });
  }

  it('a document fetched on every page load gives one finding', async () => {
    const doc = '{"issuer":"https://evil.test","authorization_endpoint":"https://as.test/authorize"}';
    const result = await run(capture`
      [fetch] GET https://as.test/.well-known/openid-configuration -> 200 ${doc}
      [fetch] GET https://as.test/.well-known/openid-configuration -> 200 ${doc}
    `);
    expect(result.findings.map((f) => f.check)).toEqual(['metadata.issuer-mismatch']);
  });

  it('a mismatch with no flow using that AS is reported on *', async () => {
    const result = await run(capture`[fetch] GET https://as.test/.well-known/openid-configuration -> 200 {"issuer":"https://other.test","authorization_endpoint":"https://other.test/a"}`);
    expect(result.findings.map((f) => [f.check, f.flowId])).toEqual([['metadata.issuer-mismatch', '*']]);
  });
});
