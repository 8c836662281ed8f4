/**
 * HAR 1.2 (Chrome DevTools, Firefox DevTools, Playwright recordHar) -> RequestEvent.
 *
 * Pure: no node or browser imports. Each entry becomes at most one event; a
 * redirect chain (one HAR entry per hop) is linked back into one requestId.
 * Entries that cannot matter to an OAuth audit are dropped on a few string
 * tests (see `entryMightMatter`), so a 100,000-entry capture costs little
 * more than its JSON.parse.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
import type { Entry, Header } from 'har-format';
import type { RequestEvent } from '../model.ts';
import { absoluteUrl, cleanHeaders, entryEvent, headerValue, redirectUrlOf } from './har-entry.ts';
import { bodyMightBeOAuth, mightBeOAuth, urlMightBeOAuth } from './prefilter.ts';
import { SecretWatch } from './secret-watch.ts';

/** The input is not a HAR at all (not an object, no log.entries…). One-line reason. */
export class HarError extends Error {
  override name = 'HarError';
}

export interface HarIngest {
  events: RequestEvent[];
  warnings: string[];
}

export interface HarIngestOptions {
  /** Build an event for every entry, skipping the fast path (viewers, tests). */
  keepAll?: boolean;
}

/** Reads a parsed HAR. Throws HarError only when the input is not a HAR. */
export function ingestHar(input: unknown, options: HarIngestOptions = {}): HarIngest {
  const ingester = createHarIngester(options);
  const entries = harEntries(input);
  for (let index = 0; index < entries.length; index++) ingester.add(entries[index], index);
  return ingester.finish();
}

/** The entries array of a HAR, or HarError with the reason it is not one. */
export function harEntries(input: unknown): unknown[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HarError('not a HAR: expected a JSON object with log.entries');
  }
  const log = (input as { log?: unknown }).log;
  if (typeof log !== 'object' || log === null) throw new HarError('not a HAR: missing "log"');
  const entries = (log as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new HarError('not a HAR: missing log.entries');
  return entries;
}

/** Incremental form, for callers that stream entries one by one. */
export interface HarIngester {
  add(entry: unknown, index: number): void;
  finish(): HarIngest;
}

interface ChainLink {
  requestId: string;
  hop: number;
  time: number;
  /** Whether the hop it follows was kept: the rest of a kept chain is kept too (callback -> /home). */
  kept: boolean;
}

/** A redirect hop must follow its source within this long to be linked to it. */
const CHAIN_WINDOW_MS = 60_000;
/** Redirect targets remembered at most (the oldest are forgotten first). */
const PENDING_CAP = 10_000;
/** Per-kind cap on warnings about skipped entries; the rest are counted. */
const WARNING_CAP = 20;

/**
 * Recent Chrome DevTools export HARs "sanitized" by default (no Cookie,
 * Set-Cookie or Authorization headers; "with sensitive data" is a separate
 * export). A capture of this size with none at all probably is one.
 * TODO [2027-06-01]: recheck what Chrome's sanitized export drops.
 */
const SANITIZED_MIN_ENTRIES = 20;
export const SANITIZED_WARNING =
  'no entry carries a cookie or an Authorization header: if this HAR was exported sanitized (Chrome\'s default), checks that need them (client credentials sent from the browser, bearer token use) cannot see them; export it "with sensitive data" to audit those too';

