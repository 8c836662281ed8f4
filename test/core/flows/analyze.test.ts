import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import { capture } from '../../support/flow-builder.ts';

const legKinds = (events: ReturnType<typeof capture>) => analyze(events).flows.map((f) => [f.kind, f.legs.map((l) => l.kind)]);

describe('flow recognition by parameters, across provider URL shapes', () => {
  const shapes = [
    { description: 'Auth0-like /authorize + /oauth/token', auth: 'https://tenant.auth0.test/authorize', token: 'https://tenant.auth0.test/oauth/token' },
    { description: 'Google-like /o/oauth2/v2/auth + /token', auth: 'https://accounts.google.test/o/oauth2/v2/auth', token: 'https://oauth2.googleapis.test/token' },
    { description: 'Microsoft-like tenant path', auth: 'https://login.microsoftonline.test/common/oauth2/v2.0/authorize', token: 'https://login.microsoftonline.test/common/oauth2/v2.0/token' },
    { description: 'Keycloak-like realm path', auth: 'https://kc.test/realms/x/protocol/openid-connect/auth', token: 'https://kc.test/realms/x/protocol/openid-connect/token' },
    { description: 'oidc-provider /auth + /token', auth: 'https://idp.test/auth', token: 'https://idp.test/token' },
  ];
  for (const { description, auth, token } of shapes) {
    it(description, () => {
      const events = capture`
        GET ${auth}?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=x&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
        GET https://app.test/cb?code=c1&state=s1 -> 200
        POST ${token} grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v -> 200 {"access_token":"at1","token_type":"Bearer"}
        [fetch] GET https://api.test/me -> 200
          > Authorization: Bearer at1
      `;
      const { flows } = analyze(events);
      expect(flows).toHaveLength(1);
      const [flow] = flows;
      expect(flow?.kind).toBe('authorization_code');
      expect(flow?.legs.map((l) => l.kind)).toEqual(['authorization-request', 'callback', 'token-request', 'api']);
      expect(flow?.clientId).toBe('app');
      expect(flow?.tokenEndpoint).toBe(token);
      expect(flow?.observability.tokenExchange).toBe('observed');
    });
  }

  it('GitHub-like: no grant_type, form-encoded token response', () => {
    const events = capture`
      GET https://github.test/login/oauth/authorize?client_id=gh&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=abcdefghijklmnopqrstuv&response_type=code -> 302 https://app.test/cb?code=g1&state=abcdefghijklmnopqrstuv
      GET https://app.test/cb?code=g1&state=abcdefghijklmnopqrstuv -> 200
      POST https://github.test/login/oauth/access_token client_id=gh&client_secret=shh&code=g1 -> 200 access_token=gho_x&scope=&token_type=bearer
    `;
    const [flow] = analyze(events).flows;
    expect(flow?.legs.map((l) => l.kind)).toEqual(['authorization-request', 'callback', 'token-request']);
    expect(flow?.legs[2]?.grantType).toBe('authorization_code');
    expect(flow?.legs[2]?.response?.access_token).toBe('gho_x');
  });

  it('implicit: tokens in the Location fragment form one callback', () => {
    const events = capture`
      GET https://as.test/authorize?response_type=id_token%20token&client_id=spa&redirect_uri=https%3A%2F%2Fapp.test%2F&state=s&nonce=n -> 302 https://app.test/#access_token=at&token_type=Bearer&id_token=a.b.c&state=s
      GET https://app.test/ -> 200
    `;
    const { flows } = analyze(events);
    expect(legKinds(events)).toEqual([['implicit', ['authorization-request', 'callback']]]);
    expect(flows[0]?.legs[1]?.paramSource).toBe('location.fragment');
    expect(flows[0]?.legs[1]?.documentId).toBe('r1.1');
    expect(flows[0]?.observability.tokenExchange).toBe('not-applicable');
  });

  it('form_post callback body', () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&response_mode=form_post&client_id=c&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s9 -> 200
      [main_frame] POST https://app.test/cb code=k&state=s9 -> 302 https://app.test/home
    `;
    expect(legKinds(events)).toEqual([['authorization_code', ['authorization-request', 'callback']]]);
    expect(analyze(events).flows[0]?.observability.tokenExchange).toBe('server-side');
  });

  it('a refresh joins the flow whose refresh token it presents', () => {
    const events = capture`
      GET https://as.test/a?response_type=code&client_id=c&state=s1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=c1&state=s1
      GET https://app.test/cb?code=c1&state=s1 -> 200
      POST https://as.test/t grant_type=authorization_code&code=c1&client_id=c -> 200 {"access_token":"a1","refresh_token":"r1"}
      GET https://as.test/a?response_type=code&client_id=other&state=s2&redirect_uri=https%3A%2F%2Fother.test%2Fcb -> 200
      POST https://as.test/t grant_type=refresh_token&refresh_token=r1&client_id=c -> 200 {"access_token":"a2","refresh_token":"r2"}
      POST https://as.test/t grant_type=refresh_token&refresh_token=r2&client_id=c -> 200 {"access_token":"a3","refresh_token":"r3"}
    `;
    const { flows } = analyze(events);
    expect(flows).toHaveLength(2);
    expect(flows[0]?.legs.map((l) => l.kind)).toEqual(['authorization-request', 'callback', 'token-request', 'token-request', 'token-request']);
  });

  it('PAR links to the front-channel request by request_uri', () => {
    const events = capture`
      POST https://as.test/par response_type=code&client_id=c&state=s&code_challenge=abc&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:xyz","expires_in":60}
      GET https://as.test/authorize?client_id=c&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Axyz -> 302 https://app.test/cb?code=q&state=s
      GET https://app.test/cb?code=q&state=s -> 200
    `;
    expect(legKinds(events)).toEqual([['authorization_code', ['par', 'authorization-request', 'callback']]]);
  });

  it('concurrent flows in two tabs stay apart, and an access_denied error is its own flow', () => {
    const events = capture`
      [tab=1] GET https://as1.test/authorize?response_type=code&client_id=a&state=t1&redirect_uri=https%3A%2F%2Fa.test%2Fcb -> 200
      [tab=2] GET https://as2.test/authorize?response_type=code&client_id=b&state=t2&redirect_uri=https%3A%2F%2Fb.test%2Fcb -> 200
      [tab=2] GET https://b.test/cb?error=access_denied&state=t2 -> 200
      [tab=1] GET https://a.test/cb?code=x&state=t1 -> 200
    `;
    const { flows } = analyze(events);
    expect(flows.map((f) => [f.clientId, f.legs.map((l) => l.event.tabId)])).toEqual([
      ['a', [1, 1]],
      ['b', [2, 2]],
    ]);
  });

  it('silent renew in an iframe is a separate flow', () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=c&state=s1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=c1&state=s1
      GET https://app.test/cb?code=c1&state=s1 -> 200
      [sub_frame] GET https://as.test/authorize?response_type=code&client_id=c&state=s2&prompt=none&redirect_uri=https%3A%2F%2Fapp.test%2Fsilent -> 302 https://app.test/silent?error=login_required&state=s2
      [sub_frame] GET https://app.test/silent?error=login_required&state=s2 -> 200
    `;
    expect(legKinds(events)).toEqual([
      ['authorization_code', ['authorization-request', 'callback']],
      ['authorization_code', ['authorization-request', 'callback']],
    ]);
  });
});

