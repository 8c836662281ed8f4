/**
 * DPoP proofs of the inspector's own (RFC 9449 §4.2): a fresh ES256 key for
 * every request, so that an answer reflects how the server handles the code,
 * verifier or refresh token under test — not a missing or replayed proof —
 * and never proves possession of the app's key.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
import { SignJWT, base64url, exportJWK, generateKeyPair } from 'jose';
import { randomToken } from './pkce.ts';
import type { ReplayRequest } from './types.ts';

/** A proof for `htm` `htu` signed by a key made for it alone. */
export async function freshDpopProof(htm: string, htu: string, accessToken?: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const payload: Record<string, unknown> = { jti: randomToken(16), htm, htu };
  if (accessToken !== undefined) {
    payload.ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
  }
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(privateKey);
}

/** The request as sent: a `dpop: 'fresh-key'` request gains its DPoP header (htu without query or fragment, §4.2). */
export async function withFreshProof(request: ReplayRequest): Promise<ReplayRequest> {
  if (request.dpop !== 'fresh-key') return request;
  const htu = new URL(request.url);
  htu.search = '';
  htu.hash = '';
  const proof = await freshDpopProof(request.method, htu.href);
  const headers = request.headers.filter((h) => h.name.toLowerCase() !== 'dpop');
  headers.push({ name: 'DPoP', value: proof });
  return { ...request, headers };
}