export function createHarIngester(options: HarIngestOptions = {}): HarIngester {
  const events: RequestEvent[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  let entries = 0;
  /** Whether any entry carried cookies or an Authorization header (a sanitized export carries neither). */
  let sawCredentials = false;
  let lastTime = 0;
  /**
   * Redirect targets (absolute, without fragment) waiting for their next hop.
   * Dropped hops are tracked too, so an event's id names the entry its chain
   * started at whether or not the fast path kept the earlier hops.
   */
  const pending = new Map<string, ChainLink>();
  /** Codes and tokens seen so far; a later URL that carries one is kept whatever its shape. */
  const secrets = new SecretWatch();

  const warn = (message: string): void => {
    skipped++;
    if (skipped <= WARNING_CAP) warnings.push(message);
  };

  const learn = (event: RequestEvent): void => {
    secrets.learnUrl(event.url);
    secrets.learnUrl(event.redirectUrl);
    secrets.learnText(event.responseBody?.text);
  };

  const remember = (target: string, link: ChainLink): void => {
    pending.set(withoutFragment(target), link);
    if (pending.size > PENDING_CAP) {
      let excess = pending.size - PENDING_CAP / 2;
      for (const key of pending.keys()) {
        if (excess-- <= 0) break;
        pending.delete(key);
      }
    }
  };

  return {
    add(raw, index) {
      if (typeof raw !== 'object' || raw === null) return warn(`entry ${index} skipped: not an object`);
      const entry = raw as Entry;
      const request = entry.request as Entry['request'] | undefined;
      if (typeof request !== 'object' || request === null) return warn(`entry ${index} skipped: no request`);
      const { url, method } = request;
      if (typeof url !== 'string' || url === '' || typeof method !== 'string') {
        return warn(`entry ${index} skipped: request without url or method`);
      }
      const headers = Array.isArray(request.headers) ? request.headers : undefined;
      entries++;
      if (!sawCredentials) sawCredentials = carriesCookies(request) || carriesCookies(entry.response);
      let link: ChainLink | undefined;
      if (pending.size > 0) {
        const key = withoutFragment(url);
        link = pending.get(key);
        if (link) pending.delete(key);
      }
      try {
        const keep = options.keepAll || link?.kept || mightMatterSafely(entry, url, method, headers) || secrets.carriedBy(url);
        if (!keep) {
          rememberDroppedRedirect(entry, index, link);
          return;
        }
        const time = startTime(entry, lastTime);
        const event = entryEvent(entry, { ...chainPosition(index, link, time), seq: index, time });
        lastTime = event.time;
        events.push(event);
        learn(event);
        if (!sawCredentials) sawCredentials = headerValue(event.requestHeaders, 'authorization') !== undefined;
        if (event.redirectUrl !== undefined) {
          remember(event.redirectUrl, { requestId: event.requestId, hop: event.hop, time: event.time, kept: true });
        }
      } catch (error) {
        warn(`entry ${index} skipped: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    finish() {
      if (skipped > WARNING_CAP) warnings.push(`…and ${skipped - WARNING_CAP} more entries skipped`);
      if (entries >= SANITIZED_MIN_ENTRIES && !sawCredentials) warnings.push(SANITIZED_WARNING);
      // HAR 1.2 prefers entries sorted by startedDateTime but readers must not rely on it.
      events.sort((a, b) => a.time - b.time || a.seq - b.seq);
      events.forEach((event, seq) => (event.seq = seq));
      return { events, warnings };
    },
  };

  /** A dropped redirect still names the chain its next hops belong to. */
  function rememberDroppedRedirect(entry: Entry, index: number, link: ChainLink | undefined): void {
    const response = entry.response as Entry['response'] | undefined;
    const status = response?.status;
    if (typeof status !== 'number' || status < 300 || status >= 400) return;
    const location = headerValue(cleanHeaders(response?.headers), 'location') ?? redirectUrlOf(response);
    if (location === undefined) return;
    const time = startTime(entry, lastTime);
    const { requestId, hop } = chainPosition(index, link, time);
    remember(absoluteUrl(location, entry.request.url), { requestId, hop, time, kept: false });
  }
}

function mightMatterSafely(entry: Entry, url: string, method: string, headers: Header[] | undefined): boolean {
  try {
    return entryMightMatter(entry, url, method, headers);
  } catch {
    // Odd shapes (a header name that is not a string…) are not ordinary traffic: let the full reader judge.
    return true;
  }
}

/**
 * The fast path: can this entry matter to an OAuth audit? A few string tests
 * for ordinary traffic. Kept: URLs, Referers or Locations that may carry OAuth
 * parameters or metadata; URLs carrying a JWT under any name (id_token_hint,
 * request objects, leaked tokens); Authorization/DPoP headers; non-GET
 * requests whose body may be OAuth, that have no visible body, or that were
 * redirected (login and consent POSTs); JSON responses that look like tokens,
 * JWKS or metadata.
 */
function entryMightMatter(entry: Entry, url: string, method: string, headers: Header[] | undefined): boolean {
  if (mightBeOAuth(url, 'GET', headers) || url.includes('eyJ')) return true;
  const response = entry.response as Entry['response'] | undefined;
  const status = typeof response?.status === 'number' ? response.status : 0;
  if (status >= 300 && status < 400) {
    const location = redirectUrlOf(response) ?? headerValue(response?.headers, 'location');
    if (location && urlMightBeOAuth(location)) return true;
  }
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    if (status >= 300 && status < 400) return true;
    const postData = entry.request.postData;
    if (!postData) return true;
    if (typeof postData.text === 'string' && bodyMightBeOAuth({ text: postData.text })) return true;
    if (Array.isArray(postData.params) && postData.params.some((p) => BODY_PARAM.test(p?.name ?? ''))) return true;
  }
  const content = response?.content;
  const text = content?.text;
  if (typeof text === 'string' && text.length < 200_000 && content?.encoding !== 'base64') {
    return JSON_MARKER.test(text);
  }
  return false;
}

const BODY_PARAM = /^(?:grant_type|response_type|client_id|code|state|error|access_token|id_token|refresh_token|request_uri|code_verifier|client_secret|assertion|client_assertion)$/;
/** Token responses, JWKS and AS metadata, in any JSON response body. */
const JSON_MARKER = /"(?:access_token|id_token|refresh_token|kty|authorization_endpoint|jwks_uri)"\s*:/;

/** Parsed `cookies`, or (Playwright's minimal HARs leave those out) a Cookie / Set-Cookie header. */
function carriesCookies(part: unknown): boolean {
  const { cookies, headers } = (part ?? {}) as { cookies?: unknown; headers?: unknown };
  if (Array.isArray(cookies) && cookies.length > 0) return true;
  if (!Array.isArray(headers)) return false;
  for (const header of headers as { name?: unknown }[]) {
    const name = header?.name;
    if (typeof name !== 'string') continue;
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 0x63 && first !== 0x73) continue; // 'c'ookie, 's'et-cookie
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') return true;
  }
  return false;
}

function startTime(entry: Entry, fallback: number): number {
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
  return Number.isFinite(started) ? started : fallback;
}

/** The hop of a chain an entry is, or the start of its own chain. */
function chainPosition(index: number, link: ChainLink | undefined, time: number): { requestId: string; hop: number } {
  const linked = link !== undefined && time >= link.time - 1 && time - link.time < CHAIN_WINDOW_MS;
  return linked ? { requestId: link.requestId, hop: link.hop + 1 } : { requestId: String(index), hop: 0 };
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
