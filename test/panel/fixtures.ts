/**
 * Hand-made AuditResults for the panel's tests, read like the RFC examples:
 *   event('GET https://as.example/authorize?response_type=code&state=s1', { status: 302, location: '...' })
 */
import type { CheckId } from '../../src/core/checks/catalogue.ts';
import type {
  AuditResult,
  Finding,
  Flow,
  FlowKind,
  Leg,
  LegKind,
  NotEvaluated,
  Observability,
  RequestEvent,
  Severity,
} from '../../src/core/model.ts';

let seq = 0;
export const T0 = Date.UTC(2026, 10, 22, 23, 0, 0);

export interface EventOptions {
  status?: number;
  location?: string;
  type?: RequestEvent['type'];
  form?: Record<string, string>;
  json?: unknown;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  tabId?: number;
  time?: number;
}

const headers = (h?: Record<string, string>) =>
  h ? Object.entries(h).map(([name, value]) => ({ name, value })) : undefined;

/** `event('POST https://as.example/token', {...})` */
export function event(line: string, opts: EventOptions = {}): RequestEvent {
  const [method = 'GET', url = ''] = line.split(' ');
  seq += 1;
  const e: RequestEvent = {
    id: `r${seq}`,
    requestId: `r${seq}`,
    hop: 0,
    seq,
    time: opts.time ?? T0 + seq * 1000,
    tabId: opts.tabId ?? 7,
    method,
    url,
    type: opts.type ?? 'main_frame',
    responseBodyState: opts.json === undefined ? 'none' : 'captured',
    status: opts.status ?? 200,
  };
  if (opts.location) e.redirectUrl = opts.location;
  if (opts.form) {
    e.requestBody = {
      formData: Object.fromEntries(Object.entries(opts.form).map(([k, v]) => [k, [v]])),
      text: new URLSearchParams(opts.form).toString(),
      mimeType: 'application/x-www-form-urlencoded',
    };
  }
  if (opts.json !== undefined) e.responseBody = { text: JSON.stringify(opts.json), mimeType: 'application/json' };
  const rq = headers(opts.requestHeaders);
  if (rq) e.requestHeaders = rq;
  const rs = headers(opts.responseHeaders);
  if (rs) e.responseHeaders = rs;
  return e;
}

function paramsOf(e: RequestEvent, kind: LegKind): Record<string, string> {
  if (kind === 'token-request' || kind === 'par') {
    return Object.fromEntries(Object.entries(e.requestBody?.formData ?? {}).map(([k, v]) => [k, v[0] ?? '']));
  }
  const u = new URL(e.url);
  const fromFragment = kind === 'callback' && u.hash.length > 1;
  const search = fromFragment ? new URLSearchParams(u.hash.slice(1)) : u.searchParams;
  return Object.fromEntries(search);
}

export function leg(kind: LegKind, e: RequestEvent, extra: Partial<Leg> = {}): Leg {
  const params = paramsOf(e, kind);
  const l: Leg = {
    id: e.id,
    kind,
    event: e,
    params,
    paramSource: kind === 'token-request' || kind === 'par' ? 'body' : 'query',
    ...extra,
  };
  if (kind === 'token-request' && params.grant_type) l.grantType = params.grant_type;
  if (e.responseBody && kind === 'token-request' && !l.response) l.response = JSON.parse(e.responseBody.text) as Record<string, unknown>;
  return l;
}

export function flow(kind: FlowKind, legs: Leg[], extra: Partial<Flow> = {}): Flow {
  const first = legs[0];
  const observability: Observability = {
    tokenExchange: legs.some((l) => l.kind === 'token-request') ? 'observed' : 'not-applicable',
    tokenResponseBody: 'captured',
    notes: [],
  };
  const auth = legs.find((l) => l.kind === 'authorization-request');
  const f: Flow = {
    id: `flow-${first?.id ?? 'x'}`,
    kind,
    tabId: first?.event.tabId ?? 7,
    startedAt: first?.event.time ?? T0,
    legs,
    observability,
    architecture: { kind: 'unknown', evidence: [] },
    ...extra,
  } as Flow;
  if (auth?.params.client_id && !f.clientId) f.clientId = auth.params.client_id;
  if (auth && !f.authorizationEndpoint) f.authorizationEndpoint = auth.event.url.split('?')[0]!;
  return f;
}

