/**
 * webRequest details -> RequestEvent.
 *
 * Pure: the worker hands in the plain detail objects of onBeforeRequest,
 * onSendHeaders, onHeadersReceived, onBeforeRedirect, onCompleted and
 * onErrorOccurred (Chrome and Firefox shapes); this joins them by requestId,
 * splits redirect chains into one RequestEvent per hop and hands every
 * finished hop to `emit`.
 *
 * Most requests are not OAuth: they leave through the fast path
 * (`prefilter.ts`) and keep no state. A request can become interesting late
 * (a Referer or Authorization header at send-headers time, a Location carrying
 * a code or token at headers-received time); it is tracked from that moment.
 *
 * @see https://developer.chrome.com/docs/extensions/reference/api/webRequest
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/webRequest
 */
import type { HttpHeader, RequestBody, RequestEvent, ResourceType, ResponseBody } from '../model.ts';
import { bodyMightBeOAuth, bytesMightBeOAuth, formMightBeOAuth, headersMightBeOAuth, mightBeOAuth, urlMightBeOAuth } from './prefilter.ts';
import { SecretWatch } from './secret-watch.ts';
import { formFieldsOf } from '../records.ts';
import { cappedResponseBody, MAX_BODY_CHARS } from './body-cap.ts';

/** A header as webRequest gives it (Chrome may send `binaryValue`). */
export interface WebRequestHeader {
  name: string;
  value?: string;
  binaryValue?: ArrayLike<number>;
}

/** What every webRequest event carries. */
export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  frameId?: number;
  type: string;
  timeStamp: number;
  /** Chrome: origin of the initiating document. */
  initiator?: string;
  /** Firefox: URL of the document or worker that initiated the request. */
  originUrl?: string;
  /** Firefox: URL of the document the request is loaded in. */
  documentUrl?: string;
}

export interface WebRequestBodyDetails {
  formData?: Record<string, string[]>;
  raw?: { bytes?: ArrayBuffer; file?: string }[];
  error?: string;
}

export interface BeforeRequestDetails extends WebRequestDetails {
  requestBody?: WebRequestBodyDetails | null;
}

export interface SendHeadersDetails extends WebRequestDetails {
  requestHeaders?: WebRequestHeader[];
}

export interface HeadersReceivedDetails extends WebRequestDetails {
  statusCode: number;
  statusLine?: string;
  responseHeaders?: WebRequestHeader[];
}

export interface BeforeRedirectDetails extends HeadersReceivedDetails {
  redirectUrl: string;
}

export type CompletedDetails = HeadersReceivedDetails;

export interface ErrorDetails extends WebRequestDetails {
  error: string;
}

export interface AssemblerOptions {
  /** Receives every finished hop, in completion order (sort by `seq` for request order). */
  emit: (event: RequestEvent) => void;
  /** What a completed response's body state is when nobody attaches one (Chrome: never seen). */
  bodyState?: 'unavailable' | 'none';
  /** Most requests tracked at once; the oldest is emitted, marked incomplete, past it. */
  maxPending?: number;
  /** Longest request body text kept (characters). */
  maxBodyText?: number;
  /**
   * Requests with tabId < 0: `false` drops them (default); `'web'` keeps those a
   * web page's worker started (an http(s) initiator: a site's service worker),
   * never the browser's or an extension's own; `true` keeps them all.
   */
  includeNonTab?: boolean | 'web';
}

interface Pending {
  event: RequestEvent;
  /** Set once the hop finished while a response body was still expected. */
  finished: boolean;
}

interface Tracked {
  requestId: string;
  hop: number;
  /** The hop being assembled; absent between a redirect and the next hop's onBeforeRequest. */
  current?: Pending;
  /** A response body is being read for this request (Firefox filterResponseData). */
  expectBody: boolean;
  body?: ResponseBody;
}

const DEFAULT_MAX_PENDING = 256;
const DEFAULT_MAX_BODY_TEXT = MAX_BODY_CHARS;
/** Redirect counts of untracked requests, so a chain that turns interesting gets the right hop. */
const MAX_UNTRACKED_REDIRECTS = 512;
export { SecretWatch } from './secret-watch.ts';

