/**
 * Finding an issuer's signing keys: a JWKS in the capture, reached through
 * the issuer's discovery document (`jwks_uri`); else, only when the caller
 * passed `fetchJson`, the discovery document and the JWKS fetched for it.
 * Core does no I/O of its own. Every miss is a reason, never a pass.
 */
import type { Analysis, AuditOptions } from '../model.ts';
import { safeUrl, trimTrailing } from './params.ts';

export type KeyLookup =
  | { jwks: unknown; source: string }
  | { reason: string };

export interface KeyResolver {
  keysFor(issuer: string): Promise<KeyLookup>;
}

function sameUrl(a: string, b: string): boolean {
  if (a === b) return true;
  const x = safeUrl(a);
  const y = safeUrl(b);
  return !!x && !!y && x.href === y.href;
}

function isKeySet(value: unknown): boolean {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return Array.isArray(keys);
}

function capturedJwks(analysis: Analysis, uri: string): unknown {
  for (const [url, jwks] of Object.entries(analysis.jwks)) {
    if (sameUrl(url, uri)) return jwks;
  }
  return undefined;
}

/** `${issuer}/.well-known/openid-configuration`, with the issuer's trailing slash dropped (OIDC Discovery §4). */
export function discoveryUrlOf(issuer: string): string {
  return `${trimTrailing(issuer, '/')}/.well-known/openid-configuration`;
}

async function resolve(issuer: string, analysis: Analysis, fetchJson: AuditOptions['fetchJson']): Promise<KeyLookup> {
  const doc = analysis.metadata.find((m) => m.document.issuer === issuer);
  let jwksUri = typeof doc?.document.jwks_uri === 'string' ? doc.document.jwks_uri : undefined;
  if (doc && !jwksUri) return { reason: `the discovery document of ${issuer} has no jwks_uri` };
  if (!jwksUri) {
    if (!fetchJson) {
      return { reason: `neither the discovery document nor the JWKS of ${issuer} is in the capture, and fetching keys is not allowed` };
    }
    const url = discoveryUrlOf(issuer);
    let fetched: unknown;
    try {
      fetched = await fetchJson(url, { issuer });
    } catch (error) {
      return { reason: `fetching ${url} failed (${error instanceof Error ? error.message : String(error)})` };
    }
    const discovered = fetched as { issuer?: unknown; jwks_uri?: unknown } | null;
    if (!discovered || typeof discovered !== 'object') return { reason: `${url} did not return a JSON object` };
    if (discovered.issuer !== issuer) {
      return { reason: `${url} names the issuer ${String(discovered.issuer)}, not ${issuer}: its keys cannot be trusted for this issuer` };
    }
    if (typeof discovered.jwks_uri !== 'string') return { reason: `the discovery document at ${url} has no jwks_uri` };
    jwksUri = discovered.jwks_uri;
  }
  const inCapture = capturedJwks(analysis, jwksUri);
  if (isKeySet(inCapture)) return { jwks: inCapture, source: `${jwksUri} (captured)` };
  if (!fetchJson) return { reason: `the JWKS at ${jwksUri} is not in the capture, and fetching keys is not allowed` };
  try {
    const jwks = await fetchJson(jwksUri, { issuer });
    if (!isKeySet(jwks)) return { reason: `${jwksUri} did not return a JSON Web Key Set` };
    return { jwks, source: `${jwksUri} (fetched)` };
  } catch (error) {
    return { reason: `fetching ${jwksUri} failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** One lookup per issuer per audit, however many tokens it signed. */
export function createKeyResolver(analysis: Analysis, options: AuditOptions): KeyResolver {
  const cache = new Map<string, Promise<KeyLookup>>();
  return {
    keysFor(issuer) {
      let pending = cache.get(issuer);
      if (!pending) {
        pending = resolve(issuer, analysis, options.fetchJson);
        cache.set(issuer, pending);
      }
      return pending;
    },
  };
}
