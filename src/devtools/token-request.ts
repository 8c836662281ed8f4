/** A request whose response may hold tokens: a POST whose body names a grant_type. */
export function looksLikeTokenRequest(method: string, bodyText: string | undefined): boolean {
  return method === 'POST' && bodyText !== undefined && /(?:^|[&{,"\s])"?grant_type"?\s*[=:]/.test(bodyText);
}

/**
 * A discovery document, or a JSON key set (`{"keys":[…]}`) the checks verify ID
 * tokens against. Key set URLs have no fixed shape, so JSON GETs are judged by
 * their content (see devtools.ts).
 */
export function looksLikeMetadata(method: string, url: string): boolean {
  return method === 'GET' && url.includes('/.well-known/');
}

export function looksLikeKeySet(body: string): boolean {
  return /^\s*\{\s*"keys"\s*:\s*\[/.test(body);
}
