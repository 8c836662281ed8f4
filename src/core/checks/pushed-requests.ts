/**
 * Requests and responses carried as JWTs or by reference: PAR request_uris
 * (one use, short life), JAR request objects (signed), JARM responses
 * (validated like an ID token).
 * @see https://www.rfc-editor.org/rfc/rfc9126
 * @see https://www.rfc-editor.org/rfc/rfc9101
 * @see https://openid.net/specs/oauth-v2-jarm-final.html#section-4.4
 */
import type { CheckResult, Flow, Leg } from '../model.ts';
import { legsOf, whereOf } from '../flows/legs.ts';
import { createKeyResolver, type KeyResolver } from '../oauth/issuer-keys.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { endpointOf, originOf } from '../oauth/params.ts';
import { isSymmetricOrNone, verifyWithKeySet } from '../oauth/verify.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence, paramExcerpt } from './excerpt.ts';

/** RFC 9126 §2.2 suggests 5 to 600 seconds; FAPI 2.0 makes 600 the limit. */
const MAX_REQUEST_URI_LIFETIME = 600;

// ---- par.request-uri-reused ----

function checkReuse(ctx: CheckContext, result: CheckResult): void {
  const uses = new Map<string, { flow: Flow; leg: Leg }[]>();
  for (const flow of ctx.analysis.flows) {
    const seenRequests = new Set<string>();
    for (const leg of legsOf(flow, 'authorization-request')) {
      const uri = leg.params.request_uri;
      // A redirect hop of one navigation is one use.
      if (!uri || seenRequests.has(leg.event.requestId)) continue;
      seenRequests.add(leg.event.requestId);
      const list = uses.get(uri) ?? [];
      if (!list.some((u) => u.flow === flow)) list.push({ flow, leg });
      uses.set(uri, list);
    }
  }
  for (const [uri, list] of uses) {
    if (list.length < 2) continue;
    const [first, second] = list as [{ flow: Flow; leg: Leg }, { flow: Flow; leg: Leg }];
    const answer = legsOf(second.flow, 'callback').find((l) => l.event.seq >= second.leg.event.seq);
    const coded = answer?.params.code !== undefined;
    result.findings.push(
      finding('par.request-uri-reused', second.flow, {
        message: `The PAR request_uri ${uri} was used in ${list.length} authorization requests${coded ? ', and the authorization server answered the second one with a code: it does not treat request_uris as one-time use, so a leaked request_uri starts a login with the victim\'s pushed parameters (severity raised to high)' : '. A request_uri stands for one pushed request (its PKCE challenge and state are unique to it): the client should push a new request for each login, and the AS should refuse a used one'}.`,
        evidence: [
          evidence(first.leg, whereOf(first.leg, 'request_uri'), paramExcerpt('request_uri', uri, ctx.mask)),
          evidence(second.leg, whereOf(second.leg, 'request_uri'), paramExcerpt('request_uri', uri, ctx.mask)),
          ...(answer && coded ? [evidence(answer, whereOf(answer, 'code'), paramExcerpt('code', answer.params.code ?? '', ctx.mask))] : []),
        ],
        expected: 'each request_uri used once',
        actual: `used ${list.length} times${coded ? '; the second use got a code' : ''}`,
        ...(coded ? { severity: 'high' as const } : {}),
      }),
    );
  }
}

// ---- par.request-uri-long-lived ----

function checkLifetime(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  for (const par of legsOf(flow, 'par')) {
    if (!par.response) {
      if (par.event.responseBodyState !== 'captured') {
        result.notEvaluated.push(notEvaluated('par.request-uri-long-lived', flow, 'The PAR response body was not captured, so its expires_in is unknown.'));
      }
      continue;
    }
    const expiresIn = Number(par.response.expires_in);
    if (!Number.isFinite(expiresIn) || expiresIn <= MAX_REQUEST_URI_LIFETIME) continue;
    result.findings.push(
      finding('par.request-uri-long-lived', flow, {
        message: `The PAR endpoint ${endpointOf(par.event.url) ?? ''} issued a request_uri valid for ${expiresIn} seconds. A request_uri is a bearer handle to the pushed request; the longer it lives, the longer a leaked one can start a login. RFC 9126 suggests 5 to 600 seconds, and FAPI 2.0 requires at most 600.`,
        evidence: [evidence(par, 'response.body.expires_in', `expires_in=${expiresIn}`)],
        expected: `expires_in ≤ ${MAX_REQUEST_URI_LIFETIME}`,
        actual: `expires_in=${expiresIn}`,
      }),
    );
  }
}

// ---- jar.unsigned ----

function checkUnsigned(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  for (const leg of flow.legs) {
    const object = leg.requestObject;
    if (!object) continue;
    const alg = tryDecodeJwt(object.jwt)?.header.alg;
    if (typeof alg !== 'string' || alg.toLowerCase() !== 'none') continue;
    const where = object.source === 'request' ? `${whereOf(leg, 'request')}.header.alg` : 'request_uri.object.header.alg';
    result.findings.push(
      finding('jar.unsigned', flow, {
        message: `The request object ${object.source === 'request' ? 'in the request parameter' : `behind request_uri ${leg.params.request_uri ?? ''}`} has alg "${alg}": it is not signed, so it proves nothing about who wrote it and anyone in between can change its parameters (redirect_uri, scope, code_challenge). The AS must reject unsigned request objects.`,
        evidence: [evidence(leg, where, `alg=${JSON.stringify(alg)}`)],
        expected: 'a signed request object (PS256, ES256…)',
        actual: `alg ${alg}`,
      }),
    );
  }
}

