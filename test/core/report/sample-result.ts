/** A hand-built AuditResult for the report formats: one code flow with a leak, one implicit flow. */
import type { AuditResult, Flow, RequestEvent } from '../../../src/core/model.ts';

export const SECRETS = {
  code: 'SplxlOBeZQQYbYS6WxSbIA',
  accessToken: '2YotnFZFEjr1zCsicMWpAA',
  verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  implicitToken: 'implicit-token-8d7f6e5d4c3b',
};

function event(id: string, method: string, url: string, extra: Partial<RequestEvent> = {}): RequestEvent {
  return { id, requestId: id.split('.')[0]!, hop: Number(id.split('.')[1] ?? 0), seq: 0, time: 1_700_000_000_000, tabId: -1, method, url, type: 'main_frame', responseBodyState: 'unavailable', status: 200, ...extra };
}

const authorize = event('0', 'GET', 'https://as.example/authorize?response_type=code&client_id=shop&state=abc&redirect_uri=https%3A%2F%2Fapp.example%2Fcb', {
  status: 302,
  redirectUrl: `https://app.example/cb?code=${SECRETS.code}&state=abc`,
});
const callback = event('0.1', 'GET', `https://app.example/cb?code=${SECRETS.code}&state=abc`);
const token = event('3', 'POST', 'https://as.example/token', {
  type: 'fetch',
  requestBody: { text: `grant_type=authorization_code&code=${SECRETS.code}&code_verifier=${SECRETS.verifier}` },
  responseBody: { text: JSON.stringify({ access_token: SECRETS.accessToken, token_type: 'Bearer' }), mimeType: 'application/json' },
  responseBodyState: 'captured',
});
const leak = event('4', 'GET', 'https://cdn.other.example/pixel.gif', { type: 'image', requestHeaders: [{ name: 'Referer', value: callback.url }] });
const implicit = event('7', 'GET', 'https://as2.example/authorize?response_type=token&client_id=legacy&state=zz', {
  status: 302,
  redirectUrl: `https://legacy.example/cb#access_token=${SECRETS.implicitToken}&state=zz`,
});

const codeFlow: Flow = {
  id: 'flow-0',
  kind: 'authorization_code',
  tabId: -1,
  startedAt: authorize.time,
  clientId: 'shop',
  issuer: 'https://as.example',
  issuerSource: 'discovery',
  authorizationEndpoint: 'https://as.example/authorize',
  tokenEndpoint: 'https://as.example/token',
  redirectUri: 'https://app.example/cb',
  legs: [
    { id: '0', kind: 'authorization-request', event: authorize, params: { response_type: 'code', client_id: 'shop', state: 'abc', redirect_uri: 'https://app.example/cb' }, paramSource: 'query' },
    { id: '0.1', kind: 'callback', event: callback, params: { code: SECRETS.code, state: 'abc' }, paramSource: 'query' },
    {
      id: '3',
      kind: 'token-request',
      event: token,
      params: { grant_type: 'authorization_code', code: SECRETS.code, code_verifier: SECRETS.verifier },
      paramSource: 'body',
      response: { access_token: SECRETS.accessToken, token_type: 'Bearer' },
      grantType: 'authorization_code',
      clientAuth: 'none',
    },
  ],
  observability: { tokenExchange: 'observed', tokenResponseBody: 'captured', notes: [] },
  architecture: { kind: 'browser-only', evidence: [{ requestId: '3', note: 'the page\'s script redeemed the code' }] },
};

const implicitFlow: Flow = {
  id: 'flow-7',
  kind: 'implicit',
  tabId: -1,
  startedAt: implicit.time,
  clientId: 'legacy',
  authorizationEndpoint: 'https://as2.example/authorize',
  legs: [{ id: '7', kind: 'authorization-request', event: implicit, params: { response_type: 'token', client_id: 'legacy', state: 'zz' }, paramSource: 'query' }],
  observability: { tokenExchange: 'not-applicable', tokenResponseBody: 'not-applicable', notes: ['token exchange not observable: implicit flow'] },
  architecture: { kind: 'unknown', evidence: [] },
};

export function sampleResult(): AuditResult {
  return {
    analysis: { events: [authorize, callback, token, leak, implicit], flows: [codeFlow, implicitFlow], metadata: [], jwks: {} },
    findings: [
      {
        check: 'leak.referrer',
        severity: 'critical',
        flowId: 'flow-0',
        // A check that forgot to mask: the report must still not leak.
        message: `The callback URL with code=${SECRETS.code} went to another origin in the Referer header (critical: cross-origin).`,
        evidence: [{ requestId: '4', where: 'header.referer', excerpt: callback.url }],
        reference: 'RFC 9700 §4.2',
      },
      {
        check: 'flow.implicit',
        severity: 'high',
        flowId: 'flow-7',
        message: 'The access token is issued from the authorization endpoint (response_type=token).',
        evidence: [{ requestId: '7', where: 'url.query.response_type', excerpt: 'response_type=token' }],
        reference: 'RFC 9700 §2.1.2',
      },
      {
        check: 'state.weak',
        severity: 'medium',
        flowId: 'flow-0',
        message: 'state is 3 characters long.',
        evidence: [{ requestId: '0', where: 'url.query.state', excerpt: 'state=abc' }],
        reference: 'RFC 6749 §10.10, §10.12',
        expected: 'at least 16 characters',
        actual: '3 characters',
      },
    ],
    notEvaluated: [{ check: 'jwt.signature-invalid', flowId: 'flow-0', reason: 'no ID token in the token response' }],
  };
}
