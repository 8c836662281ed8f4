/**
 * The fast path. Most requests a browser makes are not OAuth; these tests
 * reject them from the raw strings, before any URL is parsed. They may let a
 * non-OAuth request through (the classifier decides), never the reverse.
 */
import type { RequestBody } from '../model.ts';

/** A parameter name that OAuth/OIDC puts in a URL, at a parameter boundary. */
const URL_MARKER =
  /[?&#](?:response_type|client_id|code|state|error|access_token|id_token|refresh_token|request_uri|request|grant_type|iss|token|session_state|client_secret|code_verifier|assertion|password|response|id_token_hint|post_logout_redirect_uri)=/;

const WELL_KNOWN = '/.well-known/';

/** True when a URL (request URL, Location, Referer) may carry OAuth parameters or metadata. */
export function urlMightBeOAuth(url: string): boolean {
  return URL_MARKER.test(url) || url.includes(WELL_KNOWN);
}

/** A header as the browser gives it (webRequest may leave `value` out); an HttpHeader fits. */
export interface HeaderLike {
  readonly name: string;
  readonly value?: string;
}

/**
 * The request-side fast path: URL, method and (when known) request headers.
 * A request with a body is let through: the body decides (`bodyMightBeOAuth`).
 */
export function mightBeOAuth(url: string, method: string, headers?: readonly HeaderLike[]): boolean {
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return true;
  return urlMightBeOAuth(url) || (headers !== undefined && headersMightBeOAuth(headers));
}

/** Whether request headers may carry OAuth: a credential (Authorization, DPoP) or a Referer with OAuth parameters. Allocates nothing. */
export function headersMightBeOAuth(headers: readonly HeaderLike[]): boolean {
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    const name = header.name;
    const first = name.charCodeAt(0) | 0x20;
    // 'a'uthorization, 'd'pop, 'r'eferer: anything else is skipped on one char.
    if (first !== 0x61 && first !== 0x64 && first !== 0x72) continue;
    if (nameIs(name, 'authorization') || nameIs(name, 'dpop')) return true;
    if (nameIs(name, 'referer') && header.value !== undefined && urlMightBeOAuth(header.value)) return true;
  }
  return false;
}

/** ASCII case-insensitive `name === lower` (lower: lowercase letters only), without a lowered copy. */
function nameIs(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

const BODY_MARKER =
  /(?:^|[&{,"\s])"?(?:grant_type|response_type|client_id|code|state|error|access_token|id_token|refresh_token|request_uri|code_verifier|client_secret|assertion|client_assertion|response|id_token_hint)"?\s*[=:]/;

/** True when a request body may carry OAuth parameters (token request, PAR, form_post callback). */
export function bodyMightBeOAuth(body: RequestBody | undefined): boolean {
  if (!body) return false;
  if (body.formData && formMightBeOAuth(body.formData)) return true;
  return body.text !== undefined && BODY_MARKER.test(body.text);
}

const BODY_KEY_LIST = [
  'grant_type',
  'response_type',
  'client_id',
  'code',
  'state',
  'error',
  'access_token',
  'id_token',
  'refresh_token',
  'request_uri',
  'code_verifier',
  'client_secret',
  'assertion',
  'client_assertion',
  'response',
  'id_token_hint',
];

/** BODY_KEY_LIST by length, for the byte scan. */
const KEYS_BY_LENGTH: string[][] = [];
for (const key of BODY_KEY_LIST) (KEYS_BY_LENGTH[key.length] ??= []).push(key);
const LONGEST_KEY = Math.max(...BODY_KEY_LIST.map((key) => key.length));

/** Whether a form (parameter name -> values) has a parameter OAuth sends in a body. Allocates nothing. */
export function formMightBeOAuth(formData: object): boolean {
  for (let i = 0; i < BODY_KEY_LIST.length; i++) if (Object.prototype.hasOwnProperty.call(formData, BODY_KEY_LIST[i]!)) return true;
  return false;
}

/**
 * `bodyMightBeOAuth` on a body's bytes before they are decoded: true wherever
 * the decoded text could match (a superset), scanning at most `limit` bytes.
 * At each `=` or `:`, the run of [a-z_] before it (past blanks and one quote)
 * is compared with the parameter names. Allocates nothing.
 */
export function bytesMightBeOAuth(bytes: Uint8Array, limit = bytes.length): boolean {
  const end = Math.min(bytes.length, limit);
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    if (c !== 0x3d && c !== 0x3a) continue;
    let j = i - 1;
    // \s* (any non-ASCII byte counts: a decoded non-breaking space matches \s), then an optional quote.
    while (j >= 0 && isBlankByte(bytes[j]!)) j--;
    if (j >= 0 && bytes[j] === 0x22) j--;
    let k = j;
    while (k >= 0 && j - k <= LONGEST_KEY && isKeyByte(bytes[k]!)) k--;
    const keys = KEYS_BY_LENGTH[j - k];
    if (keys) for (let n = 0; n < keys.length; n++) if (sameAscii(bytes, k + 1, keys[n]!)) return true;
  }
  return false;
}

function isBlankByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c >= 0x80;
}

function isKeyByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function sameAscii(bytes: Uint8Array, at: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) if (bytes[at + i] !== key.charCodeAt(i)) return false;
  return true;
}
