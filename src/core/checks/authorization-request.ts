/**
 * Checks on the authorization request (the /authorize leg, or its PAR push),
 * plus the request-side checks that span the flow: grant types, transport,
 * redirect_uri consistency, the 307 re-POST and the discovery issuer.
 */
import type { AuthorizationServerMetadata, CheckResult, Finding, Flow, Leg, NotEvaluated } from '../model.ts';
import { authorizationLeg, authorizationParams, issuedTokens, legsOf, parLeg, responseTypes, tokenLegs } from '../flows/legs.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { hasCallbackParams } from '../flows/classify.ts';
import { endpointOf, originOf, queryParams, safeUrl } from '../oauth/params.ts';
import type { CheckContext, CheckFamily } from './context.ts';
import { finding, notEvaluated } from './context.ts';
import { evidence, maskUrl, paramExcerpt } from './excerpt.ts';

/** `url.query.state`, `body.code_challenge`… for a parameter of this leg. */
export function whereOf(leg: Leg, name: string): string {
  const prefix: Record<Leg['paramSource'], string> = {
    query: 'url.query',
    fragment: 'url.fragment',
    body: 'body',
    'location.query': 'location.query',
    'location.fragment': 'location.fragment',
    json: 'response.body',
  };
  return `${prefix[leg.paramSource]}.${name}`;
}

/** The leg that carried an authorization parameter: the front-channel request, or the PAR push under it. */
function carrier(flow: Flow, name: string): Leg | undefined {
  const front = authorizationLeg(flow);
  if (front?.params[name] !== undefined) return front;
  const par = parLeg(flow);
  if (par?.params[name] !== undefined) return par;
  return front ?? par;
}

function paramEvidence(ctx: CheckContext, flow: Flow, name: string, value?: string) {
  const leg = carrier(flow, name);
  if (!leg) return [];
  const shown = value ?? leg.params[name];
  // A parameter read from a signed request object (JAR) is not in the URL itself.
  const inRequestObject = leg.paramSource === 'query' && leg.params.request !== undefined && name !== 'request' && queryParams(leg.event.url)[name] === undefined;
  const where = inRequestObject ? `url.query.request.payload.${name}` : whereOf(leg, name);
  return [evidence(leg, where, shown === undefined ? maskUrl(leg.event.url, ctx.mask) : paramExcerpt(name, shown, ctx.mask))];
}

/** RFC 8252 §7.3 / §8.3: loopback is 127.0.0.0/8, [::1] and localhost (browsers also treat *.localhost so). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The parameters the AS received could not be seen: a request_uri with no visible PAR push. */
export function hiddenParameters(flow: Flow): boolean {
  return hiddenReason(flow) !== undefined;
}

/**
 * Why the authorization parameters the AS received cannot be read: passed by
 * reference (request_uri, with no PAR push in the capture) or inside an
 * encrypted request object.
 */
function hiddenReason(flow: Flow): string | undefined {
  const front = authorizationLeg(flow);
  if (!front) return undefined;
  if (front.params.request_uri && !parLeg(flow)) {
    return 'The authorization parameters were passed by reference (request_uri) and their push is not in the capture, so they cannot be read.';
  }
  if (front.params.request && !tryDecodeJwt(front.params.request)) {
    return 'The authorization parameters are inside a request object that cannot be read (encrypted or malformed).';
  }
  return undefined;
}

// ---- PKCE, state, nonce, response type ----

