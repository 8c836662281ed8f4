/**
 * The FAPI 2.0 Security Profile, clause by clause, for the flows a browser
 * can show; run only when the user picks the profile (`--profile fapi2`).
 * Each flow gets a verdict: the clauses it met, broke, and could not be
 * observed from the browser, each with its reason.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html
 */
import type { CheckResult, Evidence, Flow, Leg, ProfileResult, ProfileVerdict } from '../model.ts';
import { authorizationLeg, authorizationParams, callbackLeg, legsOf, parLeg, tokenLegs, whereOf } from '../flows/legs.ts';
import { issuedTokensOf } from '../oauth/issued-tokens.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { bearerToken, originOf } from '../oauth/params.ts';
import { hiddenParameters } from './authorization-request.ts';
import type { CheckId } from './catalogue.ts';
import { emptyResult, finding, notEvaluated, type CheckContext } from './context.ts';
import { evidence } from './excerpt.ts';

/** FAPI 2.0 SP §5.4.1: the only JWS algorithms allowed. */
const FAPI_ALGS = new Set(['PS256', 'ES256', 'EdDSA', 'Ed25519']);

type Outcome =
  | { status: 'met' }
  | { status: 'broken'; message: string; evidence: Evidence[]; expected: string; actual: string }
  | { status: 'unobservable'; reason: string };

const met: Outcome = { status: 'met' };
const unobservable = (reason: string): Outcome => ({ status: 'unobservable', reason });

/** Requirements of the profile that no browser capture can show, whatever the flow. */
const NEVER_OBSERVABLE = [
  { clause: 'authorization code lifetime at most 60 seconds (FAPI 2.0 SP §5.3.2.1)', reason: 'how long the AS would accept a code is only seen by trying it late (an active test).' },
  { clause: 'TLS versions and cipher suites (FAPI 2.0 SP §5.2.1)', reason: 'the capture does not record the TLS handshake.' },
];

function parRequired(flow: Flow): Outcome {
  const front = authorizationLeg(flow);
  if (!front) return unobservable('the front-channel authorization request is not in the capture.');
  if (front.params.request_uri && front.params.client_id && (parLeg(flow) || front.params.request_uri.startsWith('urn:ietf:params:oauth:request_uri:'))) return met;
  return {
    status: 'broken',
    message: 'The authorization request carries its parameters in the browser instead of a PAR request_uri: FAPI 2.0 requires pushed authorization requests, so the parameters are integrity-protected and the client is authenticated before the user is sent to the AS.',
    evidence: [evidence(front, whereOf(front, 'request_uri'), front.params.request_uri ? `request_uri=${front.params.request_uri} (no PAR push)` : 'no request_uri')],
    expected: 'client_id and a PAR request_uri only',
    actual: front.params.request_uri ? 'a request_uri not from PAR' : 'parameters in the URL',
  };
}

function responseType(flow: Flow): Outcome {
  const params = authorizationParams(flow);
  if (!params || hiddenParameters(flow)) return unobservable('the authorization parameters were pushed where the capture cannot see them.');
  if (params.response_type === 'code') return met;
  const leg = authorizationLeg(flow) ?? parLeg(flow);
  return {
    status: 'broken',
    message: `The response_type is ${params.response_type === undefined ? 'absent' : JSON.stringify(params.response_type)}: FAPI 2.0 allows only code, so no token ever travels through the browser's front channel.`,
    evidence: leg ? [evidence(leg, whereOf(leg, 'response_type'), `response_type=${params.response_type ?? '(absent)'}`)] : [],
    expected: 'response_type=code',
    actual: `response_type=${params.response_type ?? '(absent)'}`,
  };
}

function pkceS256(flow: Flow): Outcome {
  const params = authorizationParams(flow);
  if (!params || hiddenParameters(flow)) return unobservable('the authorization parameters were pushed where the capture cannot see them.');
  if (params.code_challenge && params.code_challenge_method === 'S256') return met;
  const leg = parLeg(flow) ?? authorizationLeg(flow);
  const actual = params.code_challenge ? `code_challenge_method=${params.code_challenge_method ?? '(absent: plain)'}` : 'no code_challenge';
  return {
    status: 'broken',
    message: `The authorization request has ${actual}: FAPI 2.0 requires PKCE with S256.`,
    evidence: leg ? [evidence(leg, whereOf(leg, 'code_challenge_method'), actual)] : [],
    expected: 'code_challenge with code_challenge_method=S256',
    actual,
  };
}

