/** The checks beyond the basics, each firing on a capture built to show it and silent on its clean twin. */
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import type { RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';
import { BUILDER_EPOCH, dpopProof, jwksJson, sign, signer, unsigned } from '../../support/jose-kit.ts';

const as = await signer('ES256');
const rogue = await signer('ES256', 'rogue');
const client = await signer('ES256', 'client-key');
const otherClient = await signer('ES256', 'other-key');
const DISCOVERY = JSON.stringify({ issuer: 'https://as.test', authorization_endpoint: 'https://as.test/authorize', token_endpoint: 'https://as.test/token', jwks_uri: 'https://as.test/jwks' });
const STATE = 'state-0123456789abcdef';
const CODE = 'code-0123456789abcdef';
const PKCE = 'code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
const AUTHORIZE = `https://as.test/authorize?response_type=code&client_id=app&state=${STATE}&${PKCE}&redirect_uri=https://app.test/cb`;

async function ids(events: RequestEvent[]): Promise<string[]> {
  const result = await audit(events);
  return [...new Set(result.findings.map((f) => f.check))].sort();
}

async function findingsOf(events: RequestEvent[], check: string) {
  return (await audit(events)).findings.filter((f) => f.check === check);
}

describe('mixup.no-defence', () => {
  const twoServers = (iss1: string, iss2: string) => capture`
    GET https://one.test/authorize?response_type=code&client_id=app&state=s-one-0123456789ab&${PKCE}&redirect_uri=https://app.test/cb -> 302 https://app.test/cb?code=code-one-0123456&state=s-one-0123456789ab${iss1}
    GET https://app.test/cb?code=code-one-0123456&state=s-one-0123456789ab${iss1} -> 200
    GET https://two.test/authorize?response_type=code&client_id=app&state=s-two-0123456789ab&${PKCE}&redirect_uri=https://app.test/cb -> 302 https://app.test/cb?code=code-two-0123456&state=s-two-0123456789ab${iss2}
    GET https://app.test/cb?code=code-two-0123456&state=s-two-0123456789ab${iss2} -> 200
  `;
  it('fires when two servers share a redirect_uri and their responses carry no iss', async () => {
    const [f] = await findingsOf(twoServers('', ''), 'mixup.no-defence');
    expect(f).toMatchObject({ severity: 'medium', reference: 'RFC 9700 §4.4.2; RFC 9207 §2' });
    expect(f!.message).toContain('https://app.test/cb');
    expect(f!.evidence).toHaveLength(2);
  });
  it('stays silent when every response names its issuer', async () => {
    expect(await ids(twoServers('&iss=https%3A%2F%2Fone.test', '&iss=https%3A%2F%2Ftwo.test'))).not.toContain('mixup.no-defence');
  });
  it('stays silent with one server', async () => {
    const events = capture`
      GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
      GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
    `;
    expect(await ids(events)).not.toContain('mixup.no-defence');
  });
});

describe('as.authorize-cors and as.clickjacking', () => {
  const flow = (authorizeHeaders: string, pageHeaders: string) => capture`
    GET ${AUTHORIZE} -> 302 https://as.test/login/1
      ${authorizeHeaders}
    GET https://as.test/login/1 -> 200
      < Content-Type: text/html; charset=utf-8
      ${pageHeaders}
    [main_frame] POST https://as.test/login/1 login=u&password=p -> 302 https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test
    GET https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test -> 200
  `;
  it('fires on Access-Control-Allow-Origin at the authorization endpoint', async () => {
    const [f] = await findingsOf(flow('< Access-Control-Allow-Origin: *', "< Content-Security-Policy: frame-ancestors 'none'"), 'as.authorize-cors');
    expect(f).toMatchObject({ severity: 'medium', actual: 'Access-Control-Allow-Origin: *' });
  });
  it('fires on a login page with neither frame-ancestors nor X-Frame-Options', async () => {
    const [f] = await findingsOf(flow('< Cache-Control: no-store', '< Content-Security-Policy: default-src \'self\''), 'as.clickjacking');
    expect(f).toMatchObject({ severity: 'medium', evidence: [{ where: 'response.header.content-security-policy' }] });
  });
  it('is not evaluated when the login page\'s headers were not captured', async () => {
    const events = flow('< Cache-Control: no-store', '').map((e) => (e.url === 'https://as.test/login/1' && e.method === 'GET' ? { ...e, responseHeaders: [], responseBody: { text: '<form>', mimeType: 'text/html' } } : e));
    const result = await audit(events);
    expect(result.findings.map((f) => f.check)).not.toContain('as.clickjacking');
    expect(result.notEvaluated.map((n) => n.check)).toContain('as.clickjacking');
  });
  it('stays silent with frame-ancestors, or with X-Frame-Options, and without CORS', async () => {
    expect(await ids(flow('< Cache-Control: no-store', "< Content-Security-Policy: default-src 'self'; frame-ancestors 'none'"))).not.toEqual(expect.arrayContaining(['as.clickjacking']));
    const found = await ids(flow('< Cache-Control: no-store', '< X-Frame-Options: DENY'));
    expect(found).not.toContain('as.clickjacking');
    expect(found).not.toContain('as.authorize-cors');
  });
});

describe('par.request-uri-reused and par.request-uri-long-lived', () => {
  const par = (expiresIn: number, reuse: string) => capture`
    [fetch] POST https://as.test/par client_id=app&response_type=code&state=${STATE}&${PKCE}&redirect_uri=https://app.test/cb -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":${expiresIn}}
    GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:abc -> 302 https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test
    GET https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test -> 200
    ${reuse}
  `;
  const again = (answer: string) => `GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:abc -> 302 https://app.test/cb?${answer}&state=${STATE}&iss=https%3A%2F%2Fas.test`;
  it('fires medium on a second use the AS refused, high when it answered with a code', async () => {
    expect(await findingsOf(par(60, again('error=invalid_request_uri')), 'par.request-uri-reused')).toMatchObject([{ severity: 'medium' }]);
    expect(await findingsOf(par(60, again('code=code-again-0123456')), 'par.request-uri-reused')).toMatchObject([{ severity: 'high' }]);
  });
  it('fires on expires_in over 600 seconds', async () => {
    expect(await findingsOf(par(3600, ''), 'par.request-uri-long-lived')).toMatchObject([{ severity: 'low', actual: 'expires_in=3600' }]);
  });
  it('stays silent on a single use with a short lifetime', async () => {
    const found = await ids(par(60, ''));
    expect(found).not.toContain('par.request-uri-reused');
    expect(found).not.toContain('par.request-uri-long-lived');
  });
  it('is not evaluated when the PAR response body was not captured', async () => {
    const result = await audit(capture`
      [fetch] POST https://as.test/par client_id=app&response_type=code&state=${STATE} -> 201
      GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:abc -> 200
    `);
    expect(result.notEvaluated.map((n) => n.check)).toContain('par.request-uri-long-lived');
  });
});

describe('jar.unsigned', () => {
  const request = { response_type: 'code', client_id: 'app', state: STATE, redirect_uri: 'https://app.test/cb' };
  it('fires on a request object with alg none', async () => {
    const [f] = await findingsOf(capture`GET https://as.test/authorize?client_id=app&request=${unsigned(request)} -> 200`, 'jar.unsigned');
    expect(f).toMatchObject({ severity: 'medium', evidence: [{ where: 'url.query.request.header.alg', excerpt: 'alg="none"' }] });
  });
  it('stays silent on a signed request object', async () => {
    expect(await ids(capture`GET https://as.test/authorize?client_id=app&request=${await sign(client, request)} -> 200`)).not.toContain('jar.unsigned');
  });
});

describe('jarm.invalid', () => {
  const claims = { iss: 'https://as.test', aud: 'app', exp: BUILDER_EPOCH + 600, code: CODE, state: STATE };
  const flow = (jarm: string) => capture`
    [fetch] GET https://as.test/.well-known/openid-configuration -> 200 ${DISCOVERY}
    [fetch] GET https://as.test/jwks -> 200 ${jwksJson(as)}
    GET ${AUTHORIZE}&response_mode=query.jwt -> 302 https://app.test/cb?response=${jarm}
    GET https://app.test/cb?response=${jarm} -> 200
  `;
  const rows = [
    { description: 'another audience', jarm: () => sign(as, { ...claims, aud: 'someone-else' }), where: 'url.query.response.payload.aud' },
    { description: 'another issuer', jarm: () => sign(as, { ...claims, iss: 'https://evil.test' }), where: 'url.query.response.payload.iss' },
    { description: 'expired', jarm: () => sign(as, { ...claims, exp: BUILDER_EPOCH - 3600 }), where: 'url.query.response.payload.exp' },
    { description: 'signed by a key not in the issuer\'s JWKS', jarm: () => sign(rogue, claims, { kid: as.kid }), where: 'url.query.response.signature' },
    { description: 'unsigned', jarm: async () => unsigned(claims), where: 'url.query.response.header.alg' },
  ];
  for (const row of rows) {
    it(`fires on a JARM response: ${row.description}`, async () => {
      const [f] = await findingsOf(flow(await row.jarm()), 'jarm.invalid');
      expect(f?.severity).toBe('high');
      expect(f?.evidence.map((e) => e.where)).toContain(row.where);
      // The code inside is masked like any code.
      expect(JSON.stringify(f)).not.toContain(CODE);
    });
  }
  it('stays silent on a valid JARM response, and its iss satisfies the callback checks', async () => {
    const found = await ids(flow(await sign(as, claims)));
    expect(found).not.toContain('jarm.invalid');
    expect(found).not.toContain('iss.missing');
    expect(found).not.toContain('state.not-returned');
  });
  it('is not evaluated when the issuer\'s keys are not in the capture', async () => {
    const jarm = await sign(as, claims);
    const result = await audit(capture`
      GET ${AUTHORIZE}&response_mode=query.jwt -> 302 https://app.test/cb?response=${jarm}
      GET https://app.test/cb?response=${jarm} -> 200
    `);
    expect(result.findings.map((f) => f.check)).not.toContain('jarm.invalid');
    expect(result.notEvaluated.find((n) => n.check === 'jarm.invalid')?.reason).toMatch(/signature could not be checked/);
  });
});

describe('DPoP binding', () => {
  const AT = 'dpop-access-token-0123456789';
  const jwtAt = (jkt: string) => sign(as, { iss: 'https://as.test', aud: 'api', exp: BUILDER_EPOCH + 600, cnf: { jkt } });
  const tokenCall = async (response: string, proof = true, key = client) => {
    const header = proof ? `> DPoP: ${await dpopProof(key, 'POST', 'https://as.test/token', { second: 0 })}` : '> X-Nothing: 1';
    return capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-0123456789&client_id=app -> 200 ${response}
        ${header}
    `;
  };
  it('dpop.proof-replayed: medium when refused, high when the second request succeeded', async () => {
    const proof = await dpopProof(client, 'GET', 'https://api.test/me', { jti: 'same-jti' });
    const events = (status: number) => capture`
      [fetch] GET https://api.test/me -> 200 -
        > DPoP: ${proof}
      [fetch] GET https://api.test/me -> ${status} -
        > DPoP: ${proof}
    `;
    expect(await findingsOf(events(401), 'dpop.proof-replayed')).toMatchObject([{ severity: 'medium' }]);
    expect(await findingsOf(events(200), 'dpop.proof-replayed')).toMatchObject([{ severity: 'high' }]);
  });
  it('dpop.proof-replayed stays silent with fresh jtis', async () => {
    const events = capture`
      [fetch] GET https://api.test/me -> 200 -
        > DPoP: ${await dpopProof(client, 'GET', 'https://api.test/me')}
      [fetch] GET https://api.test/me -> 200 -
        > DPoP: ${await dpopProof(client, 'GET', 'https://api.test/me', { second: 1 })}
    `;
    expect(await ids(events)).not.toContain('dpop.proof-replayed');
  });
  it('dpop.ignored fires when a valid proof got token_type Bearer, and not for DPoP', async () => {
    expect(await findingsOf(await tokenCall(`{"access_token":"${AT}","token_type":"Bearer"}`), 'dpop.ignored')).toMatchObject([{ severity: 'medium', actual: 'token_type Bearer' }]);
    expect(await ids(await tokenCall(`{"access_token":"${AT}","token_type":"DPoP"}`))).not.toContain('dpop.ignored');
  });
  it('dpop.binding-mismatch fires on token_type DPoP without a proof', async () => {
    expect(await findingsOf(await tokenCall(`{"access_token":"${AT}","token_type":"DPoP"}`, false), 'dpop.binding-mismatch')).toMatchObject([{ actual: 'token_type DPoP, no proof' }]);
  });
  it('dpop.binding-mismatch fires when the issued token is bound to another key than the proof\'s', async () => {
    const events = await tokenCall(`{"access_token":"${await jwtAt(otherClient.thumbprint)}","token_type":"DPoP"}`);
    expect(await findingsOf(events, 'dpop.binding-mismatch')).toMatchObject([{ expected: `cnf.jkt=${client.thumbprint}` }]);
    expect(await ids(await tokenCall(`{"access_token":"${await jwtAt(client.thumbprint)}","token_type":"DPoP"}`))).not.toContain('dpop.binding-mismatch');
  });
  it('dpop.binding-mismatch fires when a token bound to one key is presented with another key\'s proof', async () => {
    const token = await jwtAt(client.thumbprint);
    const call = async (key: typeof client) => capture`
      [fetch] GET https://api.test/me -> 200 -
        > Authorization: DPoP ${token}
        > DPoP: ${await dpopProof(key, 'GET', 'https://api.test/me', { accessToken: token })}
    `;
    expect(await findingsOf(await call(otherClient), 'dpop.binding-mismatch')).toHaveLength(1);
    expect(await ids(await call(client))).toEqual([]);
  });
  it('dpop.proof-invalid: a proof whose iat is far from the request time', async () => {
    const events = capture`
      [fetch] GET https://api.test/me -> 200 -
        > DPoP: ${await dpopProof(client, 'GET', 'https://api.test/me', { second: -3600 })}
    `;
    const [f] = await findingsOf(events, 'dpop.proof-invalid');
    expect(f?.evidence.map((e) => e.where)).toContain('dpop.payload.iat');
  });
});

describe('logout.id-token-in-url', () => {
  it('fires on id_token_hint in a logout URL, not in a POST body', async () => {
    const idToken = await sign(as, { iss: 'https://as.test', aud: 'app', sub: 'u', exp: BUILDER_EPOCH + 600 });
    const [f] = await findingsOf(capture`GET https://as.test/logout?id_token_hint=${idToken}&post_logout_redirect_uri=https://app.test/ -> 302 https://app.test/`, 'logout.id-token-in-url');
    expect(f).toMatchObject({ severity: 'low', evidence: [{ where: 'url.query.id_token_hint' }] });
    expect(JSON.stringify(f)).not.toContain(idToken);
    expect(await ids(capture`[main_frame] POST https://as.test/logout id_token_hint=${idToken}&post_logout_redirect_uri=https://app.test/ -> 302 https://app.test/`)).not.toContain('logout.id-token-in-url');
  });
});

