/**
 * DevTools: the panel, and the network log of the inspected tab (the only way
 * Chrome shows a response body to an extension).
 * @see https://developer.chrome.com/docs/extensions/reference/api/devtools/network
 */
import { attempt, browser } from './browser.ts';

export function inspectedTabId(): number {
  return browser.devtools.inspectedWindow.tabId;
}

/** Creates the panel; `onShown` runs each time the user opens it. */
export async function createPanel(title: string, icon: string, page: string, onShown?: () => void): Promise<void> {
  const panel = await attempt('devtools.panels.create', () => browser.devtools.panels.create(title, icon, page));
  if (onShown) panel?.onShown.addListener(() => onShown());
}

/** A finished request in the inspected tab (a HAR entry) and a way to read its body. */
export interface FinishedRequest {
  method: string;
  url: string;
  status: number;
  startedAt: number;
  requestBodyText?: string;
  mimeType?: string;
  getContent(): Promise<string | undefined>;
}

/**
 * A HAR entry as DevTools hands it over. `getContent` takes a callback in
 * Chrome and returns a promise in Firefox (webextension-polyfill's wrapper
 * resolved nothing in Chrome 156), so this file talks to the native objects
 * and accepts both shapes.
 */
interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content?: { mimeType?: string } };
  startedDateTime: string;
  getContent(callback?: (content: string, encoding: string) => void): Promise<unknown> | undefined;
}

interface NativeNetwork {
  onRequestFinished: { addListener(listener: (entry: HarEntry) => void): void };
  onNavigated: { addListener(listener: (url: string) => void): void };
  getHAR(callback?: (log: { entries?: HarEntry[] }) => void): Promise<unknown> | undefined;
}

function nativeNetwork(): NativeNetwork {
  const g = globalThis as unknown as { browser?: { devtools?: { network?: NativeNetwork } }; chrome?: { devtools?: { network?: NativeNetwork } } };
  const network = g.browser?.devtools?.network ?? g.chrome?.devtools?.network;
  if (!network) throw new Error('devtools.network is not available here');
  return network;
}

/** Calls an API that takes a callback (Chrome) or returns a promise (Firefox). */
function callbackOrPromise<T>(call: (callback: (...args: unknown[]) => void) => Promise<unknown> | undefined, fromArgs: (args: unknown[]) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      const maybe = call((...args) => resolve(fromArgs(args)));
      if (maybe && typeof maybe.then === 'function') maybe.then((value) => resolve(fromArgs(Array.isArray(value) ? value : [value])), reject);
    } catch (error) {
      reject(error);
    }
  });
}

function finished(entry: HarEntry): FinishedRequest {
  return {
    method: entry.request.method,
    url: entry.request.url,
    status: entry.response.status,
    startedAt: Date.parse(entry.startedDateTime),
    requestBodyText: entry.request.postData?.text,
    mimeType: entry.response.content?.mimeType,
    getContent: () => readContent(entry),
  };
}

export function onRequestFinished(listener: (request: FinishedRequest) => void): void {
  nativeNetwork().onRequestFinished.addListener((entry) => listener(finished(entry)));
}

export function onNavigated(listener: (url: string) => void): void {
  nativeNetwork().onNavigated.addListener(listener);
}

/**
 * Every request DevTools holds for the inspected tab (its network log since
 * the last navigation). Unlike onRequestFinished, this also lists the fetches
 * a page started while it was still loading, which Chrome 156 never announces.
 */
export async function harRequests(): Promise<FinishedRequest[]> {
  const log = await attempt('network getHAR', () =>
    callbackOrPromise((callback) => nativeNetwork().getHAR(callback as (log: { entries?: HarEntry[] }) => void), (args) => args[0] as { entries?: HarEntry[] } | undefined),
  );
  const entries = Array.isArray(log?.entries) ? log.entries : [];
  const requests: FinishedRequest[] = [];
  for (const entry of entries) {
    // Firefox's getHAR entries are plain data without getContent (it reads bodies with filterResponseData anyway).
    if (typeof entry?.getContent !== 'function') continue;
    try {
      requests.push(finished(entry));
    } catch {
      // An entry without a request or response (still in flight): read it next time.
    }
  }
  return requests;
}

/** A getContent that has not answered by then never will (a request DevTools dropped): read it on a later sweep. */
const CONTENT_TIMEOUT_MS = 10_000;

async function readContent(entry: HarEntry): Promise<string | undefined> {
  // Chrome: callback(content, encoding); Firefox: a promise of the content (or [content, mimeType]).
  const result = await attempt('network getContent', () =>
    withTimeout(callbackOrPromise((callback) => entry.getContent(callback as (content: string, encoding: string) => void), (args) => args), CONTENT_TIMEOUT_MS),
  );
  if (!result) return undefined;
  const [content, encoding] = result;
  if (typeof content !== 'string') return undefined;
  if (encoding !== 'base64') return content;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(content), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
