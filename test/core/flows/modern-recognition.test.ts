import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import { callbackLeg, legsOf } from '../../../src/core/flows/legs.ts';
import { capture } from '../../support/flow-builder.ts';
import { BUILDER_EPOCH, jwksJson, sign, signer, unsigned } from '../../support/jose-kit.ts';

const as = await signer('ES256');
const DISCOVERY = JSON.stringify({
  issuer: 'https://as.test',
  authorization_endpoint: 'https://as.test/authorize',
  token_endpoint: 'https://as.test/token',
  jwks_uri: 'https://as.test/jwks',
  end_session_endpoint: 'https://as.test/logout',
});
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const STATE = 'state-0123456789abcdef';
const CODE = 'code-0123456789abcdef';
const AUTHORIZE = `https://as.test/authorize?response_type=code&client_id=app&state=${STATE}&code_challenge=${CHALLENGE}&code_challenge_method=S256&redirect_uri=https://app.test/cb`;
const jarm = await sign(as, { iss: 'https://as.test', aud: 'app', exp: BUILDER_EPOCH + 600, code: CODE, state: STATE });
const idToken = await sign(as, { iss: 'https://as.test', aud: 'app', sub: 'u1', sid: 'sid-1234', exp: BUILDER_EPOCH + 600, iat: BUILDER_EPOCH });

describe('JARM responses', () => {
  it('unpacks a query JARM response: its code, state and iss are the callback\'s, and the flow links by them', () => {
    const { flows } = analyze(capture`
      GET ${AUTHORIZE}&response_mode=query.jwt -> 302 https://app.test/cb?response=${jarm}
      GET https://app.test/cb?response=${jarm} -> 200
      [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&client_id=app&code_verifier=v -> 200 {"access_token":"at-0123456789","token_type":"Bearer"}
    `);
    expect(flows).toHaveLength(1);
    const cb = callbackLeg(flows[0]!)!;
    expect(cb.params).toMatchObject({ code: CODE, state: STATE, iss: 'https://as.test' });
    expect(cb.params).not.toHaveProperty('aud');
    expect(cb.jarm).toBe(jarm);
    expect(flows[0]!.observability.tokenExchange).toBe('observed');
  });

  it('unpacks a form_post JARM response', () => {
    const { flows } = analyze(capture`
      GET ${AUTHORIZE}&response_mode=form_post.jwt -> 200
      [main_frame] POST https://app.test/cb response=${jarm} -> 200
    `);
    expect(flows).toHaveLength(1);
    expect(callbackLeg(flows[0]!)).toMatchObject({ paramSource: 'body', jarm, params: { code: CODE } });
  });

  it('keeps an encrypted JARM response (JWE) as a callback without inner parameters', () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
    const { flows } = analyze(capture`
      GET ${AUTHORIZE}&response_mode=jwt -> 302 https://app.test/cb?response=${jwe}
      GET https://app.test/cb?response=${jwe} -> 200
    `);
    expect(callbackLeg(flows[0]!)).toMatchObject({ jarm: jwe });
    expect(callbackLeg(flows[0]!)!.params.code).toBeUndefined();
  });

  it('does not take an ordinary response= parameter for a callback', () => {
    expect(analyze(capture`GET https://app.test/survey?response=yes&client_id=x -> 200`).flows).toHaveLength(0);
  });
});