function issRequired(flow: Flow): Outcome {
  const callback = callbackLeg(flow);
  if (!callback) return unobservable('no authorization response is in the capture.');
  if (callback.params.iss) return met;
  return {
    status: 'broken',
    message: 'The authorization response carries no iss: FAPI 2.0 requires RFC 9207 issuer identification so a client can detect a mix-up.',
    evidence: [evidence(callback, whereOf(callback, 'iss'), 'no iss')],
    expected: 'iss in the authorization response',
    actual: 'no iss',
  };
}

function bound(token: unknown): boolean {
  const cnf = typeof token === 'string' ? (tryDecodeJwt(token)?.payload.cnf as Record<string, unknown> | undefined) : undefined;
  return !!cnf && (typeof cnf.jkt === 'string' || typeof cnf['x5t#S256'] === 'string');
}

function senderConstrained(flow: Flow): Outcome {
  const responses = tokenLegs(flow).filter((l) => typeof l.response?.access_token === 'string');
  const uses = flow.legs.filter((l) => l.kind === 'api' || l.kind === 'userinfo');
  if (responses.length === 0 && uses.length === 0) {
    return unobservable(flow.observability.tokenExchange === 'server-side' ? 'the token exchange happens on the client\'s server, where the browser cannot see the token type.' : 'no token response (with its body) is in the capture.');
  }
  for (const leg of responses) {
    const type = typeof leg.response?.token_type === 'string' ? leg.response.token_type : '';
    if (type.toLowerCase() === 'dpop' || bound(leg.response?.access_token)) continue;
    return {
      status: 'broken',
      message: `The access token issued by ${originOf(leg.event.url) ?? 'the AS'} is a plain bearer token (token_type ${type || '(absent)'}, no cnf): FAPI 2.0 requires sender-constrained tokens (DPoP or mTLS), so a stolen token is useless to the thief.`,
      evidence: [evidence(leg, 'response.body.token_type', `token_type=${type || '(absent)'}`)],
      expected: 'token_type DPoP, or a cnf binding',
      actual: `token_type ${type || '(absent)'}, no cnf`,
    };
  }
  for (const use of uses) {
    const presented = bearerToken(use.event.requestHeaders);
    if (presented && presented.scheme !== 'DPoP' && !bound(presented.token)) {
      return {
        status: 'broken',
        message: 'The page presents its access token as a plain Bearer token: FAPI 2.0 requires sender-constrained tokens (DPoP or mTLS).',
        evidence: [evidence(use, 'header.authorization', 'Bearer …')],
        expected: 'Authorization: DPoP with a proof, or an mTLS-bound token',
        actual: 'Authorization: Bearer',
      };
    }
  }
  return met;
}

function signedObjects(flow: Flow): { leg: Leg; what: string; where: string; alg: unknown }[] {
  const found: { leg: Leg; what: string; where: string; alg: unknown }[] = [];
  for (const t of issuedTokensOf(flow)) {
    if (t.kind === 'id_token') found.push({ leg: t.leg, what: 'ID token', where: 'id_token.header.alg', alg: tryDecodeJwt(t.raw)?.header.alg });
  }
  for (const leg of flow.legs) {
    if (leg.jarm) found.push({ leg, what: 'JARM response', where: `${whereOf(leg, 'response')}.header.alg`, alg: tryDecodeJwt(leg.jarm)?.header.alg });
    if (leg.requestObject) found.push({ leg, what: 'request object', where: 'request.header.alg', alg: tryDecodeJwt(leg.requestObject.jwt)?.header.alg });
  }
  return found.filter((f) => f.alg !== undefined);
}

function algs(flow: Flow): Outcome {
  const objects = signedObjects(flow);
  if (objects.length === 0) return unobservable('no ID token, JARM response or request object of this flow is in the capture.');
  const bad = objects.filter((o) => typeof o.alg !== 'string' || !FAPI_ALGS.has(o.alg));
  if (bad.length === 0) return met;
  const list = bad.map((o) => `${o.what} ${String(o.alg)}`).join(', ');
  return {
    status: 'broken',
    message: `Signed with algorithms FAPI 2.0 does not allow: ${list}. Only PS256, ES256 and EdDSA are permitted (RS256's PKCS#1 v1.5 padding and symmetric algorithms are not).`,
    evidence: bad.map((o) => evidence(o.leg, o.where, `alg=${JSON.stringify(o.alg)}`)),
    expected: 'PS256, ES256 or EdDSA',
    actual: list,
  };
}

