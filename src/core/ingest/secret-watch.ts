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
/** Values are at least this long; the one-pass search hashes windows of this many characters. */
const PREFIX = 8;
/** Up to this many values, each is looked for on its own (cheaper than hashing the URL). */
const FEW = 8;
/** A polynomial hash in 32-bit integer arithmetic (wrapping), so the rolling step is a few machine instructions. */
const BASE = 257;
/** BASE^(PREFIX-1), wrapped: takes the leaving character out of the rolling hash. */
const TOP = (() => {
  let top = 1;
  for (let i = 1; i < PREFIX; i++) top = Math.imul(top, BASE);
  return top;
})();
/** Map keys keep 30 bits: a small integer, never a boxed number. */
const KEY_MASK = 0x3fffffff;
/** A byte per hash bucket: most windows are turned away here before the Map is asked. */
const FILTER_BITS = 16;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

function prefixHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < PREFIX; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

function prefixIndex(values: readonly string[]): Map<number, string[]> {
  const index = new Map<number, string[]>();
  for (const value of values) {
    const hash = prefixHash(value) & KEY_MASK;
    const bucket = index.get(hash);
    if (bucket) bucket.push(value);
    else index.set(hash, [value]);
  }
  return index;
}

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
  /** Rolling hash of each value's first PREFIX characters -> the values: one pass over a URL finds them all. */
  private prefixes = new Map<number, string[]>();
  private filter = new Uint8Array(1 << FILTER_BITS);
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

  /**
   * Whether the text holds a watched value. Plain string work: no pattern is
   * built from captured values, and nothing is allocated. A few values are
   * looked for one by one; many (up to MAX_WATCHED, and every request of the
   * browser asks) in one pass: a rolling hash of each PREFIX-character window
   * of the URL is looked up among the values' first PREFIX characters.
   */
  carriedBy(url: string): boolean {
    const list = this.list;
    if (list.length === 0) return false;
    const end = url.length > MAX_SEARCHED ? MAX_SEARCHED : url.length;
    if (list.length <= FEW && end === url.length) {
      for (let i = 0; i < list.length; i++) if (url.includes(list[i]!)) return true;
      return false;
    }
    if (end < PREFIX) return false;
    let hash = prefixHash(url);
    for (let at = 0; ; at++) {
      const key = hash & KEY_MASK;
      const candidates = this.filter[key & FILTER_MASK] === 1 ? this.prefixes.get(key) : undefined;
      if (candidates) {
        for (let i = 0; i < candidates.length; i++) {
          const value = candidates[i]!;
          if (at + value.length <= end && url.startsWith(value, at)) return true;
        }
      }
      if (at + PREFIX >= end) return false;
      hash = (Math.imul(hash - Math.imul(url.charCodeAt(at), TOP), BASE) + url.charCodeAt(at + PREFIX)) | 0;
    }
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
      this.prefixes = prefixIndex(this.list);
      this.filter.fill(0);
      for (const hash of this.prefixes.keys()) this.filter[hash & FILTER_MASK] = 1;
    }
  }
}