function checkPkce(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  const params = authorizationParams(flow);
  if (!params) return;
  const types = responseTypes(params);
  const challenge = params.code_challenge;
  if (types.has('code') && !challenge) {
    const confidential = flow.observability.tokenExchange === 'server-side' || tokenLegs(flow).some((l) => l.clientAuth && l.clientAuth !== 'none');
    const nonceProtected = confidential && !!params.nonce && params.scope?.split(/\s+/).includes('openid') === true;
    out.push(
      finding('pkce.missing', flow, {
        message: nonceProtected
          ? 'The authorization request asks for a code but sends no code_challenge. Severity lowered to medium: this looks like a confidential OpenID Connect client whose nonce also binds the code to this login (RFC 9700 §2.1.1), but PKCE is still recommended.'
          : `The authorization request asks for a code (response_type=${params.response_type}) but sends no code_challenge, so a stolen or injected code can be redeemed without PKCE.`,
        evidence: paramEvidence(ctx, flow, 'response_type'),
        expected: 'code_challenge=BASE64URL(SHA256(code_verifier))&code_challenge_method=S256',
        actual: 'no code_challenge',
        ...(nonceProtected ? { severity: 'medium' as const } : {}),
      }),
    );
    return;
  }
  if (!challenge) return;
  const method = params.code_challenge_method;
  if (method === undefined || method === 'plain') {
    out.push(
      finding('pkce.plain', flow, {
        message:
          method === undefined
            ? 'The authorization request sends a code_challenge without code_challenge_method, which means plain: the challenge is the verifier itself, so anyone who sees this URL can redeem the code.'
            : 'The authorization request uses code_challenge_method=plain: the challenge is the verifier itself, so anyone who sees this URL can redeem the code.',
        evidence: paramEvidence(ctx, flow, method === undefined ? 'code_challenge' : 'code_challenge_method'),
        expected: 'code_challenge_method=S256',
        actual: method === undefined ? 'code_challenge_method absent (plain)' : 'code_challenge_method=plain',
      }),
    );
    return;
  }
  if (method === 'S256' && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    const why = /=$/.test(challenge)
      ? 'it ends in = padding, which base64url in PKCE must not have'
      : /[+/]/.test(challenge)
        ? 'it uses + or /, so it is base64, not base64url'
        : `it is ${challenge.length} characters long`;
    out.push(
      finding('pkce.challenge-malformed', flow, {
        message: `The S256 code_challenge is not 43 base64url characters: ${why}. A SHA-256 hash encoded as unpadded base64url is always exactly 43 characters.`,
        evidence: paramEvidence(ctx, flow, 'code_challenge'),
        expected: '43 characters of [A-Za-z0-9_-]',
        actual: `${challenge.length} characters`,
      }),
    );
  }
}

const TIMESTAMP_RANGES: ReadonlyArray<[number, number]> = [
  [946_684_800, 4_102_444_800], // seconds, 2000–2100
  [946_684_800_000, 4_102_444_800_000], // milliseconds
];

/** Estimated bits of a value from the character classes it uses. */
export function estimatedBits(value: string): number {
  if (/^[0-9]+$/.test(value)) return value.length * Math.log2(10);
  if (/^[0-9a-f-]+$/.test(value) || /^[0-9A-F-]+$/.test(value)) return value.replace(/-/g, '').length * 4;
  let alphabet = 0;
  if (/[0-9]/.test(value)) alphabet += 10;
  if (/[a-z]/.test(value)) alphabet += 26;
  if (/[A-Z]/.test(value)) alphabet += 26;
  if (/[^0-9a-zA-Z]/.test(value)) alphabet += 2;
  return value.length * Math.log2(Math.max(alphabet, 2));
}

/** Why a state value is weak, or undefined when it looks random enough. */
export function stateWeakness(state: string): string | undefined {
  const reasons: string[] = [];
  if (/^\d+$/.test(state)) {
    const n = Number(state);
    if (TIMESTAMP_RANGES.some(([lo, hi]) => n >= lo && n <= hi)) reasons.push('it looks like a timestamp');
  }
  const codes = [...state].map((c) => c.codePointAt(0) ?? 0);
  const steps = codes.slice(1).map((c, i) => c - (codes[i] ?? 0));
  if (state.length >= 3 && (steps.every((s) => s === 1) || steps.every((s) => s === -1))) reasons.push('it is a plain sequence');
  else if (state.length >= 3 && new Set(codes).size <= 2) reasons.push('it repeats one or two characters');
  if (state.length < 16) reasons.push(`it is only ${state.length} characters long`);
  else if (reasons.length === 0 && estimatedBits(state) < 96) reasons.push(`it carries about ${Math.floor(estimatedBits(state))} bits of randomness at most`);
  return reasons.length > 0 ? reasons.join(', and ') : undefined;
}

