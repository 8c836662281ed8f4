import { decodeJwt, decodeProtectedHeader } from 'jose';
import { pruneDepth } from '../core/oauth/bounded-json.ts';
import type { Finding, Leg, NotEvaluated } from '../core/model.ts';

/** A JWT seen in a leg and where it travelled. */
export interface FoundJwt {
  where: string;
  token: string;
}

const JWS = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(value: unknown): value is string {
  return typeof value === 'string' && value.length < 64_000 && JWS.test(value);
}

/** Every JWT of a leg: parameters, the parsed response, bearer and DPoP headers. */
export function jwtsInLeg(leg: Leg): FoundJwt[] {
  const found: FoundJwt[] = [];
  const seen = new Set<string>();
  const add = (where: string, token: unknown) => {
    if (looksLikeJwt(token) && !seen.has(token)) {
      seen.add(token);
      found.push({ where, token });
    }
  };
  for (const [k, v] of Object.entries(leg.params)) add(`${leg.paramSource}.${k}`, v);
  // A request object fetched from a request_uri (the request= one is among the params).
  if (leg.requestObject?.source === 'request_uri') add('request_uri.object', leg.requestObject.jwt);
  for (const [k, v] of Object.entries(leg.response ?? {})) add(`response.${k}`, v);
  for (const h of leg.event.requestHeaders ?? []) {
    const name = h.name.toLowerCase();
    if (name === 'authorization') add('header.authorization', h.value.replace(/^(Bearer|DPoP)\s+/i, ''));
    if (name === 'dpop') add('header.dpop', h.value);
  }
  return found;
}

export type Decoded = { header: Record<string, unknown>; payload: Record<string, unknown> } | { error: string };

export function decodeToken(token: string): Decoded {
  try {
    return { header: pruneDepth(decodeProtectedHeader(token)) as Record<string, unknown>, payload: pruneDepth(decodeJwt(token)) as Record<string, unknown> };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export interface SignatureStatus {
  state: 'invalid' | 'unsigned' | 'not-evaluated' | 'no-problem-reported';
  text: string;
}

/**
 * What the engine said about a token's signature. The panel does not verify:
 * it never claims "valid" on its own, only repeats the engine's findings.
 */
export function signatureStatus(legId: string, findings: readonly Finding[], notEvaluated: readonly NotEvaluated[], flowId: string): SignatureStatus {
  const onLeg = (f: Finding) => f.evidence.some((e) => e.requestId === legId);
  if (findings.some((f) => f.check === 'jwt.alg-none' && onLeg(f))) return { state: 'unsigned', text: 'unsigned (alg none): jwt.alg-none' };
  if (findings.some((f) => f.check === 'jwt.signature-invalid' && onLeg(f))) return { state: 'invalid', text: 'signature does not verify: jwt.signature-invalid' };
  const skipped = notEvaluated.find((n) => n.check === 'jwt.signature-invalid' && (n.flowId === flowId || n.flowId === '*'));
  if (skipped) return { state: 'not-evaluated', text: `signature not evaluated: ${skipped.reason}` };
  return { state: 'no-problem-reported', text: 'the engine reported no signature problem' };
}