describe('session.cookie-weak', () => {
  const bff = (cookie: string) => capture`
    GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test
    GET https://app.test/cb?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fas.test -> 302 https://app.test/
      < Set-Cookie: ${cookie}
    GET https://app.test/ -> 200
    [fetch] GET https://app.test/api/me -> 200
  `;
  it('fires when the session cookie of a BFF lacks HttpOnly and SameSite', async () => {
    const [f] = await findingsOf(bff('session=0123456789abcdef0123; Path=/; Secure'), 'session.cookie-weak');
    expect(f).toMatchObject({ severity: 'medium', actual: 'missing HttpOnly, SameSite (absent)' });
    expect(JSON.stringify(f)).not.toContain('0123456789abcdef0123');
  });
  it('says info when only the __Host- prefix is missing', async () => {
    expect(await findingsOf(bff('session=0123456789abcdef0123; Path=/; Secure; HttpOnly; SameSite=Lax'), 'session.cookie-weak')).toMatchObject([{ severity: 'info' }]);
  });
  it('stays silent on a __Host- cookie with every attribute, and on a browser-only flow', async () => {
    expect(await ids(bff('__Host-session=0123456789abcdef0123; Path=/; Secure; HttpOnly; SameSite=Strict'))).not.toContain('session.cookie-weak');
    const spa = capture`
      GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
      GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
        < Set-Cookie: prefs=0123456789abcdef0123
      [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&client_id=app&code_verifier=v -> 200 {"access_token":"at-0123456789"}
    `;
    expect(await ids(spa)).not.toContain('session.cookie-weak');
  });
  it('is not evaluated when no Set-Cookie was seen', async () => {
    const result = await audit(bff('').map((e) => ({ ...e, responseHeaders: e.responseHeaders?.filter((h) => h.name !== 'Set-Cookie') })));
    expect(result.notEvaluated.map((n) => n.check)).toContain('session.cookie-weak');
  });
});

