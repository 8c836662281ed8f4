import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { createContext } from '../../../src/core/checks/context.ts';
import { idTokenChecks } from '../../../src/core/checks/id-token.ts';
import { issuerMatches } from '../../../src/core/oauth/issuer.ts';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { AuditOptions, RequestEvent } from '../../../src/core/model.ts';
import { capture, parseCapture } from '../../support/flow-builder.ts';

const ISS = 'https://as.test';
const CB = 'https%3A%2F%2Fapp.test%2Fcb';
const NOW = 1_700_000_000; // the capture builder's clock, seconds
const STATE = 'st-0123456789abcdef';
const NONCE = 'n-0123456789abcdef';

const { publicKey, privateKey } = await generateKeyPair('RS256');
const attacker = await generateKeyPair('RS256');
const JWKS = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
const DISCOVERY = JSON.stringify({ issuer: ISS, authorization_endpoint: `${ISS}/authorize`, token_endpoint: `${ISS}/token`, jwks_uri: `${ISS}/jwks` });

const halfHash = (value: string) => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

async function jwt(claims: JWTPayload = {}, options: { key?: CryptoKey; alg?: string; kid?: string } = {}): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const header = { alg, kid: options.kid ?? 'k1', typ: 'JWT' };
  const body = { iss: ISS, aud: 'app', sub: 'u1', iat: NOW, exp: NOW + 3600, nonce: NONCE, ...claims };
  if (alg === 'none') {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: 'none' })}.${enc(body)}.`;
  }
  if (alg === 'HS256') return new SignJWT(body).setProtectedHeader(header).sign(new TextEncoder().encode('client-secret-0123456789abcdef0123'));
  return new SignJWT(body).setProtectedHeader(header).sign(options.key ?? privateKey);
}

/** Discovery + JWKS + a code flow whose token response is `response`. */
function codeFlowText(response: object, { keys = true, scope = 'openid' } = {}): string {
  return `
    ${keys ? `[fetch] GET ${ISS}/.well-known/openid-configuration -> 200 ${DISCOVERY}` : ''}
    ${keys ? `[fetch] GET ${ISS}/jwks -> 200 ${JWKS}` : ''}
    GET ${ISS}/authorize?response_type=code&client_id=app&scope=${scope}&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=${STATE}
    GET https://app.test/cb?code=c1&state=${STATE} -> 200
    POST ${ISS}/token grant_type=authorization_code&code=c1&client_id=app&redirect_uri=${CB}&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk -> 200 ${JSON.stringify(response)}
  `;
}

function codeFlow(response: object, options: { keys?: boolean; scope?: string } = {}): RequestEvent[] {
  return parseCapture(codeFlowText(response, options));
}

const AT = 'opaque-access-token-0123456789';
const good = await jwt({ at_hash: halfHash(AT) });

interface Row {
  description: string;
  capture: RequestEvent[];
  options?: AuditOptions;
  expected: string[];
  notEvaluated?: string[];
}

const fetched = (map: Record<string, string>): AuditOptions['fetchJson'] => async (url) => {
  const body = map[url];
  if (!body) throw new Error(`404 ${url}`);
  return JSON.parse(body) as unknown;
};

const rows: Row[] = [
  { description: 'a clean OIDC code flow gives nothing', capture: codeFlow({ access_token: AT, id_token: good, token_type: 'Bearer' }), expected: [], notEvaluated: [] },
  { description: 'alg none', capture: codeFlow({ access_token: AT, id_token: await jwt({}, { alg: 'none' }) }), expected: ['jwt.alg-none'] },
  { description: 'signed by a key not in the JWKS', capture: codeFlow({ id_token: await jwt({}, { key: attacker.privateKey }) }), expected: ['jwt.signature-invalid'] },
  { description: 'a kid the JWKS does not have', capture: codeFlow({ id_token: await jwt({}, { kid: 'nope' }) }), expected: ['jwt.signature-invalid'] },
  {
    description: 'no keys in the capture and no fetching: not evaluated, never a pass',
    capture: codeFlow({ id_token: await jwt({}, { key: attacker.privateKey }) }, { keys: false }),
    expected: [],
    notEvaluated: ['jwt.signature-invalid'],
  },
  {
    description: 'issuer known only from the ID token, on another host than the authorization endpoint: iss not evaluated',
    capture: capture`
      GET https://login.pool.test/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb?code=c1&state=${STATE}
      GET https://app.test/cb?code=c1&state=${STATE} -> 200
      POST https://login.pool.test/token grant_type=authorization_code&code=c1&client_id=app -> 200 {"id_token":"${await jwt({ iss: 'https://idp.region.test/pool-1' })}"}
    `,
    expected: [],
    notEvaluated: ['jwt.signature-invalid', 'jwt.iss-mismatch'],
  },
  {
    description: 'HS256 ID token: signature not evaluated',
    capture: codeFlow({ id_token: await jwt({}, { alg: 'HS256' }) }),
    expected: [],
    notEvaluated: ['jwt.signature-invalid'],
  },
  {
    description: 'keys fetched through fetchJson when allowed (issuer from the callback iss)',
    capture: capture`
      GET ${ISS}/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb?code=c1&state=${STATE}&iss=https%3A%2F%2Fas.test
      GET https://app.test/cb?code=c1&state=${STATE}&iss=https%3A%2F%2Fas.test -> 200
      POST ${ISS}/token grant_type=authorization_code&code=c1&client_id=app -> 200 {"id_token":"${await jwt({}, { key: attacker.privateKey })}"}
    `,
    options: { fetchJson: fetched({ [`${ISS}/.well-known/openid-configuration`]: DISCOVERY, [`${ISS}/jwks`]: JWKS }) },
    expected: ['jwt.signature-invalid'],
  },
  { description: 'iss from another issuer', capture: codeFlow({ id_token: await jwt({ iss: 'https://evil.test' }) }), expected: ['jwt.iss-mismatch'] },
  { description: 'aud without the client_id', capture: codeFlow({ id_token: await jwt({ aud: 'other-app' }) }), expected: ['jwt.aud-mismatch'] },
  { description: 'several audiences and no azp', capture: codeFlow({ id_token: await jwt({ aud: ['app', 'api'] }) }), expected: ['jwt.aud-mismatch'] },
  { description: 'several audiences with azp = client_id', capture: codeFlow({ id_token: await jwt({ aud: ['app', 'api'], azp: 'app' }) }), expected: [] },
  { description: 'expired when received', capture: codeFlow({ id_token: await jwt({ iat: NOW - 7200, exp: NOW - 3600 }) }), expected: ['jwt.expired'] },
  { description: 'exp just past, within the skew', capture: codeFlow({ id_token: await jwt({ iat: NOW - 3600, exp: NOW - 60 }) }), expected: [] },
  { description: 'iat in the future beyond skew', capture: codeFlow({ id_token: await jwt({ iat: NOW + 3600, exp: NOW + 7200 }) }), expected: ['jwt.expired'] },
  { description: 'an absurd iat far in the future does not break the check', capture: codeFlow({ id_token: await jwt({ iat: 1e300, exp: 1e300 }) }), expected: ['jwt.expired'] },
  { description: 'nonce differs', capture: codeFlow({ id_token: await jwt({ nonce: 'someone-elses' }) }), expected: ['nonce.mismatch'] },
  { description: 'nonce absent though one was sent', capture: codeFlow({ id_token: await jwt({ nonce: undefined }) }), expected: ['nonce.mismatch'] },
  { description: 'at_hash of another access token', capture: codeFlow({ access_token: AT, id_token: await jwt({ at_hash: halfHash('other') }) }), expected: ['jwt.at-hash-mismatch'] },
  { description: 'no at_hash in a token response is fine', capture: codeFlow({ access_token: AT, id_token: await jwt() }), expected: [] },
  {
    description: 'hybrid: c_hash of another code',
    capture: capture`
      [fetch] GET ${ISS}/.well-known/openid-configuration -> 200 ${DISCOVERY}
      [fetch] GET ${ISS}/jwks -> 200 ${JWKS}
      GET ${ISS}/authorize?response_type=code%20id_token&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb#code=c1&id_token=${await jwt({ c_hash: halfHash('c2') })}&state=${STATE}
      GET https://app.test/cb -> 200
    `,
    expected: ['jwt.c-hash-mismatch'],
  },
  {
    description: 'hybrid: c_hash of the code',
    capture: capture`
      [fetch] GET ${ISS}/.well-known/openid-configuration -> 200 ${DISCOVERY}
      [fetch] GET ${ISS}/jwks -> 200 ${JWKS}
      GET ${ISS}/authorize?response_type=code%20id_token&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb#code=c1&id_token=${await jwt({ c_hash: halfHash('c1') })}&state=${STATE}
      GET https://app.test/cb -> 200
    `,
    expected: [],
  },
  {
    description: 'implicit id_token token without at_hash',
    capture: capture`
      [fetch] GET ${ISS}/.well-known/openid-configuration -> 200 ${DISCOVERY}
      [fetch] GET ${ISS}/jwks -> 200 ${JWKS}
      GET ${ISS}/authorize?response_type=id_token%20token&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb#access_token=${AT}&token_type=Bearer&id_token=${await jwt()}&state=${STATE}
      GET https://app.test/cb -> 200
    `,
    expected: ['jwt.at-hash-mismatch'],
  },
  { description: 'a JWT access token from the issuer with alg none', capture: codeFlow({ access_token: await jwt({ aud: 'api' }, { alg: 'none' }), id_token: await jwt() }), expected: ['jwt.alg-none'] },
  { description: 'a JWT access token signed by another key', capture: codeFlow({ access_token: await jwt({ aud: 'api' }, { key: attacker.privateKey }), id_token: await jwt() }), expected: ['jwt.signature-invalid'] },
  { description: 'a foreign JWT access token is skipped', capture: codeFlow({ access_token: await jwt({ iss: 'https://sts.other.test/' }, { alg: 'none' }), id_token: await jwt() }), expected: [] },
  { description: 'a refresh-issued ID token without nonce is fine', capture: capture`
      ${codeFlowText({ access_token: AT, id_token: good, refresh_token: 'rt-1' })}
      POST ${ISS}/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"at-2","refresh_token":"rt-2","id_token":"${await jwt({ nonce: undefined, iat: NOW + 5 })}"}
    `, expected: [] },
  {
    description: 'token response not captured: ID token checks not evaluated',
    capture: capture`
      GET ${ISS}/authorize?response_type=code&client_id=app&scope=openid&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb?code=c1&state=${STATE}
      GET https://app.test/cb?code=c1&state=${STATE} -> 200
      POST ${ISS}/token grant_type=authorization_code&code=c1&client_id=app -> 200
    `,
    expected: [],
    notEvaluated: ['jwt.alg-none', 'jwt.signature-invalid', 'jwt.iss-mismatch', 'jwt.aud-mismatch', 'jwt.expired', 'nonce.mismatch', 'jwt.at-hash-mismatch'],
  },
  {
    description: 'Microsoft multi-tenant discovery: the {tenantid} issuer template',
    capture: capture`
      [fetch] GET https://login.ms.test/common/v2.0/.well-known/openid-configuration -> 200 {"issuer":"https://login.ms.test/{tenantid}/v2.0","authorization_endpoint":"https://login.ms.test/common/oauth2/v2.0/authorize","token_endpoint":"https://login.ms.test/common/oauth2/v2.0/token","jwks_uri":"https://login.ms.test/common/discovery/v2.0/keys"}
      [fetch] GET https://login.ms.test/common/discovery/v2.0/keys -> 200 ${JWKS}
      GET https://login.ms.test/common/oauth2/v2.0/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE} -> 302 https://app.test/cb?code=c1&state=${STATE}
      GET https://app.test/cb?code=c1&state=${STATE} -> 200
      POST https://login.ms.test/common/oauth2/v2.0/token grant_type=authorization_code&code=c1&client_id=app -> 200 {"id_token":"${await jwt({ iss: 'https://login.ms.test/t-42/v2.0', tid: 't-42' })}"}
    `,
    expected: [],
  },
];

describe('ID token checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const result = await idTokenChecks.run(createContext(analyze(row.capture), row.options));
      expect(result.findings.map((f) => f.check)).toEqual(row.expected);
      if (row.notEvaluated) expect(result.notEvaluated.map((n) => n.check)).toEqual(row.notEvaluated);
    });
  }

  it('fetches keys only when allowed, only when missing, and distrusts a discovery document naming another issuer', async () => {
    const urls: string[] = [];
    const spy: AuditOptions['fetchJson'] = async (url) => {
      urls.push(url);
      return JSON.parse(url.endsWith('openid-configuration') ? DISCOVERY.replace(ISS, 'https://other.test') : JWKS) as unknown;
    };
    const inCapture = await idTokenChecks.run(createContext(analyze(codeFlow({ id_token: good })), { fetchJson: spy }));
    expect(urls).toEqual([]);
    expect(inCapture.notEvaluated).toEqual([]);
    const missing = await idTokenChecks.run(createContext(analyze(codeFlow({ id_token: good }, { keys: false })), { fetchJson: spy }));
    expect(urls).toEqual([`${ISS}/.well-known/openid-configuration`]);
    expect(missing.findings).toEqual([]);
    expect(missing.notEvaluated.map((n) => n.check)).toEqual(['jwt.signature-invalid']);
    expect(missing.notEvaluated[0]?.reason).toContain('cannot be trusted');
    const failing = await idTokenChecks.run(
      createContext(analyze(codeFlow({ id_token: good }, { keys: false })), { fetchJson: async () => Promise.reject(new Error('offline')) }),
    );
    expect(failing.notEvaluated[0]?.reason).toContain('offline');
  });

  it('names the claims and masks the token', async () => {
    const token = await jwt({ aud: 'other-app' });
    const result = await idTokenChecks.run(createContext(analyze(codeFlow({ id_token: token }))));
    const [aud] = result.findings;
    expect(aud?.message).toContain('"other-app"');
    expect(aud?.evidence[0]?.where).toBe('id_token.payload.aud');
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('a clean flow through audit() gives no token, ID token or DPoP finding', async () => {
    const { findings } = await audit(codeFlow({ access_token: AT, id_token: good, token_type: 'Bearer' }));
    expect(findings.filter((f) => /^(jwt\.|nonce\.mismatch|pkce\.(verifier|mismatch|downgrade)|refresh\.|dpop\.)/.test(f.check))).toEqual([]);
  });
});

describe('issuerMatches', () => {
  const rows: Array<{ description: string; expected: string; actual: unknown; tid?: string; match: boolean }> = [
    { description: 'exact', expected: 'https://as.test', actual: 'https://as.test', match: true },
    { description: 'a trailing slash is another issuer', expected: 'https://as.test/', actual: 'https://as.test', match: false },
    { description: 'Microsoft template filled by tid', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/t1/v2.0', tid: 't1', match: true },
    { description: 'Microsoft template, tid of another tenant', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/t1/v2.0', tid: 't2', match: false },
    { description: 'Google without the scheme', expected: 'https://accounts.google.com', actual: 'accounts.google.com', match: true },
    { description: 'not a string', expected: 'https://as.test', actual: 42, match: false },
    { description: 'Microsoft template without tid matches nothing (never a wildcard)', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/t1/v2.0', match: false },
    { description: 'a tid is text, not a pattern', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/t1/v2.0', tid: '.*', match: false },
    { description: 'a tid holding a path delimiter is refused', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/a/b/v2.0', tid: 'a/b', match: false },
    { description: 'a {tenantid} in the actual issuer is text', expected: 'https://login.ms.test/{tenantid}/v2.0', actual: 'https://login.ms.test/{tenantid}/v2.0', match: true },
  ];
  for (const row of rows) {
    it(row.description, () => {
      expect(issuerMatches(row.expected, row.actual, row.tid)).toBe(row.match);
    });
  }
});
