/**
 * The one network access of the CLI, only with --fetch-keys: discovery
 * documents and JWKS the capture lacks, through global fetch with a timeout
 * and a size limit.
 */
const TIMEOUT_MS = 10_000;
const MAX_BYTES = 1_000_000;

export async function fetchJson(url: string): Promise<unknown> {
  if (!/^https?:\/\//i.test(url)) throw new Error(`refusing to fetch ${url}: not http(s)`);
  const response = await fetch(url, { headers: { accept: 'application/json, application/jwk-set+json' }, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new Error(`fetching ${url}: response too large (${length} bytes)`);
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new Error(`fetching ${url}: response too large`);
  return JSON.parse(text) as unknown;
}