function checkStateAndNonce(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  const params = authorizationParams(flow);
  if (!params) return;
  const types = responseTypes(params);
  const state = params.state;
  if (state === undefined || state === '') {
    const pkce = !!params.code_challenge;
    const nonce = !!params.nonce;
    const severity = pkce ? 'info' : nonce ? 'low' : undefined;
    out.push(
      finding('state.missing', flow, {
        message: pkce
          ? 'The authorization request has no state. Severity lowered to info: PKCE already protects the code flow against CSRF, but state is still useful to tie the callback to this browser session.'
          : nonce
            ? 'The authorization request has no state and no PKCE. Severity lowered to low: the OIDC nonce protects against CSRF, but only if the client checks it in the ID token.'
            : 'The authorization request has no state, no PKCE and no nonce: nothing ties the callback to this browser, so an attacker can make the victim finish a login the attacker started (login CSRF).',
        evidence: paramEvidence(ctx, flow, 'client_id'),
        expected: 'an unguessable state value',
        actual: 'no state',
        ...(severity ? { severity } : {}),
      }),
    );
  } else {
    const weakness = stateWeakness(state);
    if (weakness) {
      out.push(
        finding('state.weak', flow, {
          message: `The state value ${paramExcerpt('state', state, ctx.mask)} is guessable: ${weakness}. It should hold at least 128 random bits (for example 22 base64url characters).`,
          evidence: paramEvidence(ctx, flow, 'state'),
          expected: 'at least 16 characters of cryptographic randomness (≥ 96 bits, 128 recommended)',
          actual: state.length > 40 ? `${state.slice(0, 40)}…` : state,
        }),
      );
    }
  }
  if (types.has('id_token') && !params.nonce) {
    out.push(
      finding('nonce.missing', flow, {
        message: `The request asks for an ID token from the authorization endpoint (response_type=${params.response_type}) but sends no nonce, so a stolen ID token can be replayed into this client.`,
        evidence: paramEvidence(ctx, flow, 'response_type'),
        expected: 'a random nonce',
        actual: 'no nonce',
      }),
    );
  }
}

function checkImplicit(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  const params = authorizationParams(flow);
  const types = responseTypes(params);
  if (params && types.has('token')) {
    out.push(
      finding('flow.implicit', flow, {
        message: `The authorization request uses response_type=${params.response_type}: the access token is handed out in the redirect URL instead of from the token endpoint.`,
        evidence: paramEvidence(ctx, flow, 'response_type'),
        expected: 'response_type=code (with PKCE)',
        actual: `response_type=${params.response_type}`,
      }),
    );
    return;
  }
  // The authorization request may be missing from the capture while the callback shows an access token.
  if (params) return;
  const callback = legsOf(flow, 'callback').find((l) => l.params.access_token);
  if (callback?.params.access_token) {
    out.push(
      finding('flow.implicit', flow, {
        message: 'The authorization response carries an access token (the authorization request is not in this capture): the token came from the authorization endpoint instead of the token endpoint.',
        evidence: [evidence(callback, whereOf(callback, 'access_token'), paramExcerpt('access_token', callback.params.access_token, ctx.mask))],
        expected: 'response_type=code (with PKCE)',
        actual: 'access_token in the authorization response',
      }),
    );
  }
}

function checkPasswordGrant(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of tokenLegs(flow)) {
    if (leg.grantType !== 'password') continue;
    out.push(
      finding('flow.password-grant', flow, {
        message: `The client sends the user's password to the token endpoint (grant_type=password), so the client sees the password and multi-factor login is ruled out.`,
        evidence: [evidence(leg, whereOf(leg, 'grant_type'), 'grant_type=password')],
        expected: 'grant_type=authorization_code (with PKCE)',
        actual: 'grant_type=password',
      }),
    );
  }
}

// ---- transport ----