const TYPES: Record<string, ResourceType> = {
  main_frame: 'main_frame',
  sub_frame: 'sub_frame',
  xmlhttprequest: 'xhr',
  xhr: 'xhr',
  fetch: 'fetch',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  imageset: 'image',
  font: 'font',
  media: 'media',
  websocket: 'websocket',
  ping: 'ping',
  beacon: 'ping',
  csp_report: 'ping',
};

export function resourceType(type: string): ResourceType {
  return TYPES[type] ?? 'other';
}

function headerValue(header: WebRequestHeader): string {
  if (header.value !== undefined) return header.value;
  if (!header.binaryValue) return '';
  let text = '';
  for (let i = 0; i < header.binaryValue.length; i++) text += String.fromCharCode(header.binaryValue[i] ?? 0);
  return text;
}

export function toHeaders(headers: readonly WebRequestHeader[] | undefined): HttpHeader[] | undefined {
  return headers?.map((header) => ({ name: header.name, value: headerValue(header) }));
}

/**
 * Chrome may report a request's headers twice (a listener without and one with
 * `extraHeaders`: onSendHeaders twice, or onHeadersReceived then onCompleted),
 * in either order: keep the union.
 */
function mergeHeaders(known: HttpHeader[] | undefined, more: HttpHeader[]): HttpHeader[] {
  if (!known) return more;
  const names = new Set(known.map((header) => header.name.toLowerCase()));
  return [...known, ...more.filter((header) => !names.has(header.name.toLowerCase()))];
}

function findHeader(headers: readonly HttpHeader[] | undefined, name: string): string | undefined {
  return headers?.find((header) => header.name.toLowerCase() === name)?.value;
}

/**
 * Chrome parses form bodies into `formData` and leaves anything else (JSON,
 * forms it did not parse) as `raw` bytes: those are decoded as UTF-8 text.
 */
export function toRequestBody(body: WebRequestBodyDetails | null | undefined, maxText = DEFAULT_MAX_BODY_TEXT): RequestBody | undefined {
  if (!body) return undefined;
  // formData comes from urlencoded and multipart bodies alike: no mimeType is claimed.
  if (body.formData) return cappedForm(body.formData, maxText);
  if (!body.raw || body.raw.length === 0) return undefined;
  const decoder = new TextDecoder();
  let text = '';
  for (const part of body.raw) {
    if (part.bytes) text += decoder.decode(part.bytes, { stream: true });
    if (text.length > maxText) break;
  }
  text += decoder.decode();
  return text.length > maxText ? { text: text.slice(0, maxText), truncated: true } : { text };
}

/** Chrome's parsed form fields, in a record without prototype, within the same cap as text bodies. */
function cappedForm(formData: Record<string, unknown>, maxText: number): RequestBody {
  const pairs: Array<[string, string]> = [];
  let size = 0;
  for (const [name, values] of Object.entries(formData)) {
    for (const value of Array.isArray(values) ? values : []) {
      const text = String(value);
      size += name.length + text.length + 2;
      if (size > maxText) return { formData: formFieldsOf(pairs), truncated: true };
      pairs.push([name, text]);
    }
  }
  return { formData: formFieldsOf(pairs) };
}

/**
 * `bodyMightBeOAuth` on the body webRequest hands over, before anything is
 * decoded or copied: Chrome's parsed form fields by name, a single raw part by
 * its bytes. Several raw parts (a key could straddle two) say yes: the decoded
 * text decides.
 */
function rawBodyMightBeOAuth(body: WebRequestBodyDetails | null | undefined, maxText: number): boolean {
  if (!body) return false;
  if (body.formData) return formMightBeOAuth(body.formData);
  const raw = body.raw;
  if (!raw || raw.length === 0) return false;
  if (raw.length > 1) return true;
  const bytes = raw[0]?.bytes;
  // A UTF-8 character is at most 4 bytes: the decoded text's first maxText characters lie within 4 * maxText bytes.
  return bytes !== undefined && bytesMightBeOAuth(new Uint8Array(bytes), 4 * maxText);
}

