/**
 * The token leg: PKCE as the token endpoint saw it, and refresh token rotation.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
import { BODY_HINT } from '../body-hint.ts';
import { base64url } from 'jose';
import type { CheckResult, Evidence, Flow, Leg } from '../model.ts';
import { authorizationParams, authorizationSourceLeg, issuedTokens, parLeg, tokenLegs, whereOf } from '../flows/legs.ts';
import { header, trimTrailing } from '../oauth/params.ts';
import { sha256Base64url } from '../oauth/verify.ts';
import type { CheckId } from './catalogue.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence, paramExcerpt } from './excerpt.ts';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function paramEvidence(ctx: CheckContext, leg: Leg, name: string): Evidence {
  return evidence(leg, whereOf(leg, name), paramExcerpt(name, leg.params[name] ?? '', ctx.mask));
}

type Challenge =
  | { known: true; challenge?: string; method: string; leg?: Leg }
  | { known: false; reason: string };

/** What code_challenge the AS received, when the capture can tell. */
function challengeOf(flow: Flow): Challenge {
  const params = authorizationParams(flow);
  if (!params) return { known: false, reason: 'the authorization request is not in this capture' };
  if (params.request_uri && !parLeg(flow)) {
    return { known: false, reason: 'the authorization request was pushed (PAR) where the browser cannot see it' };
  }
  if (params.request && !params.code_challenge && params.request.split('.').length !== 3) {
    return { known: false, reason: 'the authorization parameters are in an encrypted request object' };
  }
  const leg = authorizationSourceLeg(flow);
  const challenge = params.code_challenge || undefined;
  return { known: true, method: params.code_challenge_method ?? 'plain', ...(challenge ? { challenge } : {}), ...(leg ? { leg } : {}) };
}

/** A client that hashed correctly but wrote the hash in hex or padded base64 (a common bug). */
async function otherEncoding(verifier: string, challenge: string): Promise<string | undefined> {
  const b64url = await sha256Base64url(verifier);
  const bytes = base64url.decode(b64url);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  if (challenge.toLowerCase() === hex) return 'hex';
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  if (trimTrailing(challenge, '=') === b64) return 'standard base64';
  return undefined;
}

type Outcome = 'issued' | 'refused' | 'unseen';

function outcomeOf(leg: Leg): Outcome {
  if (leg.event.responseBodyState !== 'captured' || !leg.response) return 'unseen';
  return issuedTokens(leg) ? 'issued' : 'refused';
}

function statusNote(leg: Leg): string {
  return leg.event.status !== undefined ? ` (the token endpoint answered HTTP ${leg.event.status})` : '';
}

