/**
 * Token requests the inspector can send, built from what the app sent:
 * the captured exchange as it was, a fresh code with a missing / wrong / right
 * verifier, a rotated refresh token, and any edit the user makes.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
import { BODY_HINT } from '../body-hint.ts';
import type { Flow, HttpHeader, Leg } from '../model.ts';
import { codeExchangeLeg, tokenLegs } from '../flows/legs.ts';
import { header, parseJsonObject, safeUrl, stringScalars } from '../oauth/params.ts';
import { observedAppOrigin, replayHeaders } from './guard.ts';
import type { PkcePair } from './pkce.ts';
import { randomToken } from './pkce.ts';
import type { ReplayRequest } from './types.ts';
import { hasKey } from '../records.ts';


function fieldsOfText(text: string): Array<[string, string]> {
  const json = parseJsonObject(text);
  if (json) return Object.entries(stringScalars(json));
  return [...new URLSearchParams(text.trim())];
}

/** The captured token request as a request the inspector can send. */
export function tokenRequestFromLeg(leg: Leg): ReplayRequest | undefined {
  const event = leg.event;
  const url = safeUrl(event.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  const method = event.method.toUpperCase() === 'GET' ? 'GET' : 'POST';
  let fields: Array<[string, string]> = [];
  let encoding: ReplayRequest['encoding'] = 'form';
  if (method === 'GET') {
    encoding = 'query';
    fields = [...url.searchParams];
    url.search = '';
  } else if (event.requestBody?.formData && Object.keys(event.requestBody.formData).length > 0) {
    for (const [name, values] of Object.entries(event.requestBody.formData)) for (const v of values) fields.push([name, v]);
  } else if (event.requestBody?.text !== undefined) {
    fields = fieldsOfText(event.requestBody.text);
    if (parseJsonObject(event.requestBody.text)) encoding = 'json';
  }
  url.hash = '';
  const request: ReplayRequest = { method, url: url.href, headers: replayHeaders(event.requestHeaders), encoding, fields };
  const appOrigin = appOriginOf(leg);
  if (appOrigin) request.appOrigin = appOrigin;
  return request;
}

/** The web origin the app sent a request from, as the browser reported it (see guard.ts). */
export function appOriginOf(leg: Leg): string | undefined {
  return observedAppOrigin(header(leg.event.requestHeaders, 'origin'), leg.event.initiator);
}

export function fieldValue(request: ReplayRequest, name: string): string | undefined {
  return request.fields.find(([n]) => n === name)?.[1];
}

/**
 * A copy with fields changed: a string sets the field (in place, or at the
 * end when new), `null` removes every field of that name.
 */
export function withFields(request: ReplayRequest, changes: Record<string, string | null>): ReplayRequest {
  const fields: Array<[string, string]> = [];
  const done = new Set<string>();
  for (const [name, value] of request.fields) {
    if (!hasKey(changes, name)) fields.push([name, value]);
    else if (changes[name] !== null && !done.has(name)) {
      fields.push([name, changes[name] as string]);
      done.add(name);
    }
  }
  for (const [name, value] of Object.entries(changes)) if (value !== null && !done.has(name)) fields.push([name, value]);
  return { ...request, headers: request.headers.map((h) => ({ ...h })), fields };
}

export function withoutHeader(request: ReplayRequest, name: string): ReplayRequest {
  const wanted = name.toLowerCase();
  return { ...request, headers: request.headers.filter((h) => h.name.toLowerCase() !== wanted) };
}

/** The URL, headers and body text fetch should use. */
export function wireForm(request: ReplayRequest): { url: string; headers: HttpHeader[]; body?: string } {
  // Only the protocol's headers go out, whatever the request (an edit included) holds.
  const allowed = replayHeaders(request.headers);
  if (request.encoding === 'query') {
    const url = new URL(request.url);
    for (const [name, value] of request.fields) url.searchParams.append(name, value);
    return { url: url.href, headers: allowed };
  }
  const headers = allowed.filter((h) => h.name.toLowerCase() !== 'content-type');
  if (request.encoding === 'json') {
    headers.push({ name: 'Content-Type', value: 'application/json' });
    return { url: request.url, headers, body: JSON.stringify(Object.fromEntries(request.fields)) };
  }
  headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  return { url: request.url, headers, body: new URLSearchParams(request.fields).toString() };
}

export type Unavailable = { unavailable: string };

/** The flow's tokens are DPoP-bound: a token request carried a proof, or an answer said token_type DPoP. */
export function dpopBound(flow: Flow): boolean {
  return tokenLegs(flow).some(
    (leg) => header(leg.event.requestHeaders, 'dpop') !== undefined || (typeof leg.response?.token_type === 'string' && leg.response.token_type.toLowerCase() === 'dpop'),
  );
}

/** For a DPoP-bound flow: no captured proof (single use, the app's key), a fresh one of the inspector's when sent. */
function ownProof(request: ReplayRequest, bound: boolean): ReplayRequest {
  const out = withoutHeader(request, 'dpop');
  if (bound) out.dpop = 'fresh-key';
  return out;
}

/** `code.reuse-accepted`: the captured code exchange, exactly as the app sent it. */
export function codeReplayRequest(flow: Flow): { leg: Leg; request: ReplayRequest } | Unavailable {
  const leg = codeExchangeLeg(flow);
  if (!leg) {
    return {
      unavailable:
        flow.observability.tokenExchange === 'server-side'
          ? 'the code was redeemed by the app’s server, where the browser cannot see: there is no request to replay'
          : 'no code exchange was captured in this flow',
    };
  }
  const request = tokenRequestFromLeg(leg);
  if (!request || !fieldValue(request, 'code')) return { unavailable: 'the captured token request carries no code' };
  // A captured DPoP proof is single-use (its jti): replaying it would test the proof, not the code.
  return { leg, request: header(leg.event.requestHeaders, 'dpop') !== undefined || dpopBound(flow) ? ownProof(request, true) : request };
}

/**
 * The template for exchanging a fresh code: the captured exchange (its client
 * authentication, headers, encoding) or, when none was seen, a public-client
 * request to the flow's token endpoint.
 */
export function freshExchangeTemplate(flow: Flow): ReplayRequest | Unavailable {
  const leg = codeExchangeLeg(flow);
  const captured = leg ? tokenRequestFromLeg(leg) : undefined;
  if (captured) return ownProof(captured, dpopBound(flow));
  if (!flow.tokenEndpoint) return { unavailable: 'no token endpoint is known for this flow (no code exchange and no discovery document seen)' };
  if (!flow.clientId) return { unavailable: 'the flow’s client_id is unknown' };
  const fields: Array<[string, string]> = [
    ['grant_type', 'authorization_code'],
    ['client_id', flow.clientId],
  ];
  return { method: 'POST', url: flow.tokenEndpoint, headers: [{ name: 'Accept', value: 'application/json' }], encoding: 'form', fields };
}

export interface FreshExchange {
  id: 'no-verifier' | 'wrong-verifier' | 'right-verifier' | 'reuse';
  label: string;
  request: ReplayRequest;
}

/**
 * `pkce.not-enforced`, in this order: no verifier, a wrong one, the right one
 * (to show the test works), then the right one again (code reuse).
 */
export function freshCodeExchanges(
  template: ReplayRequest,
  code: string,
  pair: PkcePair,
  redirectUri: string | undefined,
  wrongVerifier: string = randomToken(32),
): FreshExchange[] {
  const base = withFields(template, {
    code,
    ...(redirectUri !== undefined ? { redirect_uri: redirectUri } : {}),
    grant_type: template.fields.some(([n]) => n === 'grant_type') ? 'authorization_code' : null,
  });
  const right = withFields(base, { code_verifier: pair.code_verifier });
  return [
    { id: 'no-verifier', label: 'Exchange the fresh code with no code_verifier', request: withFields(base, { code_verifier: null }) },
    { id: 'wrong-verifier', label: 'Exchange it with a wrong code_verifier', request: withFields(base, { code_verifier: wrongVerifier }) },
    { id: 'right-verifier', label: 'Exchange it with the right code_verifier (shows the test works)', request: right },
    { id: 'reuse', label: 'Exchange the same code once more (code reuse)', request: withFields(right, {}) },
  ];
}

/**
 * `refresh.reuse-accepted`: a refresh request whose token has since been
 * rotated — its answer carried a different refresh token, or the app later
 * refreshed with a different one.
 */
export function rotatedRefreshRequest(flow: Flow): { leg: Leg; request: ReplayRequest } | Unavailable {
  const refreshes = tokenLegs(flow).filter((leg) => leg.grantType === 'refresh_token' && leg.params.refresh_token);
  if (refreshes.length === 0) return { unavailable: 'the app did not refresh its tokens in this flow' };
  // Every refresh token the flow's token answers carried. Looking at the whole flow, not only the
  // refresh's own answer, keeps the verdict right when a capture attached two answers of the same
  // token endpoint to each other's requests.
  const issued = new Set(
    tokenLegs(flow).flatMap((leg) => (typeof leg.response?.refresh_token === 'string' ? [leg.response.refresh_token] : [])),
  );
  let unknown = false;
  for (const [index, leg] of refreshes.entries()) {
    const presented = leg.params.refresh_token as string;
    const answered = leg.response?.refresh_token;
    const laterOther = refreshes.slice(index + 1).some((later) => later.params.refresh_token !== presented);
    const replacedInFlow = issued.has(presented) && [...issued].some((token) => token !== presented);
    const rotated = (typeof answered === 'string' && answered !== presented) || laterOther || replacedInFlow;
    if (rotated) {
      const request = tokenRequestFromLeg(leg);
      if (request) return { leg, request: ownProof(request, dpopBound(flow)) };
    } else if (leg.response === undefined) unknown = true;
  }
  return {
    unavailable: unknown
      ? `the refresh answer was not captured, so it is unknown whether the refresh token was rotated. ${BODY_HINT}`
      : 'the refresh token was not rotated, so there is no rotated token to replay (refresh.not-rotated reports that)',
  };
}


/**
 * `dpop.refresh-unbound`: the refresh token the app holds now (the last one a
 * token answer carried, else the last one it presented), sent without a proof
 * and with a proof of another key.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function unboundRefreshRequests(flow: Flow): { noProof: ReplayRequest; otherKey: ReplayRequest } | Unavailable {
  if (!dpopBound(flow)) return { unavailable: 'the flow’s tokens are not DPoP-bound (no DPoP proof on its token requests, no token_type DPoP)' };
  const legs = tokenLegs(flow);
  let current: string | undefined;
  for (const leg of legs) {
    if (typeof leg.params.refresh_token === 'string' && leg.grantType === 'refresh_token') current = leg.params.refresh_token;
    if (typeof leg.response?.refresh_token === 'string') current = leg.response.refresh_token;
  }
  if (!current) return { unavailable: 'no refresh token was seen in this flow (none issued, or the token answers were not captured)' };
  const template = [...legs].reverse().find((leg) => leg.grantType === 'refresh_token') ?? codeExchangeLeg(flow);
  const request = template ? tokenRequestFromLeg(template) : undefined;
  if (!template || !request) return { unavailable: 'no token request of this flow can serve as a template' };
  if (template.clientAuth === 'private_key_jwt') return { unavailable: 'the client authenticates with a signed assertion (private_key_jwt) the inspector cannot make' };
  const keep = new Set(['client_id', 'client_secret', 'scope', 'resource']);
  const fields: Array<[string, string]> = [['grant_type', 'refresh_token'], ['refresh_token', current]];
  for (const [name, value] of request.fields) if (keep.has(name)) fields.push([name, value]);
  const base: ReplayRequest = { ...withoutHeader(request, 'dpop'), fields };
  return { noProof: base, otherKey: { ...base, headers: base.headers.map((h) => ({ ...h })), dpop: 'fresh-key' } };
}
