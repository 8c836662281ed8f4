/**
 * The one SHA-256 of the extension and the engine (crypto.subtle: a global in
 * workers, pages and Node 20). The storage scan that runs inside the inspected
 * page carries its own copy, since it is sent there as source text.
 */
import { base64url } from 'jose';

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Lower-case hex, as the storage scan compares. */
export async function sha256Hex(text: string): Promise<string> {
  return [...(await sha256(text))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** BASE64URL(SHA256(value)): the S256 code challenge (RFC 7636 §4.2) and the DPoP `ath` (RFC 9449 §4.2). */
export async function sha256Base64url(text: string): Promise<string> {
  return base64url.encode(await sha256(text));
}
