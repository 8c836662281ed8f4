/**
 * The fast path. Most requests a browser makes are not OAuth; these tests
 * reject them from the raw strings, before any URL is parsed. They may let a
 * non-OAuth request through (the classifier decides), never the reverse.
 */
import type { HttpHeader, RequestBody } from '../model.ts';

/** A parameter name that OAuth/OIDC puts in a URL, at a parameter boundary. */
const URL_MARKER =
  /[?&#](?:response_type|client_id|code|state|error|access_token|id_token|refresh_token|request_uri|request|grant_type|iss|token|session_state|client_secret|code_verifier|assertion|password|response|id_token_hint|post_logout_redirect_uri)=/;

const WELL_KNOWN = '/.well-known/';

/** True when a URL (request URL, Location, Referer) may carry OAuth parameters or metadata. */
export function urlMightBeOAuth(url: string): boolean {
  return URL_MARKER.test(url) || url.includes(WELL_KNOWN);
}

/**
 * The request-side fast path: URL, method and (when known) request headers.
 * A request with a body is let through: the body decides (`bodyMightBeOAuth`).
 */
export function mightBeOAuth(url: string, method: string, headers?: readonly HttpHeader[]): boolean {
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return true;
  if (urlMightBeOAuth(url)) return true;
  if (headers) {
    for (const header of headers) {
      const first = header.name.charCodeAt(0) | 0x20;
      // 'a'uthorization, 'd'pop, 'r'eferer: anything else is skipped on one char.
      if (first !== 0x61 && first !== 0x64 && first !== 0x72) continue;
      const name = header.name.toLowerCase();
      if (name === 'authorization' || name === 'dpop') return true;
      if (name === 'referer' && urlMightBeOAuth(header.value)) return true;
    }
  }
  return false;
}

const BODY_MARKER =
  /(?:^|[&{,"\s])"?(?:grant_type|response_type|client_id|code|state|error|access_token|id_token|refresh_token|request_uri|code_verifier|client_secret|assertion|client_assertion|response|id_token_hint)"?\s*[=:]/;

/** True when a request body may carry OAuth parameters (token request, PAR, form_post callback). */
export function bodyMightBeOAuth(body: RequestBody | undefined): boolean {
  if (!body) return false;
  if (body.formData) {
    for (const key of Object.keys(body.formData)) {
      if (BODY_KEYS.has(key)) return true;
    }
  }
  return body.text !== undefined && BODY_MARKER.test(body.text);
}

const BODY_KEYS = new Set([
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
]);
