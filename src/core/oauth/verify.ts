/**
 * Hashes and signature verification for the token, ID token and DPoP checks.
 * jose for every JWS/JWK/base64url need, crypto.subtle for SHA-2 (a global in
 * workers, browsers and Node 20). Nothing here throws on hostile input: every
 * outcome is a value.
 */
import { base64url, compactVerify, createLocalJWKSet, errors, importJWK, type JWK, type JSONWebKeySet } from 'jose';

type Sha = 'SHA-256' | 'SHA-384' | 'SHA-512';

async function digest(hash: Sha, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(text)));
}

export { sha256Base64url } from '../hash.ts';

/**
 * The hash a JWS alg uses, which at_hash/c_hash reuse (OIDC §3.1.3.6, §3.3.2.11;
 * EdDSA with Ed25519 uses SHA-512, OIDC Core errata 2). Undefined when unknown.
 */
export function hashOfAlg(alg: unknown): Sha | undefined {
  if (typeof alg !== 'string') return undefined;
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'SHA-512';
  const bits = /^(?:HS|RS|PS|ES)(256|384|512)K?$/.exec(alg)?.[1];
  return bits ? (`SHA-${bits}` as Sha) : undefined;
}

/**
 * at_hash / c_hash: base64url of the left-most half of the hash of the ASCII
 * value, with the hash of the ID token's alg (OIDC §3.2.2.9). Undefined when
 * the alg has no known hash.
 */
export async function leftHalfHash(value: string, alg: unknown): Promise<string | undefined> {
  const hash = hashOfAlg(alg);
  if (!hash) return undefined;
  const full = await digest(hash, value);
  return base64url.encode(full.slice(0, full.length / 2));
}

export type SignatureCheck =
  | { status: 'valid' }
  | { status: 'invalid'; reason: string }
  /** Could not be decided (unsupported alg, unusable key): never a pass. */
  | { status: 'unverifiable'; reason: string };

const SYMMETRIC_OR_NONE = /^(?:none|HS\d+)$/i;

export function isSymmetricOrNone(alg: unknown): boolean {
  return typeof alg !== 'string' || SYMMETRIC_OR_NONE.test(alg);
}

function explain(error: unknown): SignatureCheck {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { status: 'invalid', reason: 'the signature does not verify with the key' };
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return { status: 'invalid', reason: 'no key in the key set matches the token\'s kid and alg' };
  }
  if (error instanceof errors.JWSInvalid) {
    return { status: 'invalid', reason: `the token is not a well-formed JWS (${error.message})` };
  }
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JOSEAlgNotAllowed) {
    return { status: 'unverifiable', reason: `the algorithm cannot be verified here (${error.message})` };
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKInvalid) {
    return { status: 'unverifiable', reason: `the key is unusable (${error.message})` };
  }
  return { status: 'unverifiable', reason: `verification failed to run (${error instanceof Error ? error.message : String(error)})` };
}

/**
 * Verifies only the signature of a compact JWS against a key set. Claims
 * (exp, iss, aud…) are checked by the callers, each under its own id, so the
 * signature is verified with compactVerify rather than jwtVerify, which would
 * mix claim errors into signature errors.
 */
export async function verifyWithKeySet(token: string, jwks: unknown): Promise<SignatureCheck> {
  let getKey: ReturnType<typeof createLocalJWKSet>;
  try {
    getKey = createLocalJWKSet(jwks as JSONWebKeySet);
  } catch (error) {
    return explain(error);
  }
  try {
    await compactVerify(token, getKey);
    return { status: 'valid' };
  } catch (error) {
    // Several keys share the kid (or there is no kid): try each one, as jose suggests.
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      try {
        for await (const key of error) {
          try {
            await compactVerify(token, key);
            return { status: 'valid' };
          } catch (inner) {
            if (!(inner instanceof errors.JWSSignatureVerificationFailed)) continue;
          }
        }
      } catch (iteration) {
        return explain(iteration);
      }
      return { status: 'invalid', reason: 'the signature does not verify with any of the issuer\'s matching keys' };
    }
    return explain(error);
  }
}

/** Verifies a compact JWS with one public JWK (a DPoP proof's own `jwk`). */
export async function verifyWithJwk(token: string, jwk: JWK, alg: string): Promise<SignatureCheck> {
  try {
    const key = await importJWK(jwk, alg);
    await compactVerify(token, key);
    return { status: 'valid' };
  } catch (error) {
    return explain(error);
  }
}

/** Private members of a JWK (RFC 7517/7518): a key carrying any of them is not public. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth', 'priv'] as const;
