/**
 * What DPoP binds, across requests: a proof used twice, a token bound to
 * another key than the one presenting it, and a server that ignores proofs.
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { CheckResult, Flow, Leg, RequestEvent } from '../model.ts';
import { tokenLegs } from '../flows/legs.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { bearerToken, endpointOf, header } from '../oauth/params.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { problemsOf } from './dpop.ts';
import { evidence } from './excerpt.ts';

interface Proof {
  event: RequestEvent;
  raw: string;
  jti?: string;
  jkt?: string;
}

async function thumbprintOf(jwk: unknown): Promise<string | undefined> {
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) return undefined;
  try {
    return await calculateJwkThumbprint(jwk as JWK, 'sha256');
  } catch {
    return undefined;
  }
}

async function proofsOf(events: readonly RequestEvent[]): Promise<Proof[]> {
  const proofs: Proof[] = [];
  for (const event of events) {
    const raw = header(event.requestHeaders, 'dpop')?.trim();
    if (!raw) continue;
    const decoded = tryDecodeJwt(raw);
    const proof: Proof = { event, raw };
    if (typeof decoded?.payload.jti === 'string') proof.jti = decoded.payload.jti;
    const jkt = await thumbprintOf(decoded?.header.jwk);
    if (jkt) proof.jkt = jkt;
    proofs.push(proof);
  }
  return proofs;
}

function flowOf(flows: readonly Flow[], event: RequestEvent): Flow | string {
  return flows.find((flow) => flow.legs.some((leg) => leg.event.id === event.id)) ?? '*';
}

function label(event: RequestEvent): string {
  return `${event.method} ${endpointOf(event.url) ?? event.url}`;
}

function succeeded(event: RequestEvent): boolean {
  return event.status !== undefined && event.status >= 200 && event.status < 300;
}

// ---- dpop.proof-replayed ----

function checkReplay(ctx: CheckContext, proofs: Proof[], result: CheckResult): void {
  const byJti = new Map<string, Proof[]>();
  for (const proof of proofs) {
    if (!proof.jti) continue;
    const list = byJti.get(proof.jti) ?? [];
    // Redirect hops of one request resend the same headers: one use.
    if (!list.some((p) => p.event.requestId === proof.event.requestId)) list.push(proof);
    byJti.set(proof.jti, list);
  }
  for (const [jti, list] of byJti) {
    const [first, second] = list;
    if (!first || !second) continue;
    const accepted = succeeded(second.event);
    result.findings.push(
      finding('dpop.proof-replayed', flowOf(ctx.analysis.flows, second.event), {
        message: `Two requests carry DPoP proofs with the same jti ${JSON.stringify(jti)} (${label(first.event)}, then ${label(second.event)}). A proof is for one request: ${accepted ? `the server accepted the second one (HTTP ${second.event.status}), so it does not track jtis and a captured proof can be replayed (severity raised to high)` : 'the client reuses proofs, which a server checking jti must reject'}.`,
        evidence: [evidence(first.event, 'header.dpop.payload.jti', `jti=${JSON.stringify(jti)}`), evidence(second.event, 'header.dpop.payload.jti', `jti=${JSON.stringify(jti)}`)],
        expected: 'a fresh jti in every proof',
        actual: `jti used ${list.length} times${accepted ? '; the replay was accepted' : ''}`,
        ...(accepted ? { severity: 'high' as const } : {}),
      }),
    );
  }
}

// ---- dpop.binding-mismatch / dpop.ignored (token responses) ----

function tokenType(leg: Leg): string | undefined {
  const type = leg.response?.token_type;
  return typeof type === 'string' ? type : undefined;
}

function cnfJkt(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const cnf = tryDecodeJwt(token)?.payload.cnf as { jkt?: unknown } | undefined;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
}

async function checkTokenResponses(ctx: CheckContext, flow: Flow, proofs: Map<string, Proof>, result: CheckResult): Promise<void> {
  for (const leg of tokenLegs(flow)) {
    const proof = proofs.get(leg.event.id);
    if (!leg.response) {
      if (proof && leg.event.responseBodyState !== 'captured') {
        result.notEvaluated.push(notEvaluated('dpop.ignored', flow, `The response to the token request ${label(leg.event)} was not captured, so whether the AS issued a DPoP-bound token is unknown.`));
      }
      continue;
    }
    const type = tokenType(leg);
    if (!proof) {
      if (type?.toLowerCase() === 'dpop') {
        result.findings.push(
          finding('dpop.binding-mismatch', flow, {
            message: `The token response to ${label(leg.event)} says token_type DPoP, but the request carried no DPoP proof: the token cannot be bound to a key the client proved it holds.`,
            evidence: [evidence(leg, 'response.body.token_type', `token_type=${type}`), evidence(leg, 'header.dpop', 'no DPoP header')],
            expected: 'token_type DPoP only for a request with a valid proof',
            actual: 'token_type DPoP, no proof',
          }),
        );
      }
      continue;
    }
    const jkt = cnfJkt(leg.response.access_token);
    if (jkt && proof.jkt && jkt !== proof.jkt) {
      result.findings.push(
        finding('dpop.binding-mismatch', flow, {
          message: `The access token issued to ${label(leg.event)} is bound (cnf.jkt) to the key ${jkt}, but the proof on that request was signed by the key ${proof.jkt}: the token is bound to a key the client did not prove it holds.`,
          evidence: [evidence(leg, 'access_token.payload.cnf.jkt', `cnf.jkt=${jkt}`), evidence(leg, 'header.dpop.header.jwk', `thumbprint=${proof.jkt}`)],
          expected: `cnf.jkt=${proof.jkt}`,
          actual: `cnf.jkt=${jkt}`,
        }),
      );
    }
    if (!type || type.toLowerCase() !== 'bearer' || typeof leg.response.access_token !== 'string') continue;
    const problems = await problemsOf(leg.event, proof.raw, () => undefined, ctx.options.clockSkewSeconds);
    if (problems.length > 0) continue;
    result.findings.push(
      finding('dpop.ignored', flow, {
        message: `The token request ${label(leg.event)} carried a valid DPoP proof, but the authorization server answered token_type Bearer${jkt ? '' : ' and the token carries no cnf.jkt'}: it ignored the proof. The client believes its tokens are sender-constrained; a stolen one works for anyone.`,
        evidence: [evidence(leg, 'response.body.token_type', `token_type=${type}`), evidence(leg, 'header.dpop', ctx.mask(proof.raw))],
        expected: 'token_type DPoP',
        actual: `token_type ${type}`,
      }),
    );
  }
}

// ---- dpop.binding-mismatch (presentation) ----

function checkPresentations(ctx: CheckContext, proofs: Proof[], result: CheckResult): void {
  for (const proof of proofs) {
    const presented = bearerToken(proof.event.requestHeaders);
    if (!presented) continue;
    const jkt = cnfJkt(presented.token);
    if (!jkt || !proof.jkt || jkt === proof.jkt) continue;
    result.findings.push(
      finding('dpop.binding-mismatch', flowOf(ctx.analysis.flows, proof.event), {
        message: `${label(proof.event)} presents an access token bound (cnf.jkt) to the key ${jkt} with a DPoP proof signed by another key (${proof.jkt})${succeeded(proof.event) ? `, and the server accepted it (HTTP ${proof.event.status}): it does not check the binding` : ''}.`,
        evidence: [evidence(proof.event, 'header.authorization.payload.cnf.jkt', `cnf.jkt=${jkt}`), evidence(proof.event, 'header.dpop.header.jwk', `thumbprint=${proof.jkt}`)],
        expected: `a proof by the key ${jkt}`,
        actual: `a proof by the key ${proof.jkt}`,
      }),
    );
  }
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const result = emptyResult();
  const proofs = await proofsOf(ctx.analysis.events);
  checkReplay(ctx, proofs, result);
  checkPresentations(ctx, proofs, result);
  const byEvent = new Map(proofs.map((p) => [p.event.id, p]));
  for (const flow of ctx.analysis.flows) await checkTokenResponses(ctx, flow, byEvent, result);
  return result;
}

export const dpopBindingChecks: CheckFamily = {
  name: 'dpop-binding',
  ids: ['dpop.proof-replayed', 'dpop.binding-mismatch', 'dpop.ignored'],
  run,
};