describe('JARM responses and the leak checks', () => {
  it('a JARM response in a Referer leaks the code it carries', async () => {
    const jarm = await sign(as, { iss: 'https://as.test', aud: 'app', exp: BUILDER_EPOCH + 600, code: CODE, state: STATE });
    const events = capture`
      GET ${AUTHORIZE}&response_mode=query.jwt -> 302 https://app.test/cb?response=${jarm}
      GET https://app.test/cb?response=${jarm} -> 200
        < Referrer-Policy: unsafe-url
      [image] GET https://tracker.test/pixel.gif -> 200
        > Referer: https://app.test/cb?response=${jarm}
    `;
    const [f] = await findingsOf(events, 'leak.referrer');
    expect(f?.severity).toBe('critical');
    expect(JSON.stringify(f)).not.toContain(jarm);
  });
});

describe('request objects feed the authorization-request checks', () => {
  it('judges the parameters inside a request object fetched from a request_uri (no PKCE there: pkce.missing)', async () => {
    const object = await sign(client, { response_type: 'code', client_id: 'app', state: STATE, redirect_uri: 'https://app.test/cb' });
    const events = capture`
      [fetch] GET https://app.test/requests/r1.jwt -> 200 ${object}
      GET https://as.test/authorize?client_id=app&request_uri=https%3A%2F%2Fapp.test%2Frequests%2Fr1.jwt -> 200
    `;
    expect(await ids(events)).toContain('pkce.missing');
  });
  it('judges the parameters inside a request= object', async () => {
    const object = await sign(client, { response_type: 'code', client_id: 'app', state: STATE, redirect_uri: 'https://app.test/cb', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'plain' });
    expect(await ids(capture`GET https://as.test/authorize?client_id=app&request=${object} -> 200`)).toContain('pkce.plain');
  });
});