// ---- jarm.invalid ----

async function checkJarm(ctx: CheckContext, flow: Flow, keys: KeyResolver, result: CheckResult): Promise<void> {
  for (const callback of legsOf(flow, 'callback')) {
    const jwt = callback.jarm;
    if (!jwt) continue;
    const where = whereOf(callback, 'response');
    const decoded = tryDecodeJwt(jwt);
    if (!decoded) {
      result.notEvaluated.push(notEvaluated('jarm.invalid', flow, jwt.split('.').length === 5 ? 'The JARM response is encrypted (JWE); the inspector does not hold the client\'s decryption key.' : 'The JARM response is not a decodable JWT.'));
      continue;
    }
    const { header: h, payload } = decoded;
    const problems: { where: string; text: string; expected: string; actual: string }[] = [];
    const skew = ctx.options.clockSkewSeconds ?? 300;
    // The callback's iss may be the JARM's own claim: only a discovery document is an independent issuer.
    const issuer = flow.issuerSource === 'discovery' ? flow.issuer : undefined;
    if (typeof payload.iss !== 'string') problems.push({ where: `${where}.payload.iss`, text: 'it has no iss', expected: issuer ?? 'the issuer', actual: '(absent)' });
    else if (issuer && payload.iss !== issuer) problems.push({ where: `${where}.payload.iss`, text: `its iss is ${payload.iss}, not the flow's issuer ${issuer}`, expected: issuer, actual: payload.iss });
    const aud = payload.aud;
    const audiences = Array.isArray(aud) ? aud : typeof aud === 'string' ? [aud] : [];
    if (!flow.clientId) result.notEvaluated.push(notEvaluated('jarm.invalid', flow, 'The flow\'s client_id is unknown, so the JARM response\'s aud cannot be checked.'));
    else if (!audiences.includes(flow.clientId)) problems.push({ where: `${where}.payload.aud`, text: `its aud is ${JSON.stringify(aud ?? null)}, not the client_id ${flow.clientId}`, expected: flow.clientId, actual: JSON.stringify(aud ?? null) });
    const received = Math.floor(callback.event.time / 1000);
    if (typeof payload.exp !== 'number') problems.push({ where: `${where}.payload.exp`, text: 'it has no exp', expected: 'an exp in the future', actual: '(absent)' });
    else if (payload.exp + skew < received) problems.push({ where: `${where}.payload.exp`, text: `it had expired ${received - payload.exp} seconds before it arrived`, expected: `exp ≥ ${received}`, actual: `exp=${payload.exp}` });
    if (typeof h.alg === 'string' && h.alg.toLowerCase() === 'none') {
      problems.push({ where: `${where}.header.alg`, text: 'it is not signed (alg none)', expected: 'a signature by the issuer', actual: 'alg none' });
    } else if (isSymmetricOrNone(h.alg)) {
      result.notEvaluated.push(notEvaluated('jarm.invalid', flow, `The JARM response is signed with ${String(h.alg)}, keyed with the client secret, which the inspector does not have: its signature was not checked.`));
    } else {
      // Without discovery, the JWT's own iss is trusted for the key lookup only when it is the authorization endpoint's host.
      const ownIss = typeof payload.iss === 'string' && originOf(payload.iss) !== undefined && originOf(payload.iss) === originOf(flow.authorizationEndpoint) ? payload.iss : undefined;
      const signer = issuer ?? ownIss;
      const lookup = signer ? await keys.keysFor(signer) : { reason: 'the flow\'s issuer is unknown (no discovery document, and the JWT\'s iss is not the authorization endpoint\'s host)' };
      if ('reason' in lookup) {
        result.notEvaluated.push(notEvaluated('jarm.invalid', flow, `The JARM response's signature could not be checked: ${lookup.reason}.`));
      } else {
        const check = await verifyWithKeySet(jwt, lookup.jwks);
        if (check.status === 'invalid') problems.push({ where: `${where}.signature`, text: `its signature does not verify against ${lookup.source} (${check.reason})`, expected: 'a valid signature by the issuer', actual: check.reason });
        else if (check.status === 'unverifiable') result.notEvaluated.push(notEvaluated('jarm.invalid', flow, `The JARM response's signature could not be checked: ${check.reason}.`));
      }
    }
    if (problems.length === 0) continue;
    result.findings.push(
      finding('jarm.invalid', flow, {
        message: `The JARM authorization response fails validation: ${problems.map((p) => p.text).join('; ')}. Its code and state cannot be trusted; a client must reject it (JARM §4.4).`,
        evidence: [evidence(callback, where, paramExcerpt('response', jwt, ctx.mask)), ...problems.map((p) => evidence(callback, p.where, p.actual))],
        expected: problems.map((p) => p.expected).join('; '),
        actual: problems.map((p) => p.actual).join('; '),
      }),
    );
  }
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const result = emptyResult();
  const keys = createKeyResolver(ctx.analysis, ctx.options);
  checkReuse(ctx, result);
  for (const flow of ctx.analysis.flows) {
    checkLifetime(ctx, flow, result);
    checkUnsigned(ctx, flow, result);
    await checkJarm(ctx, flow, keys, result);
  }
  return result;
}

export const pushedRequestChecks: CheckFamily = {
  name: 'pushed-requests',
  ids: ['par.request-uri-reused', 'par.request-uri-long-lived', 'jar.unsigned', 'jarm.invalid'],
  run,
};
