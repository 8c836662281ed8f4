/**
 * Signing material and ID token minting for the flawed authorization server,
 * with each ID token flaw applied on request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import type { Flaw } from './flawed-clients.ts';

export interface Keys {
  kid: string;
  privateKey: CryptoKey;
  /** A key that is NOT in the JWKS, used for the bad-signature flaw. */
  rogueKey: CryptoKey;
  jwks: { keys: JWK[] };
}

export async function makeKeys(): Promise<Keys> {
  const kid = 'demo-rs256-1';
  const pair = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256');
  const jwk = await exportJWK(pair.publicKey);
  return {
    kid,
    privateKey: pair.privateKey,
    rogueKey: rogue.privateKey,
    jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] },
  };
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** OIDC §3.3.2.11: left half of SHA-256, base64url. */
export function halfHash(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  sub: string;
  nonce?: string;
  accessToken?: string;
  code?: string;
  flaws: ReadonlySet<Flaw>;
}

export async function mintIdToken(keys: Keys, input: IdTokenInput): Promise<string> {
  const { flaws } = input;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: flaws.has('id-wrong-iss') ? 'https://login.example.test/common/v2.0' : input.issuer,
    sub: input.sub,
    aud: flaws.has('id-wrong-aud') ? 'another-app-client-id' : input.clientId,
    iat: flaws.has('id-expired') ? now - 7200 : now,
    exp: flaws.has('id-expired') ? now - 3600 : now + 3600,
    auth_time: now - 5,
    name: `Demo ${input.sub}`,
  };
  if (input.nonce !== undefined) claims.nonce = flaws.has('id-wrong-nonce') ? `n-${randomToken(16)}` : input.nonce;
  if (input.accessToken !== undefined) {
    claims.at_hash = halfHash(flaws.has('id-wrong-at-hash') ? `${input.accessToken}x` : input.accessToken);
  }
  if (input.code !== undefined) {
    claims.c_hash = halfHash(flaws.has('id-wrong-c-hash') ? `${input.code}x` : input.code);
  }
  if (flaws.has('id-alg-none')) {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
  }
  const key = flaws.has('id-bad-signature') ? keys.rogueKey : keys.privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: keys.kid, typ: 'JWT' }).sign(key);
}