describe('ordinary traffic does not become a flow', () => {
  const rows = [
    { description: 'an email verification link with code and state', line: 'GET https://shop.test/verify?code=123456&state=open -> 200' },
    { description: 'pagination state', line: 'GET https://news.test/list?state=2&page=3 -> 200' },
    { description: 'paths containing token and auth', line: 'GET https://site.test/auth/token/refresh/page -> 200' },
    { description: 'a code in a search query', line: 'GET https://docs.test/search?code=js&q=oauth -> 200' },
    { description: 'an API POST with a JSON body', line: 'POST https://api.test/items {"name":"x","state":"draft"} -> 201 {"id":1}' },
  ];
  for (const { description, line } of rows) {
    it(description, () => {
      expect(analyze(capture`${line}`).flows).toEqual([]);
    });
  }
});

describe('an authorization request that re-enters the AS stays one flow', () => {
  it('a hosted login page repeating the parameters (fewer of them) with the same state', () => {
    const events = capture`
      GET https://auth.cognito.test/oauth2/authorize?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=x&code_challenge_method=S256 -> 302 https://auth.cognito.test/login?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1
      GET https://auth.cognito.test/login?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1 -> 200
      [main_frame] POST https://auth.cognito.test/login?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1 username=u&password=p -> 302 https://app.test/cb?code=k&state=s1
      GET https://app.test/cb?code=k&state=s1 -> 200
    `;
    const { flows } = analyze(events);
    expect(flows).toHaveLength(1);
    expect(flows[0]?.legs.filter((l) => l.kind === 'callback')).toHaveLength(1);
  });

  it('a second login with the same state after the first completed is a new flow', () => {
    const events = capture`
      GET https://as.test/authorize?client_id=c&response_type=code&state=same&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=k1&state=same
      GET https://app.test/cb?code=k1&state=same -> 200
      GET https://as.test/authorize?client_id=c&response_type=code&state=same&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=k2&state=same
      GET https://app.test/cb?code=k2&state=same -> 200
    `;
    expect(analyze(events).flows).toHaveLength(2);
  });
});