function checkTransport(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  const seen = new Set<string>();
  const report = (leg: Leg, role: string, url: string, where: string) => {
    const parsed = safeUrl(url);
    if (!parsed || parsed.protocol !== 'http:' || isLoopback(parsed.hostname)) return;
    const key = `${role} ${endpointOf(url)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(
      finding('transport.insecure', flow, {
        message: `The ${role} ${parsed.origin}${parsed.pathname} uses plain http on a host that is not loopback, so anyone on the network can read and change what it carries.`,
        evidence: [evidence(leg, where, maskUrl(url, ctx.mask))],
        expected: 'https:',
        actual: `${parsed.protocol}//${parsed.host}`,
      }),
    );
  };
  for (const leg of flow.legs) {
    if (leg.event.fromInspector) continue;
    if (leg.kind === 'authorization-request') report(leg, 'authorization endpoint', leg.event.url, 'url');
    if (leg.kind === 'par') report(leg, 'pushed authorization request endpoint', leg.event.url, 'url');
    if (leg.kind === 'token-request') report(leg, 'token endpoint', leg.event.url, 'url');
    if (leg.kind === 'authorization-request' || leg.kind === 'par') {
      if (leg.params.redirect_uri) report(leg, 'redirect URI', leg.params.redirect_uri, whereOf(leg, 'redirect_uri'));
    }
    if (leg.kind === 'callback') {
      const url = leg.paramSource.startsWith('location.') ? leg.event.redirectUrl : leg.event.url;
      if (url) report(leg, 'redirect URI', url, leg.paramSource.startsWith('location.') ? 'location' : 'url');
    }
  }
}

// ---- redirect_uri ----

function checkRedirectMismatch(ctx: CheckContext, flow: Flow, out: Finding[], skipped: NotEvaluated[]): void {
  const params = authorizationParams(flow);
  const sent = params?.redirect_uri;
  if (!params || sent === undefined) return;
  if (flow.observability.tokenExchange === 'server-side') {
    skipped.push(notEvaluated('redirect.mismatch', flow, 'Token exchange not observable: server-side client, so the redirect_uri of the token request cannot be compared.'));
    return;
  }
  for (const leg of tokenLegs(flow)) {
    if (leg.grantType !== 'authorization_code') continue;
    const redeemed = leg.params.redirect_uri;
    if (redeemed === undefined || redeemed === sent) continue;
    const rejected = leg.response !== undefined && !issuedTokens(leg);
    out.push(
      finding('redirect.mismatch', flow, {
        message: rejected
          ? `The token request sends redirect_uri=${redeemed}, but the authorization request sent ${sent}. Severity lowered to low: the authorization server refused the exchange, as it should.`
          : `The token request sends redirect_uri=${redeemed}, but the authorization request sent ${sent}${issuedTokens(leg) ? ', and the authorization server still issued tokens' : ''}. They must be identical so the server can tell the code went where it was meant to.`,
        evidence: [...paramEvidence(ctx, flow, 'redirect_uri'), evidence(leg, whereOf(leg, 'redirect_uri'), paramExcerpt('redirect_uri', redeemed, ctx.mask))],
        expected: sent,
        actual: redeemed,
        ...(rejected ? { severity: 'low' as const } : {}),
      }),
    );
  }
}

/** Body fields an authorization response may carry (form_post); anything else on a POST callback came from elsewhere. */
const RESPONSE_FIELDS = new Set(['code', 'state', 'iss', 'session_state', 'id_token', 'access_token', 'token_type', 'expires_in', 'scope', 'error', 'error_description', 'error_uri', 'client_info']);

