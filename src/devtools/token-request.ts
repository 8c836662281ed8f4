/** A request whose response may hold tokens: a POST whose body names a grant_type. */
export function looksLikeTokenRequest(method: string, bodyText: string | undefined): boolean {
  return method === 'POST' && bodyText !== undefined && /(?:^|[&{,"\s])"?grant_type"?\s*[=:]/.test(bodyText);
}
