/**
 * Real keys and jose-signed JWTs for tests of JWT-carrying legs: ID tokens,
 * JARM responses, request objects, DPoP proofs. Times line up with the flow
 * builder's clock (its first event is at 1_700_000_000 s, then one a second).
 */
import { createHash } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

export const BUILDER_EPOCH = 1_700_000_000;

export interface Signer {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key. */
  thumbprint: string;
}

export async function signer(alg: 'ES256' | 'PS256' | 'RS256' = 'ES256', kid = `k-${alg}`): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk, thumbprint: await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256') };
}

/** `{"keys":[…]}` as one line, for a captured JWKS response. */
export function jwksJson(...signers: Signer[]): string {
  return JSON.stringify({ keys: signers.map((s) => s.publicJwk) });
}

export function sign(s: Signer, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: s.alg, kid: s.kid, ...header } as { alg: string }).sign(s.privateKey);
}

/** An unsecured JWT (alg none), as jose will not write one. */
export function unsigned(claims: object, header: object = {}): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', ...header })}.${enc(claims)}.`;
}

export function ath(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A DPoP proof by `key` for one request (RFC 9449 §4.2). `second` is the builder's event index (iat). */
export async function dpopProof(key: Signer, htm: string, htu: string, options: { jti?: string; second?: number; accessToken?: string; jwk?: JWK } = {}): Promise<string> {
  const claims: JWTPayload = { htm, htu, jti: options.jti ?? `jti-${Math.random().toString(36).slice(2)}`, iat: BUILDER_EPOCH + (options.second ?? 0) };
  if (options.accessToken) claims.ath = ath(options.accessToken);
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = options.jwk ?? key.publicJwk;
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk }).sign(key.privateKey);
}
