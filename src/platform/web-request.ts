/**
 * webRequest listeners, the one place that knows how Chrome and Firefox differ:
 * - Chrome hides Referer, Origin and Cookie unless `extraHeaders` is asked for
 *   (feature-detected: the option does not exist in Firefox and throws there);
 * - Firefox shows every header, and can read response bodies with
 *   `filterResponseData` (Chrome cannot).
 * @see https://developer.chrome.com/docs/extensions/reference/api/webRequest#life_cycle_of_requests
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/webRequest/filterResponseData
 */
import type {
  BeforeRedirectDetails,
  BeforeRequestDetails,
  CompletedDetails,
  ErrorDetails,
  HeadersReceivedDetails,
  SendHeadersDetails,
} from '../core/ingest/from-webrequest.ts';
import { browser } from './browser.ts';
import { debug } from './debug.ts';

const ALL_URLS = { urls: ['<all_urls>'] };

interface ChromeLike {
  webRequest?: { OnSendHeadersOptions?: { EXTRA_HEADERS?: string } };
}

/** Chrome's `extraHeaders`, or undefined where it does not exist (Firefox). */
export function extraHeadersOption(): 'extraHeaders' | undefined {
  const chromeApi = (globalThis as { chrome?: ChromeLike }).chrome;
  return chromeApi?.webRequest?.OnSendHeadersOptions?.EXTRA_HEADERS === 'extraHeaders' ? 'extraHeaders' : undefined;
}

/** Whether request headers such as Referer need a per-listener opt-in (Chrome). */
export const headersNeedOptIn = extraHeadersOption() !== undefined;

/** Whether response bodies can be read in the worker (Firefox). */
export const canFilterResponses = typeof (browser.webRequest as { filterResponseData?: unknown }).filterResponseData === 'function';

export interface WebRequestHandlers {
  beforeRequest(details: BeforeRequestDetails): void;
  /** Request headers without Chrome's extra headers (all of them in Firefox). */
  sendHeaders(details: SendHeadersDetails): void;
  headersReceived(details: HeadersReceivedDetails): void;
  beforeRedirect(details: BeforeRedirectDetails): void;
  completed(details: CompletedDetails): void;
  errorOccurred(details: ErrorDetails): void;
}

type AnyListener = (details: never) => void;
type Registrable = {
  addListener(listener: AnyListener, filter: object, extra?: string[]): void;
  removeListener(listener: AnyListener): void;
};

function add(event: unknown, listener: AnyListener, extra?: string[], filter: object = ALL_URLS): boolean {
  try {
    (event as Registrable).addListener(listener, filter, extra);
    return true;
  } catch (error) {
    debug('webRequest addListener failed', String(error));
    return false;
  }
}

function remove(event: unknown, listener: AnyListener): void {
  try {
    (event as Registrable).removeListener(listener);
  } catch (error) {
    debug('webRequest removeListener failed', String(error));
  }
}

/**
 * The request types listened to in every tab: those that can start a flow (an
 * authorization request, a callback or a form_post is a navigation, a frame
 * for silent renew; a token request, a PAR push or a discovery fetch is
 * fetch/XHR, from the page, one of its workers or its service worker), and
 * the few that carry a page's URL away as it loads (a beacon, a CSP report:
 * code.forwarded on a callback page that loads before its tab's own listeners
 * are in place). Images, scripts, stylesheets and fonts are the bulk of a
 * page and wait for a tab with a flow under way.
 */
export const FLOW_START_TYPES: readonly string[] = ['main_frame', 'sub_frame', 'xmlhttprequest', 'ping', 'csp_report'];
const NAVIGATION_TYPES = ['main_frame', 'sub_frame'];

/**
 * Every other request type the browser knows (images, scripts, beacons…),
 * read from its own `ResourceType` enum: they matter only in a tab with a
 * flow under way (a Referer or a forwarded code), so they are listened to per
 * tab. Undefined when the enum is missing: then everything is global.
 */
export function otherResourceTypes(): string[] | undefined {
  const api = (globalThis as { chrome?: { webRequest?: { ResourceType?: unknown } } }).chrome?.webRequest?.ResourceType;
  const enumObject = api ?? (browser.webRequest as { ResourceType?: unknown }).ResourceType;
  if (!enumObject || typeof enumObject !== 'object') return undefined;
  const all = Object.values(enumObject as Record<string, unknown>).filter((type): type is string => typeof type === 'string');
  if (!FLOW_START_TYPES.every((type) => all.includes(type))) return undefined;
  return all.filter((type) => !FLOW_START_TYPES.includes(type));
}