/** `headersMightBeOAuth` on webRequest's headers; a Referer Chrome gave as bytes is decoded first. */
function rawHeadersMightBeOAuth(headers: readonly WebRequestHeader[] | undefined): boolean {
  if (!headers) return false;
  if (headersMightBeOAuth(headers)) return true;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    if (header.value === undefined && header.binaryValue && header.name.length === 7 && header.name.toLowerCase() === 'referer') {
      return urlMightBeOAuth(headerValue(header));
    }
  }
  return false;
}

function initiatorOf(details: WebRequestDetails): string | undefined {
  if (details.initiator && details.initiator !== 'null') return details.initiator;
  const url = details.originUrl ?? details.documentUrl;
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function isWebOrigin(origin: string | undefined): boolean {
  return origin !== undefined && (origin.startsWith('https://') || origin.startsWith('http://'));
}

/** The Location of a redirect, made absolute against the request URL; keeps the fragment. */
export function absoluteLocation(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

export class WebRequestAssembler {
  private readonly tracked = new Map<string, Tracked>();
  private readonly untrackedRedirects = new Map<string, number>();
  private readonly options: Required<Omit<AssemblerOptions, 'emit'>> & Pick<AssemblerOptions, 'emit'>;
  private lastSeq = 0;
  /** Codes and tokens seen, so later URLs carrying them are kept. */
  readonly secrets = new SecretWatch();
  /** Requests dropped because too many were pending at once. */
  evicted = 0;

  constructor(options: AssemblerOptions) {
    this.options = {
      bodyState: 'unavailable',
      maxPending: DEFAULT_MAX_PENDING,
      maxBodyText: DEFAULT_MAX_BODY_TEXT,
      includeNonTab: false,
      ...options,
    };
  }

  /** How many requests hold state right now. */
  get pendingCount(): number {
    return this.tracked.size;
  }

  /** How many untracked redirect chains are being counted right now (bounded). */
  get untrackedRedirectCount(): number {
    return this.untrackedRedirects.size;
  }

  isTracked(requestId: string): boolean {
    return this.tracked.has(requestId);
  }

  onBeforeRequest(details: BeforeRequestDetails): void {
    if (!this.accepts(details)) return;
    const known = this.tracked.get(details.requestId);
    // The fast path: nothing is decoded, copied or kept for a request that carries no OAuth.
    if (
      !known &&
      !urlMightBeOAuth(details.url) &&
      (isSafeMethod(details.method) || !rawBodyMightBeOAuth(details.requestBody, this.options.maxBodyText)) &&
      !this.secrets.carriedBy(details.url) &&
      !this.secrets.keySetUrls.has(details.url)
    ) {
      return;
    }
    if (known) {
      // The next hop of a redirect chain we follow (or a repeated event for the current hop).
      if (!known.current) known.current = this.startHop(known, details);
      const body = toRequestBody(details.requestBody, this.options.maxBodyText);
      if (body && !known.current.event.requestBody) known.current.event.requestBody = body;
      return;
    }
    const body = isSafeMethod(details.method) ? undefined : toRequestBody(details.requestBody, this.options.maxBodyText);
    const interesting =
      // A request with a body passes mightBeOAuth whatever its URL: the body decides.
      (mightBeOAuth(details.url, details.method) && (urlMightBeOAuth(details.url) || bodyMightBeOAuth(body))) ||
      this.secrets.carriedBy(details.url) ||
      this.secrets.keySetUrls.has(details.url);
    if (!interesting) return;
    const entry = this.track(details);
    if (body && entry.current) {
      entry.current.event.requestBody = body;
      this.secrets.learnForm(body.formData);
    }
  }

  onSendHeaders(details: SendHeadersDetails): void {
    if (!this.accepts(details)) return;
    let entry = this.tracked.get(details.requestId);
    if (!entry) {
      // The body already had its say at onBeforeRequest: ask about URL and headers only.
      if (!urlMightBeOAuth(details.url) && !rawHeadersMightBeOAuth(details.requestHeaders)) return;
      entry = this.track(details);
    }
    const headers = toHeaders(details.requestHeaders);
    const current = entry.current ?? (entry.current = this.startHop(entry, details));
    if (headers) current.event.requestHeaders = mergeHeaders(current.event.requestHeaders, headers);
  }

  onHeadersReceived(details: HeadersReceivedDetails): void {
    if (!this.accepts(details)) return;
    const headers = toHeaders(details.responseHeaders);
    let entry = this.tracked.get(details.requestId);
    if (!entry) {
      const location = findHeader(headers, 'location');
      if (location === undefined || !urlMightBeOAuth(location)) return;
      entry = this.track(details);
    }
    const current = entry.current ?? (entry.current = this.startHop(entry, details));
    this.setResponse(current.event, details, headers);
    const location = findHeader(headers, 'location');
    if (location !== undefined) {
      current.event.redirectUrl = absoluteLocation(location, details.url);
      this.secrets.learnUrl(current.event.redirectUrl);
    }
  }

  onBeforeRedirect(details: BeforeRedirectDetails): void {
    if (!this.accepts(details)) return;
    let entry = this.tracked.get(details.requestId);
    if (!entry) {
      if (!urlMightBeOAuth(details.redirectUrl)) {
        this.countUntrackedRedirect(details.requestId);
        return;
      }
      entry = this.track(details);
    }
    const current = entry.current ?? (entry.current = this.startHop(entry, details));
    const event = current.event;
    const headers = toHeaders(details.responseHeaders);
    // Headers an earlier onHeadersReceived gave (Chrome: with Set-Cookie) are kept, not replaced.
    if (event.status === undefined || headers) this.setResponse(event, details, headers ? mergeHeaders(event.responseHeaders, headers) : event.responseHeaders);
    // Prefer the Location header: it keeps the fragment; redirectUrl covers internal redirects.
    const location = findHeader(event.responseHeaders, 'location');
    event.redirectUrl = (location !== undefined ? absoluteLocation(location, details.url) : undefined) ?? details.redirectUrl;
    event.responseBodyState = 'none';
    this.secrets.learnUrl(event.redirectUrl);
    entry.current = undefined;
    entry.hop += 1;
    entry.body = undefined;
    this.options.emit(event);
  }

  onCompleted(details: CompletedDetails): void {
    this.untrackedRedirects.delete(details.requestId);
    const entry = this.tracked.get(details.requestId);
    if (!entry) return;
    const current = entry.current ?? (entry.current = this.startHop(entry, details));
    const headers = toHeaders(details.responseHeaders);
    if (current.event.status === undefined || headers) {
      this.setResponse(current.event, details, headers ? mergeHeaders(current.event.responseHeaders, headers) : current.event.responseHeaders);
    }
    if (entry.body) {
      current.event.responseBody = entry.body;
      current.event.responseBodyState = 'captured';
    } else if (entry.expectBody) {
      current.finished = true;
      return;
    } else {
      current.event.responseBodyState = this.noBodyState(current.event);
    }
    this.finish(entry);
  }

  onErrorOccurred(details: ErrorDetails): void {
    this.untrackedRedirects.delete(details.requestId);
    const entry = this.tracked.get(details.requestId);
    if (!entry) return;
    const current = entry.current ?? (entry.current = this.startHop(entry, details));
    current.event.error = details.error;
    current.event.responseBodyState = entry.body ? 'captured' : 'none';
    if (entry.body) current.event.responseBody = entry.body;
    this.finish(entry);
  }

  /**
   * A response body is being read for this request (Firefox filterResponseData):
   * its event waits for `attachResponseBody` or `releaseResponseBody`.
   */
  expectResponseBody(requestId: string): void {
    const entry = this.tracked.get(requestId);
    if (entry) entry.expectBody = true;
  }

  /** Attaches a body read elsewhere; false when the request is not pending (patch the log instead). */
  attachResponseBody(requestId: string, body: ResponseBody): boolean {
    const entry = this.tracked.get(requestId);
    if (!entry) return false;
    entry.expectBody = false;
    entry.body = cappedResponseBody(body.text, body.mimeType, this.options.maxBodyText);
    this.secrets.learnText(entry.body.text);
    if (entry.current?.finished) {
      entry.current.event.responseBody = entry.body;
      entry.current.event.responseBodyState = 'captured';
      this.finish(entry);
    }
    return true;
  }

  /** The body could not be read after all: emit the event without it. */
  releaseResponseBody(requestId: string): void {
    const entry = this.tracked.get(requestId);
    if (!entry) return;
    entry.expectBody = false;
    if (entry.current?.finished) {
      entry.current.event.responseBodyState = this.noBodyState(entry.current.event);
      this.finish(entry);
    }
  }

  /** Emits everything still pending, marked incomplete (the worker is going away). */
  flush(): void {
    for (const entry of [...this.tracked.values()]) {
      if (entry.current) entry.current.event.error ??= 'incomplete';
      this.finish(entry);
    }
  }

  private accepts(details: WebRequestDetails): boolean {
    if (details.tabId >= 0 || this.options.includeNonTab === true) return true;
    return this.options.includeNonTab === 'web' && isWebOrigin(initiatorOf(details));
  }

  private track(details: WebRequestDetails): Tracked {
    const hop = this.untrackedRedirects.get(details.requestId) ?? 0;
    this.untrackedRedirects.delete(details.requestId);
    const entry: Tracked = { requestId: details.requestId, hop, expectBody: false };
    entry.current = this.startHop(entry, details);
    this.tracked.set(details.requestId, entry);
    if (this.tracked.size > this.options.maxPending) this.evictOldest();
    return entry;
  }

  private startHop(entry: Tracked, details: WebRequestDetails): Pending {
    const seq = Math.max(this.lastSeq + 1, Math.floor(details.timeStamp * 1000));
    this.lastSeq = seq;
    const event: RequestEvent = {
      id: entry.hop === 0 ? entry.requestId : `${entry.requestId}.${entry.hop}`,
      requestId: entry.requestId,
      hop: entry.hop,
      seq,
      time: details.timeStamp,
      tabId: details.tabId,
      method: details.method,
      url: details.url,
      type: resourceType(details.type),
      responseBodyState: 'none',
    };
    if (details.frameId !== undefined) event.frameId = details.frameId;
    const initiator = initiatorOf(details);
    if (initiator) event.initiator = initiator;
    this.secrets.learnUrl(details.url);
    return { event, finished: false };
  }

  private setResponse(event: RequestEvent, details: HeadersReceivedDetails, headers: HttpHeader[] | undefined): void {
    event.status = details.statusCode;
    const statusText = details.statusLine?.replace(/^HTTP\/\S+\s+\d+\s*/, '');
    if (statusText) event.statusText = statusText;
    if (headers) event.responseHeaders = headers;
  }

  private noBodyState(event: RequestEvent): RequestEvent['responseBodyState'] {
    if (event.method === 'HEAD' || event.status === 204 || event.status === 304) return 'none';
    return this.options.bodyState;
  }

  private finish(entry: Tracked): void {
    this.tracked.delete(entry.requestId);
    if (entry.current) this.options.emit(entry.current.event);
  }

  private evictOldest(): void {
    const oldest = this.tracked.values().next().value;
    if (!oldest) return;
    this.evicted += 1;
    if (oldest.current) oldest.current.event.error ??= 'incomplete: too many requests pending';
    this.finish(oldest);
  }

  private countUntrackedRedirect(requestId: string): void {
    this.untrackedRedirects.set(requestId, (this.untrackedRedirects.get(requestId) ?? 0) + 1);
    if (this.untrackedRedirects.size > MAX_UNTRACKED_REDIRECTS) {
      const oldest = this.untrackedRedirects.keys().next().value;
      if (oldest !== undefined) this.untrackedRedirects.delete(oldest);
    }
  }
}
