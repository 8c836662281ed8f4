/**
 * Checks on the authorization request (the /authorize leg, or its PAR push):
 * PKCE, state, nonce, the implicit and password grants. Transport, redirect_uri
 * and discovery checks are in endpoints.ts.
 */
import type { CheckResult, Finding, Flow, Leg, NotEvaluated } from '../model.ts';
import { authorizationLeg, authorizationParams, legsOf, parLeg, responseTypes, tokenLegs, whereOf } from '../flows/legs.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { queryParams } from '../oauth/params.ts';
import type { CheckContext, CheckFamily } from './context.ts';
import { finding, notEvaluated } from './context.ts';
import { evidence, maskUrl, paramExcerpt } from './excerpt.ts';

/** The leg that carried an authorization parameter: the front-channel request, or the PAR push under it. */
function carrier(flow: Flow, name: string): Leg | undefined {
  const front = authorizationLeg(flow);
  if (front?.params[name] !== undefined) return front;
  const par = parLeg(flow);
  if (par?.params[name] !== undefined) return par;
  return front ?? par;
}

export function paramEvidence(ctx: CheckContext, flow: Flow, name: string, value?: string) {
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
  // A request_uri whose object the capture saw fetched (RFC 9101 §5.2) is not hidden: its parameters are on the leg.
  if (front.params.request_uri && !parLeg(flow) && front.requestObject?.source !== 'request_uri') {
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
  }
  checkStateReuse(ctx, findings);
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
  ],
  run,
};