describe('a code travelling on after its callback', () => {
  it('is not a second callback of the flow (code.forwarded finds it in the events)', () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=S0123456789abcdefghij -> 302 https://app.test/cb?code=C0123456789abcdef&state=S0123456789abcdefghij
      GET https://app.test/cb?code=C0123456789abcdef&state=S0123456789abcdefghij -> 302 https://evil.test/?code=C0123456789abcdef
      GET https://evil.test/?code=C0123456789abcdef -> 200
    `;
    expect(legKinds(events)).toEqual([['authorization_code', ['authorization-request', 'callback']]]);
  });
});

describe('provider behaviours seen in real captures', () => {
  it('GitHub: an authorization request without response_type is recognised', () => {
    const events = capture`
      GET https://github.test/login/oauth/authorize?client_id=Iv1.abc&redirect_uri=https%3A%2F%2Fapp.test%2Fauth%2Fgithub%2Fcallback&scope=read%3Auser&state=Zq8mW1pX3tR7yB2nC5vK9eJ4 -> 302 https://github.test/login?client_id=Iv1.abc&return_to=%2Flogin%2Foauth%2Fauthorize%3Fclient_id%3DIv1.abc
      GET https://github.test/login?client_id=Iv1.abc&return_to=%2Flogin%2Foauth%2Fauthorize%3Fclient_id%3DIv1.abc -> 200
      GET https://app.test/auth/github/callback?code=5d1f0c2b9a8e7d6c&state=Zq8mW1pX3tR7yB2nC5vK9eJ4 -> 302 https://app.test/
    `;
    const { flows } = analyze(events);
    expect(flows.map((f) => [f.kind, f.legs.map((l) => l.kind), f.observability.tokenExchange])).toEqual([
      ['authorization_code', ['authorization-request', 'callback'], 'server-side'],
    ]);
  });

  it('Google: sign-in pages repeating client_id and response_type without state stay in the flow', () => {
    const events = capture`
      GET https://accounts.google.test/o/oauth2/v2/auth?client_id=1.apps&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&state=st-0123456789abcdef&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256 -> 302 https://accounts.google.test/v3/signin/identifier?client_id=1.apps&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&flowName=GeneralOAuthFlow
      GET https://accounts.google.test/v3/signin/identifier?client_id=1.apps&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&scope=openid&flowName=GeneralOAuthFlow -> 200
      GET https://accounts.google.test/v3/signin/challenge/pwd?client_id=1.apps&response_type=code&scope=openid&flowName=GeneralOAuthFlow -> 200
      GET https://accounts.google.test/signin/oauth/consent?authuser=0&client_id=1.apps&as=xyz -> 302 https://app.test/cb?state=st-0123456789abcdef&code=4%2F0AX4XfWh&scope=openid&authuser=0&prompt=consent
      GET https://app.test/cb?state=st-0123456789abcdef&code=4%2F0AX4XfWh&scope=openid&authuser=0&prompt=consent -> 200
    `;
    const { flows } = analyze(events);
    expect(flows).toHaveLength(1);
    expect(flows[0]?.legs.filter((l) => l.kind === 'callback')).toHaveLength(1);
  });

  it('a new authorization request with a different state is a new flow', () => {
    const events = capture`
      GET https://as.test/authorize?client_id=c&response_type=code&state=first-0123456789&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 200
      GET https://as.test/authorize?client_id=c&response_type=code&state=second-0123456789&redirect_uri=https%3A%2F%2Fapp.test%2Fcb -> 302 https://app.test/cb?code=k&state=second-0123456789
      GET https://app.test/cb?code=k&state=second-0123456789 -> 200
    `;
    expect(analyze(events).flows).toHaveLength(2);
  });

  it('a page that merely carries client_id (a consent page, an SDK beacon) is not an authorization request', () => {
    const events = capture`
      GET https://accounts.google.test/signin/oauth/consent?authuser=0&client_id=1.apps&as=xyz -> 200
      [image] GET https://stats.test/p.gif?client_id=123.456&redirect_uri=https%3A%2F%2Fshop.test%2F -> 200
    `;
    expect(analyze(events).flows).toEqual([]);
  });
});