export function finding(check: CheckId, f: Flow, severity: Severity, message: string, evidence: Finding['evidence'] = []): Finding {
  return { check, severity, flowId: f.id, message, evidence, reference: 'RFC 9700 §2.1.1' };
}

export function result(flows: Flow[], findings: Finding[] = [], notEvaluated: NotEvaluated[] = []): AuditResult {
  const events = flows.flatMap((f) => f.legs.map((l) => l.event));
  return { analysis: { events, flows, metadata: [], jwks: {} }, findings, notEvaluated };
}

/** An unsigned-looking JWT (header.payload.sig) for display tests. */
export function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' }): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.c2lnbmF0dXJl`;
}

export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** A complete code + PKCE flow: authorize -> callback -> token (with an ID token). */
export function codeFlow(opts: { clientId?: string; issuer?: string; n?: number; now?: number } = {}): Flow {
  const iss = opts.issuer ?? 'https://as.example';
  const client = opts.clientId ?? 'spa-client';
  const now = opts.now ?? T0;
  const auth = event(
    `GET ${iss}/authorize?response_type=code&client_id=${client}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20profile&state=af0ifjsldkj0123456789&nonce=n-0S6_WzA2Mj&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    { status: 302, location: 'https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj0123456789', time: now },
  );
  const cb = event('GET https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj0123456789', { time: now + 800 });
  const idToken = jwt({ iss, aud: client, sub: 'alice', nonce: 'n-0S6_WzA2Mj', iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600 });
  const tok = event(`POST ${iss}/token`, {
    type: 'fetch',
    time: now + 1200,
    form: { grant_type: 'authorization_code', code: 'SplxlOBeZQQYbYS6WxSbIA', redirect_uri: 'https://app.example/cb', client_id: client, code_verifier: VERIFIER },
    json: { access_token: 'SlAV32hkKGaccessTokenValue1234', token_type: 'Bearer', expires_in: 3600, id_token: idToken, refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA' },
    responseHeaders: { 'cache-control': 'no-store', 'content-type': 'application/json' },
  });
  return flow('authorization_code', [leg('authorization-request', auth), leg('callback', cb), leg('token-request', tok, { clientAuth: 'none' })], {
    issuer: iss,
    issuerSource: 'id_token',
    tokenEndpoint: `${iss}/token`,
    redirectUri: 'https://app.example/cb',
  });
}

/** A confidential client: the token exchange happens server-side, unseen. */
export function serverSideFlow(): Flow {
  const auth = event(
    'GET https://login.example/oauth2/authorize?response_type=code&client_id=web-app&redirect_uri=https%3A%2F%2Fweb.example%2Fcb&state=zzzzzzzzzzzzzzzzzz',
    { status: 302, location: 'https://web.example/cb?code=abcdefabcdef&state=zzzzzzzzzzzzzzzzzz' },
  );
  const cb = event('GET https://web.example/cb?code=abcdefabcdef&state=zzzzzzzzzzzzzzzzzz', { status: 302, location: 'https://web.example/home' });
  const f = flow('authorization_code', [leg('authorization-request', auth), leg('callback', cb)], { issuer: 'https://login.example' });
  f.observability = { tokenExchange: 'server-side', tokenResponseBody: 'not-applicable', notes: ['token exchange not observable: server-side client'] };
  return f;
}

/** An implicit flow whose access token travels in the fragment. */
export function implicitFlow(): Flow {
  const auth = event(
    'GET https://idp.example/authorize?response_type=token%20id_token&client_id=legacy&redirect_uri=https%3A%2F%2Fold.example%2Fcb',
    { status: 302, location: 'https://old.example/cb#access_token=AT-implicit-123456789&token_type=Bearer' },
  );
  const cb = event('GET https://old.example/cb#access_token=AT-implicit-123456789&token_type=Bearer');
  const f = flow('implicit', [leg('authorization-request', auth), leg('callback', cb, { paramSource: 'fragment' })], { issuer: 'https://idp.example' });
  return f;
}

export function manyFlows(n: number): Flow[] {
  return Array.from({ length: n }, (_, i) => codeFlow({ clientId: `client-${i}`, issuer: `https://as${i % 17}.example`, now: T0 + i * 5000 }));
}