async function checkExchange(ctx: CheckContext, flow: Flow, leg: Leg, challenge: Challenge, result: CheckResult): Promise<void> {
  const verifier = leg.params.code_verifier;
  const outcome = outcomeOf(leg);
  if (verifier !== undefined && !VERIFIER.test(verifier)) {
    const problem = verifier.length < 43 || verifier.length > 128 ? `is ${verifier.length} characters long` : 'contains characters outside [A-Za-z0-9-._~]';
    result.findings.push(
      finding('pkce.verifier-malformed', flow, {
        message: `The code_verifier ${problem}. RFC 7636 requires 43 to 128 characters from A–Z, a–z, 0–9 and "-._~".`,
        evidence: [paramEvidence(ctx, leg, 'code_verifier')],
        expected: '43–128 characters of [A-Za-z0-9-._~]',
        actual: `${verifier.length} characters`,
      }),
    );
  }
  if (!challenge.known) {
    for (const id of ['pkce.verifier-missing', 'pkce.mismatch', 'pkce.downgrade-accepted'] as const) {
      result.notEvaluated.push(notEvaluated(id, flow, `${challenge.reason}, so the code_challenge the server received is unknown.`));
    }
    return;
  }
  const authEvidence = challenge.leg && challenge.challenge ? [paramEvidence(ctx, challenge.leg, 'code_challenge')] : [];
  if (challenge.challenge && verifier === undefined) {
    const base = 'The authorization request carried a code_challenge, but the token request has no code_verifier.';
    const tail =
      outcome === 'issued'
        ? ' The server still issued tokens: it does not enforce PKCE, so a stolen code can be redeemed without the verifier.'
        : outcome === 'refused'
          ? ' The server refused the request, as it should; the client must send the verifier it generated.'
          : ` The token response was not captured, so whether the server enforced PKCE is unknown${statusNote(leg)}.`;
    result.findings.push(
      finding('pkce.verifier-missing', flow, {
        message: base + tail,
        evidence: [...authEvidence, evidence(leg, whereOf(leg, 'code_verifier'), '(absent)')],
        ...(outcome === 'issued' ? { severity: 'critical' as const } : {}),
        expected: 'a code_verifier matching the code_challenge',
        actual: 'no code_verifier',
      }),
    );
    return;
  }
  if (challenge.challenge && verifier !== undefined) {
    let expected: string;
    if (challenge.method === 'S256') expected = await sha256Base64url(verifier);
    else if (challenge.method === 'plain') expected = verifier;
    else {
      result.notEvaluated.push(notEvaluated('pkce.mismatch', flow, `the code_challenge_method "${challenge.method}" is not one RFC 7636 defines.`));
      return;
    }
    if (expected === challenge.challenge) return;
    const how = challenge.method === 'S256' ? 'BASE64URL(SHA256(code_verifier))' : 'the code_verifier (plain method)';
    const encoding = challenge.method === 'S256' ? await otherEncoding(verifier, challenge.challenge) : undefined;
    const hint = encoding ? ` The challenge is the verifier's SHA-256 written in ${encoding} instead of base64url: the client encodes it wrongly.` : '';
    const tail =
      outcome === 'issued'
        ? ' The server still issued tokens: it does not check PKCE.'
        : outcome === 'refused'
          ? ' The server refused the request, as it should.'
          : ` The token response was not captured, so whether the server checked PKCE is unknown${statusNote(leg)}.`;
    result.findings.push(
      finding('pkce.mismatch', flow, {
        message: `${how} is ${expected}, but the authorization request's code_challenge was ${challenge.challenge}.${hint}${tail}`,
        evidence: [...authEvidence, paramEvidence(ctx, leg, 'code_verifier')],
        ...(outcome === 'issued' ? { severity: 'critical' as const } : {}),
        expected: challenge.challenge,
        actual: expected,
      }),
    );
    return;
  }
  if (!challenge.challenge && verifier !== undefined) {
    if (outcome === 'unseen') {
      result.notEvaluated.push(
        notEvaluated('pkce.downgrade-accepted', flow, `no code_challenge was sent but the token request carries a code_verifier; the token response was not captured, so whether the server accepted it is unknown${statusNote(leg)}. ${BODY_HINT}`),
      );
    } else if (outcome === 'issued') {
      result.findings.push(
        finding('pkce.downgrade-accepted', flow, {
          message:
            'The authorization request had no code_challenge, yet the token request sent a code_verifier and the server issued tokens. A server that accepts a verifier it has no challenge for can be downgraded: an attacker strips the challenge and redeems a stolen code.',
          evidence: [paramEvidence(ctx, leg, 'code_verifier')],
          expected: 'the token request rejected (no code_challenge was registered for this code)',
          actual: 'tokens issued',
        }),
      );
    }
  }
}

/** pkce.verifier-reused: a verifier or challenge seen in an earlier flow. */
function checkReuse(ctx: CheckContext, flows: readonly Flow[], result: CheckResult): void {
  const seen = new Map<string, { flow: Flow; leg: Leg; name: string }>();
  for (const flow of flows) {
    const values: Array<{ leg: Leg; name: string; value: string }> = [];
    const params = authorizationParams(flow);
    const source = authorizationSourceLeg(flow);
    if (params?.code_challenge && source) values.push({ leg: source, name: 'code_challenge', value: params.code_challenge });
    for (const leg of tokenLegs(flow)) {
      if (leg.params.code_verifier) values.push({ leg, name: 'code_verifier', value: leg.params.code_verifier });
    }
    const reported = new Set<string>();
    for (const { leg, name, value } of values) {
      const key = `${name}\u0000${value}`;
      const earlier = seen.get(key);
      if (earlier && earlier.flow !== flow && !reported.has(earlier.flow.id)) {
        reported.add(earlier.flow.id);
        result.findings.push(
          finding('pkce.verifier-reused', flow, {
            message: `This flow uses the same ${name} as the earlier flow ${earlier.flow.id}. A PKCE verifier must be fresh and random for every authorization request; one that repeats no longer protects the code.`,
            evidence: [paramEvidence(ctx, earlier.leg, name), paramEvidence(ctx, leg, name)],
            expected: `a new ${name} per authorization request`,
            actual: `${name} repeated from ${earlier.flow.id}`,
          }),
        );
      }
      if (!earlier) seen.set(key, { flow, leg, name });
    }
  }
}