/** The handlers as browser listeners: a fresh set of functions each call (one set per registration, removable by identity). */
function listenersOf(handlers: WebRequestHandlers) {
  return {
    beforeRequest: (details: never) => handlers.beforeRequest(details as BeforeRequestDetails),
    sendHeaders: (details: never) => handlers.sendHeaders(details as SendHeadersDetails),
    headersReceived: (details: never) => handlers.headersReceived(details as HeadersReceivedDetails),
    beforeRedirect: (details: never) => handlers.beforeRedirect(details as BeforeRedirectDetails),
    completed: (details: never) => handlers.completed(details as CompletedDetails),
    errorOccurred: (details: never) => handlers.errorOccurred(details as ErrorDetails),
  };
}

/** How the capture listens: see registerWebRequestListeners. */
export type ListenMode = 'per-tab' | 'global';

/**
 * Registers the capture listeners every tab needs. Call synchronously at the
 * top level of the worker so the browser wakes it for these events. Returns
 * the mode it could set up.
 *
 * Most of an observer's cost is the browser routing every request of every
 * page past its listeners (and, with `extraHeaders`, through the browser
 * process), so in 'per-tab' mode (Chrome) the global listeners take only the
 * types that can start a flow (navigations and fetch/XHR; beacons and CSP
 * reports too, few and able to carry a callback's URL away), only the events
 * recognition needs (onBeforeRequest with the body; onSendHeaders for
 * fetch/XHR, where a bearer token or a DPoP proof travels; onBeforeRedirect,
 * whose Location keeps the fragment; onCompleted; onErrorOccurred), and never
 * `extraHeaders`. `watchTab` adds the rest for one tab once a leg is seen there.
 *
 * 'global' (Firefox, or a browser without a ResourceType enum): every type in
 * every tab. Firefox forgets listeners added at run time when it suspends its
 * event page, so per-tab listeners would go deaf between two flows. Its
 * onBeforeRequest is `blocking` for navigations and fetch/XHR only, so that a
 * token request's response can be filtered from inside it (`readResponseBody`);
 * the listener returns nothing, so no request is changed; every other type
 * gets a plain listener and waits for nothing.
 */
export function registerWebRequestListeners(handlers: WebRequestHandlers, wanted: ListenMode = headersNeedOptIn ? 'per-tab' : 'global'): ListenMode {
  const wr = browser.webRequest;
  const others = otherResourceTypes();
  const mode: ListenMode = wanted === 'per-tab' && others !== undefined ? 'per-tab' : 'global';
  const { beforeRequest: before, sendHeaders, beforeRedirect: redirect, completed, errorOccurred: error } = listenersOf(handlers);
  const starts = { urls: ['<all_urls>'], types: [...FLOW_START_TYPES] };

  if (mode === 'per-tab') {
    // No extraHeaders here: Chrome makes every request of every tab go through the browser
    // process for its headers while any listener with extraHeaders exists, whatever its filter.
    const fetches = { urls: ['<all_urls>'], types: ['xmlhttprequest'] };
    add(wr.onBeforeRequest, before, ['requestBody'], starts);
    add(wr.onSendHeaders, sendHeaders, ['requestHeaders'], fetches);
    add(wr.onBeforeRedirect, redirect, ['responseHeaders'], starts);
    add(wr.onCompleted, completed, ['responseHeaders'], starts);
    add(wr.onErrorOccurred, error, undefined, starts);
    return mode;
  }

  if (!canFilterResponses) {
    add(wr.onBeforeRequest, before, ['requestBody']);
  } else if (!registerSplitBlocking(handlers, others)) {
    if (!add(wr.onBeforeRequest, before, ['requestBody', 'blocking'])) add(wr.onBeforeRequest, before, ['requestBody']);
  }
  add(wr.onSendHeaders, sendHeaders, ['requestHeaders']);
  // No onHeadersReceived: onBeforeRedirect (Location, with its fragment) and onCompleted carry
  // the same response headers, and every listener costs every request a message to the worker.
  add(wr.onBeforeRedirect, redirect, ['responseHeaders']);
  add(wr.onCompleted, completed, ['responseHeaders']);
  add(wr.onErrorOccurred, error);
  return mode;
}

/**
 * Firefox: the blocking onBeforeRequest (needed to read a token response)
 * for navigations and fetch/XHR only, a plain one for every other type.
 * False, with nothing left registered, where the two cannot both be had.
 */
