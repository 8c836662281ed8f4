/**
 * The one secret watcher of the ingesters (webRequest and HAR): codes and
 * tokens seen so far, so that a later request carrying one (code.forwarded)
 * is kept whatever its shape.
 */
/** Codes and tokens watched for in later URLs at most (the oldest are forgotten first). */
const MAX_WATCHED = 256;
/** The part of a URL searched for watched values (Chrome allows 2 MB URLs; a forwarded code sits near the start). */
const MAX_SEARCHED = 64 * 1024;
/** Codes and tokens worth watching for in later request URLs (code.forwarded, RFC 9700 §4.11). */
const WATCH_PARAM = /[?&#](?:code|access_token|id_token|refresh_token)=([^&#]{8,})/g;
const WATCH_JSON = /"(?:access_token|id_token|refresh_token)"\s*:\s*"([^"]{8,})"/g;
/** Key sets named by a discovery document: the checks verify ID tokens against them. */
const JWKS_URI = /"jwks_uri"\s*:\s*"([^"]+)"/g;
const MAX_KEY_SET_URLS = 64;

/**
 * Codes and tokens seen in tracked traffic. A later request whose URL carries
 * one (an analytics beacon with the callback URL inside `dl=`, an open
 * redirector) is kept whatever its shape.
 */
export class SecretWatch {
  private readonly values = new Set<string>();
  /** The same values in an array: the per-request search walks it without an iterator. */
  private list: string[] = [];
  /** jwks_uri values seen in discovery documents (kept, and their bodies read where possible). */
  readonly keySetUrls = new Set<string>();

  get size(): number {
    return this.values.size;
  }

  learnUrl(url: string | undefined): void {
    if (url) for (const match of url.matchAll(WATCH_PARAM)) this.add(match[1] ?? '');
  }

  learnText(text: string | undefined): void {
    if (!text || text.length >= 200_000) return;
    for (const match of text.matchAll(WATCH_JSON)) this.add(match[1] ?? '');
    for (const match of text.matchAll(JWKS_URI)) {
      this.keySetUrls.add((match[1] ?? '').replace(/\\\//g, '/'));
      if (this.keySetUrls.size > MAX_KEY_SET_URLS) this.keySetUrls.delete(this.keySetUrls.values().next().value ?? '');
    }
  }

  /** A discovery document or a key set named by one: its body matters to the checks. */
  isMetadata(url: string): boolean {
    return url.includes('/.well-known/') || this.keySetUrls.has(url);
  }

  learnForm(formData: Record<string, string[]> | undefined): void {
    for (const name of ['code', 'access_token', 'id_token', 'refresh_token']) for (const value of formData?.[name] ?? []) this.add(value);
  }

  /** Whether the text holds a watched value. Plain substring search: no pattern is built from captured values. */
  carriedBy(url: string): boolean {
    if (this.values.size === 0) return false;
    const text = url.length > MAX_SEARCHED ? url.slice(0, MAX_SEARCHED) : url;
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (text.includes(list[i]!)) return true;
    return false;
  }

  private add(raw: string): void {
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      // keep it raw
    }
    for (const value of new Set([raw, decoded, encodeURIComponent(decoded)])) {
      if (value.length < 8 || this.values.has(value)) continue;
      this.values.add(value);
      if (this.values.size > MAX_WATCHED) this.values.delete(this.values.values().next().value ?? '');
      this.list = [...this.values];
    }
  }
}