describe('request objects', () => {
  it('reads the parameters of a request= object and keeps the object on the leg', () => {
    const object = unsigned({ iss: 'app', aud: 'https://as.test', response_type: 'code', client_id: 'app', state: STATE, redirect_uri: 'https://app.test/cb', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const { flows } = analyze(capture`GET https://as.test/authorize?client_id=app&request=${object} -> 200`);
    const leg = legsOf(flows[0]!, 'authorization-request')[0]!;
    expect(leg.params).toMatchObject({ state: STATE, code_challenge: CHALLENGE, response_type: 'code' });
    expect(leg.params.aud).toBeUndefined();
    expect(leg.requestObject).toEqual({ jwt: object, source: 'request' });
  });

  it('reads the object behind a request_uri when the capture saw it fetched', async () => {
    const object = await sign(as, { response_type: 'code', client_id: 'app', state: STATE, redirect_uri: 'https://app.test/cb' });
    const { flows } = analyze(capture`
      [fetch] GET https://app.test/requests/r1.jwt -> 200 ${object}
      GET https://as.test/authorize?client_id=app&request_uri=https%3A%2F%2Fapp.test%2Frequests%2Fr1.jwt -> 200
    `);
    const leg = legsOf(flows[0]!, 'authorization-request')[0]!;
    expect(leg.params.state).toBe(STATE);
    expect(leg.requestObject).toMatchObject({ source: 'request_uri', eventId: 'r1' });
  });
});

describe('PAR', () => {
  it('starts a new flow when a request_uri comes back after its flow was answered', () => {
    const { flows } = analyze(capture`
      [fetch] POST https://as.test/par client_id=app&response_type=code&state=${STATE}&redirect_uri=https://app.test/cb -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":60}
      GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:abc -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
      GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
      GET https://as.test/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:abc -> 302 https://app.test/cb?code=code-second-0123456&state=${STATE}
    `);
    expect(flows).toHaveLength(2);
    expect(flows[0]!.legs.map((l) => l.kind)).toEqual(['par', 'authorization-request', 'callback']);
  });
});

describe('logout', () => {
  const login = `
    [fetch] GET https://as.test/.well-known/openid-configuration -> 200 ${DISCOVERY}
    GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
    GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
    [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&client_id=app&code_verifier=v -> 200 {"access_token":"at-0123456789","token_type":"Bearer","id_token":"${idToken}"}`;

  it('joins an RP-initiated logout to the flow whose ID token it presents, and the redirect back to it', () => {
    const { flows } = analyze(capture`${login}
      GET https://as.test/logout?id_token_hint=${idToken}&post_logout_redirect_uri=https://app.test/bye&state=s -> 302 https://app.test/bye?state=s
      GET https://app.test/bye?state=s -> 200
    `);
    expect(flows).toHaveLength(1);
    expect(legsOf(flows[0]!, 'end-session').map((l) => l.logout)).toEqual(['rp-initiated', 'post-logout-redirect']);
  });

  it('recognises a logout sent as a form POST (not a login step), and joins it by its id_token_hint', () => {
    const { flows } = analyze(capture`${login}
      [main_frame] POST https://as.test/logout id_token_hint=${idToken}&post_logout_redirect_uri=https://app.test/bye -> 303 https://app.test/bye
      GET https://app.test/bye -> 200
    `);
    expect(flows).toHaveLength(1);
    expect(legsOf(flows[0]!, 'end-session')).toMatchObject([{ logout: 'rp-initiated', paramSource: 'body' }, { logout: 'post-logout-redirect' }]);
  });

  it('recognises a logout at the discovery\'s end_session_endpoint with neither hint nor redirect', () => {
    const { flows } = analyze(capture`${login}
      GET https://as.test/logout?client_id=app -> 200
    `);
    expect(legsOf(flows[0]!, 'end-session')).toMatchObject([{ logout: 'rp-initiated' }]);
  });

  it('joins a front-channel logout frame by the sid of the flow\'s ID token', () => {
    const { flows } = analyze(capture`${login}
      [sub_frame] GET https://app.test/frontchannel-logout?iss=https%3A%2F%2Fas.test&sid=sid-1234 -> 200
    `);
    expect(legsOf(flows[0]!, 'end-session')).toMatchObject([{ logout: 'front-channel' }]);
  });

  it('makes a flow of its own for a logout presenting an ID token from outside the capture', () => {
    const { flows } = analyze(capture`GET https://as.test/logout?id_token_hint=${idToken} -> 200`);
    expect(flows).toHaveLength(1);
    expect(flows[0]!.legs[0]).toMatchObject({ kind: 'end-session', logout: 'rp-initiated' });
  });
});

describe('architecture', () => {
  const serverSideLogin = `
    GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
    GET https://app.test/cb?code=${CODE}&state=${STATE} -> 302 https://app.test/
    GET https://app.test/ -> 200`;

  const rows = [
    {
      description: 'browser-only: the page redeems the code by fetch',
      events: capture`
        GET ${AUTHORIZE} -> 302 https://app.test/cb?code=${CODE}&state=${STATE}
        GET https://app.test/cb?code=${CODE}&state=${STATE} -> 200
        [fetch] POST https://as.test/token grant_type=authorization_code&code=${CODE}&client_id=app&code_verifier=v -> 200 {"access_token":"at-0123456789"}
          > Origin: https://app.test`,
      kind: 'browser-only',
    },
    { description: 'server-side: the server redeems the code and the page makes no calls', events: capture`${serverSideLogin}`, kind: 'server-side' },
    {
      description: 'bff: the page calls its own backend with a cookie only',
      events: capture`${serverSideLogin}
        [fetch] GET https://app.test/api/profile -> 200
          > Cookie: __Host-session=abc`,
      kind: 'bff',
    },
    {
      description: 'token-mediating backend: the page gets an access token from its backend',
      events: capture`${serverSideLogin}
        [fetch] GET https://app.test/api/token -> 200 {"access_token":"from-backend-0123456789"}`,
      kind: 'token-mediating-backend',
    },
    {
      description: 'token-mediating backend: the page presents a token it never got from the AS',
      events: capture`${serverSideLogin}
        [fetch] GET https://api.test/orders -> 200
          > Authorization: Bearer from-backend-0123456789`,
      kind: 'token-mediating-backend',
    },
    { description: 'browser-only: an implicit flow', events: capture`GET https://as.test/authorize?response_type=token&client_id=app&state=${STATE} -> 302 https://app.test/cb#access_token=at-0123456789&state=${STATE}&token_type=Bearer`, kind: 'browser-only' },
    { description: 'unknown: the capture ends before the callback', events: capture`GET ${AUTHORIZE} -> 200`, kind: 'unknown' },
  ];
  for (const row of rows) {
    it(row.description, () => {
      const [flow] = analyze(row.events).flows;
      expect(flow!.architecture.kind).toBe(row.kind);
      if (row.kind !== 'unknown') expect(flow!.architecture.evidence.length).toBeGreaterThan(0);
    });
  }
});