/** A client that authenticates with nothing (token_endpoint_auth_method none). */
function isPublicClient(leg: Leg): boolean {
  return leg.clientAuth === 'none' && leg.params.client_secret === undefined && leg.params.client_assertion === undefined;
}

function checkRotation(ctx: CheckContext, flow: Flow, leg: Leg, result: CheckResult): void {
  if (leg.grantType !== 'refresh_token' || !isPublicClient(leg)) return;
  const presented = leg.params.refresh_token;
  if (!presented) return;
  // A DPoP-bound refresh token is sender-constrained: rotation is then optional (RFC 9700 §4.14.2).
  if (header(leg.event.requestHeaders, 'dpop') !== undefined) return;
  if (leg.event.responseBodyState !== 'captured' || !leg.response) {
    result.notEvaluated.push(notEvaluated('refresh.not-rotated', flow, `the refresh response body was not captured, so whether a new refresh token came back is unknown${statusNote(leg)}. ${BODY_HINT}`));
    return;
  }
  if (!issuedTokens(leg)) return;
  if (typeof leg.response.token_type === 'string' && leg.response.token_type.toLowerCase() === 'dpop') return;
  const returned = leg.response.refresh_token;
  if (typeof returned === 'string' && returned !== '' && returned !== presented) return;
  const same = returned === presented;
  result.findings.push(
    finding('refresh.not-rotated', flow, {
      message: same
        ? 'A public client (no client authentication) refreshed and the server returned the same refresh token. Without rotation or sender-constraining, a leaked refresh token keeps working and its reuse cannot be detected.'
        : 'A public client (no client authentication) refreshed and the server returned no new refresh token, so the client keeps using the old one. Without rotation or sender-constraining, a leaked refresh token keeps working and its reuse cannot be detected.',
      evidence: [paramEvidence(ctx, leg, 'refresh_token'), evidence(leg, 'response.refresh_token', same ? paramExcerpt('refresh_token', presented, ctx.mask) : '(absent)')],
      expected: 'a new refresh token on every refresh (or a DPoP-bound one)',
      actual: same ? 'the same refresh token' : 'no refresh token',
    }),
  );
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const result = emptyResult();
  const flows = ctx.analysis.flows;
  for (const flow of flows) {
    const exchanges = tokenLegs(flow).filter((l) => l.grantType === 'authorization_code');
    const challenge = challengeOf(flow);
    if (exchanges.length === 0 && flow.observability.tokenExchange === 'server-side' && challenge.known && challenge.challenge) {
      const reason = 'token exchange not observable: server-side client. The code was redeemed where the browser cannot see.';
      for (const id of ['pkce.verifier-missing', 'pkce.mismatch'] satisfies CheckId[]) result.notEvaluated.push(notEvaluated(id, flow, reason));
    }
    for (const leg of exchanges) await checkExchange(ctx, flow, leg, challenge, result);
    for (const leg of tokenLegs(flow)) checkRotation(ctx, flow, leg, result);
  }
  checkReuse(ctx, flows, result);
  return result;
}

export const tokenChecks: CheckFamily = {
  name: 'token',
  ids: ['pkce.verifier-missing', 'pkce.verifier-malformed', 'pkce.mismatch', 'pkce.downgrade-accepted', 'pkce.verifier-reused', 'refresh.not-rotated'],
  run,
};
