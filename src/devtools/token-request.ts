/** Which response bodies the devtools page reads and sends to the worker. */
import type { FinishedRequest } from '../platform/devtools.ts';

/** Larger answers are not token, metadata or key set responses worth keeping (the Firefox path caps at 256 KB too). */
export const MAX_RESPONSE_BODY_CHARS = 256 * 1024;

/** Regexes below run on this much of a request body at most. */
const SCANNED_CHARS = 65_536;

/**
 * A request whose response may hold tokens: a POST whose body names a
 * grant_type, or GitHub's code + client_id without one.
 */
export function looksLikeTokenRequest(method: string, bodyText: string | undefined): boolean {
  if (method !== 'POST' || bodyText === undefined) return false;
  const head = bodyText.slice(0, SCANNED_CHARS);
  return /(?:^|[&{,"\s])"?grant_type"?\s*[=:]/.test(head) || (/(?:^|&)code=/.test(head) && /(?:^|&)client_id=/.test(head));
}

/** A pushed authorization request (RFC 9126): a POST whose form names a client and a response_type or request object. */
export function looksLikePushedAuthorizationRequest(method: string, bodyText: string | undefined): boolean {
  if (method !== 'POST' || bodyText === undefined) return false;
  const head = bodyText.slice(0, SCANNED_CHARS);
  return /(?:^|&)client_id=/.test(head) && /(?:^|&)(?:response_type|request|request_uri)=/.test(head);
}

/**
 * A discovery document, or a JSON key set (`{"keys":[…]}`) the checks verify ID
 * tokens against. Key set URLs have no fixed shape, so JSON GETs are judged by
 * their content (see sendableBody).
 */
export function looksLikeMetadata(method: string, url: string): boolean {
  return method === 'GET' && url.includes('/.well-known/');
}

export function looksLikeKeySet(body: string): boolean {
  return /^\s*\{\s*"keys"\s*:\s*\[/.test(body.slice(0, 1_024));
}

/** A JSON answer to a GET: maybe a key set or a userinfo response, judged by its body. */
function jsonGet(request: Pick<FinishedRequest, 'method' | 'mimeType'>): boolean {
  return request.method === 'GET' && (request.mimeType ?? '').includes('json');
}

/** Whether to read this request's body at all. */
export function bodyWorthReading(request: Pick<FinishedRequest, 'method' | 'url' | 'mimeType' | 'requestBodyText'>): boolean {
  return (
    looksLikeTokenRequest(request.method, request.requestBodyText) ||
    looksLikePushedAuthorizationRequest(request.method, request.requestBodyText) ||
    looksLikeMetadata(request.method, request.url) ||
    jsonGet(request)
  );
}

/**
 * Whether a body that was read goes to the worker. Any JSON GET is read, but
 * only key sets and userinfo-shaped answers (an object with `sub`) are sent:
 * other API answers stay in the page.
 */
export function sendableBody(request: Pick<FinishedRequest, 'method' | 'url' | 'mimeType' | 'requestBodyText'>, body: string): boolean {
  if (!jsonGet(request) || looksLikeMetadata(request.method, request.url)) return true;
  return looksLikeKeySet(body) || looksLikeUserinfo(body);
}

/** A userinfo response (OIDC Core §5.3.2): a JSON object whose `sub` is a string. */
export function looksLikeUserinfo(body: string): boolean {
  if (body.length > MAX_RESPONSE_BODY_CHARS) return false;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { sub?: unknown }).sub === 'string';
  } catch {
    return false;
  }
}