function check307(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of flow.legs) {
    const event = leg.event;
    if (leg.kind === 'interaction' && event.method === 'POST' && (event.status === 307 || event.status === 308) && event.redirectUrl) {
      const from = originOf(event.url);
      const to = originOf(event.redirectUrl);
      // Only a re-POST to the client matters: inside the AS (or on to a federated login) the form reaches no one new.
      const toClient = (to !== undefined && to === originOf(flow.redirectUri)) || hasCallbackParams(queryParams(event.redirectUrl));
      if (!from || from === to || !toClient) continue;
      out.push(
        finding('redirect.307-after-post', flow, {
          message: `The authorization server answered a POSTed form on ${from} with ${event.status}, redirecting to the client at ${to ?? event.redirectUrl}: the browser re-sends the form body (the login credentials) there.`,
          evidence: [evidence(leg, 'response.status', String(event.status)), evidence(leg, 'location', maskUrl(event.redirectUrl, ctx.mask))],
          expected: '303 See Other (or 302)',
          actual: String(event.status),
        }),
      );
      return;
    }
    if (leg.kind === 'callback' && event.method === 'POST' && leg.paramSource === 'query') {
      const fields = Object.keys(bodyFields(event.requestBody)).filter((k) => !RESPONSE_FIELDS.has(k));
      if (fields.length === 0) continue;
      out.push(
        finding('redirect.307-after-post', flow, {
          message: `The callback to ${originOf(event.url) ?? event.url} was a POST carrying the form fields ${fields.slice(0, 6).join(', ')}: a 307/308 redirect made the browser re-send a form posted to the authorization server to the client.`,
          evidence: [evidence(leg, 'body', fields.slice(0, 6).map((f) => `${f}=…`).join('&'))],
          expected: 'a GET to the redirect URI (303 See Other or 302 after a POST)',
          actual: `POST with ${fields.length} form field(s)`,
        }),
      );
      return;
    }
  }
}

function bodyFields(body: Leg['event']['requestBody']): Record<string, unknown> {
  if (!body) return {};
  if (body.formData) return body.formData;
  if (body.text) return Object.fromEntries(new URLSearchParams(body.text));
  return {};
}

// ---- discovery issuer ----

