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

function add(event: unknown, listener: (details: never) => void, extra?: string[], filter: object = ALL_URLS): boolean {
  try {
    (event as Registrable).addListener(listener, filter, extra);
    return true;
  } catch (error) {
    debug('webRequest addListener failed', String(error));
    return false;
  }
}

/**
 * Registers every capture listener. Call synchronously at the top level of the
 * worker so the browser wakes it for these events.
 *
 * Firefox: onBeforeRequest is `blocking` so that a token request's response can
 * be filtered from inside it (`readResponseBody`); the listener returns nothing,
 * so no request is changed.
 */
export function registerWebRequestListeners(handlers: WebRequestHandlers): void {
  const wr = browser.webRequest;
  const before = (details: never) => handlers.beforeRequest(details as BeforeRequestDetails);
  if (!canFilterResponses || !add(wr.onBeforeRequest, before, ['requestBody', 'blocking'])) {
    add(wr.onBeforeRequest, before, ['requestBody']);
  }
  add(wr.onSendHeaders, (details: never) => handlers.sendHeaders(details as SendHeadersDetails), ['requestHeaders']);
  // No onHeadersReceived: onBeforeRedirect (Location, with its fragment) and onCompleted carry
  // the same response headers, and every listener costs every request a message to the worker.
  add(wr.onBeforeRedirect, (details: never) => handlers.beforeRedirect(details as BeforeRedirectDetails), ['responseHeaders']);
  add(wr.onCompleted, (details: never) => handlers.completed(details as CompletedDetails), ['responseHeaders']);
  add(wr.onErrorOccurred, (details: never) => handlers.errorOccurred(details as ErrorDetails));
}

const tabHeaderListeners = new Map<number, AnyListener>();

/**
 * Chrome only: request headers with `extraHeaders` (Referer, Origin, Cookie)
 * for one tab. `extraHeaders` makes Chrome route every matching request
 * through the extension before it is sent, so it is asked for only on tabs
 * where a flow is under way. No-op where headers need no opt-in (Firefox).
 */
export function watchTabHeaders(tabId: number, handler: (details: SendHeadersDetails) => void): void {
  const extra = extraHeadersOption();
  if (!extra || tabHeaderListeners.has(tabId)) return;
  const listener = (details: never) => handler(details as SendHeadersDetails);
  if (add(browser.webRequest.onSendHeaders, listener, ['requestHeaders', extra], { urls: ['<all_urls>'], tabId })) {
    tabHeaderListeners.set(tabId, listener);
  }
}

export function unwatchTabHeaders(tabId: number): void {
  const listener = tabHeaderListeners.get(tabId);
  if (!listener) return;
  tabHeaderListeners.delete(tabId);
  try {
    (browser.webRequest.onSendHeaders as unknown as Registrable).removeListener(listener);
  } catch (error) {
    debug('webRequest removeListener failed', String(error));
  }
}

export function watchedHeaderTabs(): number[] {
  return [...tabHeaderListeners.keys()];
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