function no307(flow: Flow, events: readonly Leg['event'][]): Outcome {
  const front = authorizationLeg(flow);
  if (!front) return unobservable('the front-channel authorization request is not in the capture.');
  const asOrigin = originOf(front.event.url);
  const end = callbackLeg(flow)?.event.seq ?? Number.POSITIVE_INFINITY;
  const hit = events.find((e) => e.seq >= front.event.seq && e.seq <= end && e.status === 307 && originOf(e.url) === asOrigin && !e.fromInspector);
  if (!hit) return met;
  return {
    status: 'broken',
    message: `The authorization server redirected with HTTP 307 (${hit.method} ${originOf(hit.url) ?? ''}): a 307 makes the browser re-send a POST body (the user's credentials) to the redirect target. FAPI 2.0 forbids it; use 303.`,
    evidence: [evidence(hit, 'response.status', '307')],
    expected: 'a 302 or 303 redirect',
    actual: '307',
  };
}

function publicClient(flow: Flow): Outcome {
  const requests = [...legsOf(flow, 'par'), ...tokenLegs(flow)];
  if (requests.length === 0) {
    return unobservable(flow.observability.tokenExchange === 'server-side' ? 'client authentication happens at the token endpoint, called by the client\'s server where the browser cannot see it.' : 'no token or PAR request is in the capture.');
  }
  const open = requests.find((l) => l.clientAuth === 'none');
  if (!open) return met;
  return {
    status: 'broken',
    message: `The ${open.kind === 'par' ? 'PAR' : 'token'} request carries no client authentication (no client_assertion, no mTLS certificate the capture could show): FAPI 2.0 has only confidential clients.`,
    evidence: [evidence(open, whereOf(open, 'client_id'), `client_id=${open.params.client_id ?? '(absent)'} without authentication`)],
    expected: 'private_key_jwt or mTLS client authentication',
    actual: 'none',
  };
}

const CLAUSES: readonly { id: CheckId; judge: (flow: Flow, events: readonly Leg['event'][]) => Outcome }[] = [
  { id: 'fapi2.par-required', judge: parRequired },
  { id: 'fapi2.response-type', judge: responseType },
  { id: 'fapi2.pkce-s256', judge: pkceS256 },
  { id: 'fapi2.iss-required', judge: issRequired },
  { id: 'fapi2.sender-constrained', judge: senderConstrained },
  { id: 'fapi2.alg', judge: algs },
  { id: 'fapi2.no-307', judge: no307 },
  { id: 'fapi2.public-client', judge: publicClient },
];

/** Flows that are logins (not a lone refresh or client_credentials grant, not a lone logout). */
function inScope(flow: Flow): boolean {
  return flow.legs.some((l) => l.kind === 'authorization-request' || l.kind === 'par' || l.kind === 'callback');
}

export function runFapi2(ctx: CheckContext): CheckResult & { profile: ProfileResult } {
  const result = emptyResult();
  const profile: ProfileResult = { id: 'fapi2', flows: {} };
  for (const flow of ctx.analysis.flows) {
    if (!inScope(flow)) continue;
    const verdict: ProfileVerdict = { met: [], broken: [], notObservable: [] };
    for (const clause of CLAUSES) {
      let outcome: Outcome;
      try {
        outcome = clause.judge(flow, ctx.analysis.events);
      } catch (error) {
        outcome = unobservable(`internal error: ${String(error)}`);
      }
      if (outcome.status === 'met') verdict.met.push(clause.id);
      else if (outcome.status === 'unobservable') {
        verdict.notObservable.push({ clause: clause.id, reason: outcome.reason });
        result.notEvaluated.push(notEvaluated(clause.id, flow, `FAPI 2.0: ${outcome.reason}`));
      } else {
        verdict.broken.push(clause.id);
        result.findings.push(finding(clause.id, flow, { message: outcome.message, evidence: outcome.evidence, expected: outcome.expected, actual: outcome.actual }));
      }
    }
    verdict.notObservable.push(...NEVER_OBSERVABLE);
    profile.flows[flow.id] = verdict;
  }
  return { ...result, profile };
}
