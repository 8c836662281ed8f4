/**
 * The inspector's own PKCE pair and state for a fresh authorization request.
 * Web Crypto only (available in the worker, the panel, Node 20 and the tests).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
import { base64url } from 'jose';
import { sha256Base64url } from '../hash.ts';

export interface PkcePair {
  code_verifier: string;
  code_challenge: string;
  code_challenge_method: 'S256';
}

/** `bytes` random bytes as base64url (32 bytes -> 43 characters). */
export function randomToken(bytes = 32): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return base64url.encode(buffer);
}

/** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2. */
export async function s256(verifier: string): Promise<string> {
  return sha256Base64url(verifier);
}

/** A verifier of 43 characters of [A-Za-z0-9-_] and its S256 challenge. */
export async function createPkcePair(): Promise<PkcePair> {
  const code_verifier = randomToken(32);
  return { code_verifier, code_challenge: await s256(code_verifier), code_challenge_method: 'S256' };
}

/** 128 bits of state (or nonce): unguessable, and recognisable as the inspector's by its prefix. */
export function createState(): string {
  return `lens-${randomToken(16)}`;
}
