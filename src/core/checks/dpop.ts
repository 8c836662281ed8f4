/**
 * DPoP proofs as a resource or authorization server must check them, for
 * every request that carries a `DPoP` header (token requests and API calls).
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
import type { JWK } from 'jose';
import type { CheckResult, Evidence, Flow, RequestEvent } from '../model.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { bearerToken, header, safeUrl } from '../oauth/params.ts';
import { PRIVATE_JWK_MEMBERS, isSymmetricOrNone, sha256Base64url, verifyWithJwk } from '../oauth/verify.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence } from './excerpt.ts';

export interface Problem {
  where: string;
  excerpt: string;
  /** A sentence naming what was seen and what was expected. */
  text: string;
  expected: string;
  actual: string;
}

/** `scheme://host[:port]/path` with the query and fragment dropped, normalised as RFC 9449 §4.3 (9) allows. */
function htuForm(url: string): string | undefined {
  const parsed = safeUrl(url);
  return parsed ? `${parsed.protocol}//${parsed.host}${parsed.pathname}` : undefined;
}

/** What is wrong with one DPoP proof as sent on this request (empty: a valid proof). */
export async function problemsOf(event: RequestEvent, proof: string, unverified: (reason: string) => void, skewSeconds = 300): Promise<Problem[]> {
  const decoded = tryDecodeJwt(proof);
  if (!decoded) {
    return [{ where: 'header.dpop', excerpt: '(not a JWT)', text: 'The DPoP header is not a signed JWT.', expected: 'a JWS-signed JWT', actual: 'not a JWT' }];
  }
  const { header: h, payload } = decoded;
  const problems: Problem[] = [];
  const add = (where: string, value: unknown, text: string, expected: string) =>
    problems.push({ where, excerpt: `${where.split('.').pop() ?? where}=${value === undefined ? '(absent)' : JSON.stringify(value)}`, text, expected, actual: value === undefined ? '(absent)' : JSON.stringify(value) });

  if (typeof h.typ !== 'string' || h.typ.toLowerCase() !== 'dpop+jwt') {
    add('dpop.header.typ', h.typ, `its typ is ${h.typ === undefined ? 'missing' : JSON.stringify(h.typ)} instead of "dpop+jwt"`, '"dpop+jwt"');
  }
  const algUsable = !isSymmetricOrNone(h.alg);
  if (!algUsable) {
    add('dpop.header.alg', h.alg, `its alg is ${h.alg === undefined ? 'missing' : JSON.stringify(h.alg)}, but a proof must be signed with an asymmetric algorithm (not none, not HMAC)`, 'an asymmetric alg (ES256, RS256, EdDSA…)');
  }
  const jwk = h.jwk as Record<string, unknown> | undefined;
  let keyUsable = false;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) {
    add('dpop.header.jwk', jwk, 'it has no jwk header with the public key to verify it', 'a public JWK');
  } else {
    const privateMembers = PRIVATE_JWK_MEMBERS.filter((m) => jwk[m] !== undefined);
    if (privateMembers.length > 0 || jwk.kty === 'oct') {
      add(
        'dpop.header.jwk',
        privateMembers.length > 0 ? `{…${privateMembers.join(',')}…}` : { kty: jwk.kty },
        privateMembers.length > 0
          ? `its jwk contains private key members (${privateMembers.join(', ')}): the client's private key is sent with every request`
          : 'its jwk is a symmetric (oct) key',
        'a public key only',
      );
    } else keyUsable = true;
  }
  if (algUsable && keyUsable && typeof h.alg === 'string' && jwk) {
    const check = await verifyWithJwk(proof, jwk as JWK, h.alg);
    if (check.status === 'invalid') {
      add('dpop.signature', undefined, `its signature does not verify with its own jwk (${check.reason})`, 'a signature by the jwk in the header');
    } else if (check.status === 'unverifiable') unverified(check.reason);
  }
  if (payload.htm !== event.method) {
    add('dpop.payload.htm', payload.htm, `its htm is ${payload.htm === undefined ? 'missing' : JSON.stringify(payload.htm)}, but the request method is ${event.method}`, JSON.stringify(event.method));
  }
  const requestHtu = htuForm(event.url);
  const proofHtu = typeof payload.htu === 'string' ? htuForm(payload.htu) : undefined;
  if (!proofHtu || proofHtu !== requestHtu) {
    add('dpop.payload.htu', payload.htu, `its htu is ${payload.htu === undefined ? 'missing' : JSON.stringify(payload.htu)}, but the request went to ${requestHtu ?? event.url}`, JSON.stringify(requestHtu ?? event.url));
  }
  if (typeof payload.iat !== 'number') {
    add('dpop.payload.iat', payload.iat, 'it has no numeric iat, so its freshness cannot be checked', 'a numeric iat');
  } else {
    // RFC 9449 §4.3 (11): iat within an acceptable window of the time the request was made.
    const sent = Math.floor(event.time / 1000);
    if (Math.abs(payload.iat - sent) > skewSeconds) {
      add('dpop.payload.iat', payload.iat, `its iat is ${payload.iat - sent} seconds off the time of the request (more than ${skewSeconds} seconds)`, `within ${skewSeconds} seconds of ${sent}`);
    }
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    add('dpop.payload.jti', payload.jti, 'it has no jti, so a replayed proof cannot be detected', 'a unique jti');
  }
  const presented = bearerToken(event.requestHeaders);
  if (presented?.scheme === 'DPoP') {
    const ath = await sha256Base64url(presented.token);
    if (payload.ath !== ath) {
      add(
        'dpop.payload.ath',
        payload.ath,
        payload.ath === undefined
          ? 'it has no ath, though the request presents a DPoP-bound access token'
          : `its ath is ${JSON.stringify(payload.ath)}, but BASE64URL(SHA256(access token)) of the token this request presents is "${ath}"`,
        JSON.stringify(ath),
      );
    }
  }
  return problems;
}