function registerSplitBlocking(handlers: WebRequestHandlers, others: string[] | undefined): boolean {
  if (!others) return false;
  const wr = browser.webRequest;
  const plain = listenersOf(handlers).beforeRequest;
  if (!add(wr.onBeforeRequest, plain, ['requestBody'], { urls: ['<all_urls>'], types: others })) return false;
  if (add(wr.onBeforeRequest, listenersOf(handlers).beforeRequest, ['requestBody', 'blocking'], { urls: ['<all_urls>'], types: [...FLOW_START_TYPES] })) return true;
  remove(wr.onBeforeRequest, plain);
  return false;
}

interface TabListeners {
  registered: Array<[unknown, AnyListener]>;
}

const tabListeners = new Map<number, TabListeners>();

/**
 * 'per-tab' mode: the listeners of one tab with a flow under way — every
 * request type the global listeners leave out (a Referer leaking by an image,
 * a code forwarded by a beacon), and (Chrome) what only `extraHeaders` shows:
 * every request's Referer, Origin and Cookie, and Set-Cookie on the responses
 * of navigations and fetch/XHR (onHeadersReceived, which the global listeners
 * leave alone, so no event comes twice). While any tab is watched, Chrome
 * routes every request's headers through its browser process (the cost of
 * `extraHeaders`); `unwatchTab` ends it when the tab's flows go idle.
 */
export function watchTab(tabId: number, handlers: WebRequestHandlers): void {
  if (tabListeners.has(tabId)) return;
  const others = otherResourceTypes();
  if (!others) return;
  const wr = browser.webRequest;
  const extra = extraHeadersOption();
  const tab = { urls: ['<all_urls>'], tabId };
  const rest = { ...tab, types: others };
  const entry: TabListeners = { registered: [] };
  const listen = (event: unknown, listener: AnyListener, options: string[] | undefined, filter: object) => {
    if (add(event, listener, options, filter)) entry.registered.push([event, listener]);
  };
  const own = listenersOf(handlers);
  listen(wr.onBeforeRequest, own.beforeRequest, ['requestBody'], rest);
  if (extra) {
    // Every type, fetch/XHR again: the global listener cannot see Referer, Origin or Cookie.
    listen(wr.onSendHeaders, own.sendHeaders, ['requestHeaders', extra], tab);
    listen(wr.onHeadersReceived, own.headersReceived, ['responseHeaders', extra], { ...tab, types: [...FLOW_START_TYPES] });
  } else {
    listen(wr.onSendHeaders, own.sendHeaders, ['requestHeaders'], rest);
  }
  listen(wr.onBeforeRedirect, own.beforeRedirect, ['responseHeaders'], rest);
  listen(wr.onCompleted, own.completed, ['responseHeaders'], rest);
  listen(wr.onErrorOccurred, own.errorOccurred, undefined, rest);
  tabListeners.set(tabId, entry);
}

export function unwatchTab(tabId: number): void {
  const entry = tabListeners.get(tabId);
  if (!entry) return;
  tabListeners.delete(tabId);
  for (const [event, listener] of entry.registered) remove(event, listener);
}

/** Tabs with their own listeners now. */
export function watchedTabs(): number[] {
  return [...tabListeners.keys()];
}

export interface BodyReader {
  onBody(text: string): void;
  onFail(): void;
}

/** Largest response body kept; the page always gets all of it. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Firefox: reads a response body while passing every byte on to the page
 * unchanged. Must be called from inside the blocking onBeforeRequest listener.
 * Returns false where not possible (Chrome).
 */
export function readResponseBody(requestId: string, reader: BodyReader): boolean {
  if (!canFilterResponses) return false;
  let filter: ReturnType<typeof browser.webRequest.filterResponseData>;
  try {
    filter = browser.webRequest.filterResponseData(requestId);
  } catch (error) {
    debug('filterResponseData failed', String(error));
    return false;
  }
  const chunks: ArrayBuffer[] = [];
  let size = 0;
  filter.ondata = (event: { data: ArrayBuffer }) => {
    filter.write(event.data);
    if (size < MAX_BODY_BYTES) {
      chunks.push(event.data);
      size += event.data.byteLength;
    }
  };
  filter.onstop = () => {
    filter.close();
    const decoder = new TextDecoder();
    let text = '';
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    reader.onBody(text + decoder.decode());
  };
  filter.onerror = () => {
    debug('response filter error', filter.error);
    reader.onFail();
  };
  return true;
}
