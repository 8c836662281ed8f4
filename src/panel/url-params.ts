/** The parameters of a URL's query and fragment (a redirect's Location is the authorization response); undefined when it has none. */
export function urlParams(url: string | undefined): Record<string, string> | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    const params = Object.fromEntries(u.searchParams);
    if (u.hash.length > 1) Object.assign(params, Object.fromEntries(new URLSearchParams(u.hash.slice(1))));
    return Object.keys(params).length > 0 ? params : undefined;
  } catch {
    return undefined;
  }
}