function flowOf(flows: readonly Flow[], event: RequestEvent): Flow | undefined {
  return flows.find((flow) => flow.legs.some((leg) => leg.event.id === event.id));
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const result = emptyResult();
  for (const event of ctx.analysis.events) {
    const proof = header(event.requestHeaders, 'dpop');
    if (proof === undefined) continue;
    const target = flowOf(ctx.analysis.flows, event) ?? '*';
    const problems = await problemsOf(
      event,
      proof.trim(),
      (reason) => result.notEvaluated.push(notEvaluated('dpop.proof-invalid', target, `the signature of the DPoP proof on ${event.method} ${htuForm(event.url) ?? event.url} could not be checked: ${reason}.`)),
      ctx.options.clockSkewSeconds,
    );
    if (problems.length === 0) continue;
    const proofEvidence: Evidence = evidence(event, 'header.dpop', ctx.mask(proof));
    const sentences = problems.map((p) => p.text);
    const list = sentences.length === 1 ? sentences[0] : `${sentences.slice(0, -1).join('; ')}; and ${sentences[sentences.length - 1]}`;
    result.findings.push(
      finding('dpop.proof-invalid', target, {
        message: `The DPoP proof on ${event.method} ${htuForm(event.url) ?? event.url} is invalid: ${list}. A server must reject such a proof (RFC 9449 §4.3).`,
        evidence: [proofEvidence, ...problems.map((p) => evidence(event, p.where, p.excerpt))],
        expected: problems.map((p) => `${p.where.replace(/^dpop\./, '')}: ${p.expected}`).join('; '),
        actual: problems.map((p) => `${p.where.replace(/^dpop\./, '')}: ${p.actual}`).join('; '),
      }),
    );
  }
  return result;
}

export const dpopChecks: CheckFamily = {
  name: 'dpop',
  ids: ['dpop.proof-invalid'],
  run,
};