/** The URLs a document for this issuer may be fetched from (RFC 8414 §3, §5; OIDC Discovery §4). */
export function wellKnownUrls(issuer: string): string[] {
  const url = safeUrl(issuer);
  if (!url || url.search || url.hash) return [];
  const path = url.pathname.replace(/\/+$/, '');
  return [
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

function flowsUsing(doc: AuthorizationServerMetadata, flows: readonly Flow[]): Flow[] {
  const d = doc.document;
  const endpoints = new Set(
    ['authorization_endpoint', 'token_endpoint', 'pushed_authorization_request_endpoint']
      .map((k) => d[k])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => endpointOf(v)),
  );
  return flows.filter((f) => f.legs.some((l) => (l.kind === 'authorization-request' || l.kind === 'token-request' || l.kind === 'par') && endpoints.has(endpointOf(l.event.url))));
}

function checkMetadata(ctx: CheckContext, out: Finding[], skipped: NotEvaluated[]): void {
  const seen = new Set<string>();
  for (const doc of ctx.analysis.metadata) {
    const issuer = doc.document.issuer;
    // A client that loads the document on every page fetches it many times: one finding.
    const key = JSON.stringify([doc.url, issuer]);
    if (seen.has(key)) continue;
    seen.add(key);
    const fetched = safeUrl(doc.url);
    const flows = flowsUsing(doc, ctx.analysis.flows);
    const ids = flows.length > 0 ? flows.map((f) => f.id) : ['*'];
    if (!fetched) continue;
    const fetchedAt = `${fetched.origin}${fetched.pathname}`;
    if (!fetched.pathname.includes('/.well-known/')) {
      for (const id of ids) skipped.push(notEvaluated('metadata.issuer-mismatch', id, `The discovery document was fetched from ${fetchedAt}, not from a /.well-known/ location, so its issuer cannot be checked against the URL.`));
      continue;
    }
    const ev = doc.eventId ? [{ requestId: doc.eventId, where: 'response.body.issuer', excerpt: typeof issuer === 'string' ? `issuer=${issuer}` : 'no issuer' }] : [];
    if (typeof issuer !== 'string' || issuer === '') {
      for (const id of ids) {
        out.push(finding('metadata.issuer-mismatch', id, { message: `The discovery document at ${fetchedAt} has no issuer, which is required; a client cannot tell which server it describes.`, evidence: ev, expected: 'an issuer from which this URL is formed', actual: 'no issuer' }));
      }
      continue;
    }
    const candidates = wellKnownUrls(issuer);
    if (candidates.includes(fetchedAt)) continue;
    // Microsoft's multi-tenant endpoints (common, organizations, consumers) publish a template
    // issuer, or the issuer of the tenant they stand for.
    const template = issuer.includes('{tenantid}') || (originOf(issuer) === fetched.origin && /\/(common|organizations|consumers)\//.test(fetched.pathname));
    const expected = candidates[0] ?? 'an https issuer without query or fragment';
    for (const id of ids) {
      out.push(
        finding('metadata.issuer-mismatch', id, {
          message: template
            ? `The discovery document at ${fetchedAt} says its issuer is ${issuer}. Severity lowered to low: this is a multi-tenant alias endpoint, whose issuer stands for a tenant (or a template of one); a strict client rejects it, so use the tenant-specific URL, and check the tenant's issuer in each ID token.`
            : `The discovery document at ${fetchedAt} says its issuer is ${issuer}, but a document for that issuer would be at ${expected}. A client must reject it: it may describe another server (mix-up).`,
          evidence: ev,
          expected,
          actual: fetchedAt,
          ...(template ? { severity: 'low' as const } : {}),
        }),
      );
    }
  }
}

function run(ctx: CheckContext): CheckResult {
  const findings: Finding[] = [];
  const skipped: NotEvaluated[] = [];
  for (const flow of ctx.analysis.flows) {
    const hidden = hiddenReason(flow);
    if (hidden) {
      for (const id of ['pkce.missing', 'pkce.plain', 'pkce.challenge-malformed', 'state.missing', 'state.weak', 'nonce.missing', 'flow.implicit'] as const) {
        skipped.push(notEvaluated(id, flow, hidden));
      }
    } else {
      checkPkce(ctx, flow, findings);
      checkStateAndNonce(ctx, flow, findings);
      checkImplicit(ctx, flow, findings);
    }
    checkPasswordGrant(ctx, flow, findings);
    checkTransport(ctx, flow, findings);
    checkRedirectMismatch(ctx, flow, findings, skipped);
    check307(ctx, flow, findings);
  }
  checkStateReuse(ctx, findings);
  checkMetadata(ctx, findings, skipped);
  return { findings, notEvaluated: skipped };
}

function sameParams(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The same state in the authorization requests of two different flows. */
function checkStateReuse(ctx: CheckContext, out: Finding[]): void {
  const firstByState = new Map<string, Flow>();
  for (const flow of ctx.analysis.flows) {
    if (hiddenParameters(flow)) continue;
    const state = authorizationParams(flow)?.state;
    if (!state) continue;
    const first = firstByState.get(state);
    if (!first) {
      firstByState.set(state, flow);
      continue;
    }
    const identical = sameParams(authorizationParams(first), authorizationParams(flow));
    out.push(
      finding('state.reused', flow, {
        message: identical
          ? `The state value ${paramExcerpt('state', state, ctx.mask)} was already used by an earlier authorization request (flow ${first.id}). Severity lowered to low: the two requests are identical, which is also what a page reload or the back button produces; if the client built both, it does not make state fresh for every request.`
          : `The state value ${paramExcerpt('state', state, ctx.mask)} was already used by an earlier authorization request (flow ${first.id}), although the requests differ otherwise: the client does not make state fresh for every request.`,
        evidence: [...paramEvidence(ctx, first, 'state'), ...paramEvidence(ctx, flow, 'state')],
        expected: 'a new random state for each authorization request',
        actual: 'the same state in two authorization requests',
        ...(identical ? { severity: 'low' as const } : {}),
      }),
    );
  }
}

export const authorizationRequestChecks: CheckFamily = {
  name: 'authorization request',
  ids: [
    'pkce.missing',
    'pkce.plain',
    'pkce.challenge-malformed',
    'state.missing',
    'state.weak',
    'state.reused',
    'nonce.missing',
    'flow.implicit',
    'flow.password-grant',
    'transport.insecure',
    'redirect.mismatch',
    'redirect.307-after-post',
    'metadata.issuer-mismatch',
  ],
  run,
};
