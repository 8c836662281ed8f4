/**
 * DevTools: the panel, and the network log of the inspected tab (the only way
 * Chrome shows a response body to an extension).
 * @see https://developer.chrome.com/docs/extensions/reference/api/devtools/network
 */
import { attempt, browser } from './browser.ts';

export function inspectedTabId(): number {
  return browser.devtools.inspectedWindow.tabId;
}

export async function createPanel(title: string, icon: string, page: string): Promise<void> {
  await attempt('devtools.panels.create', () => browser.devtools.panels.create(title, icon, page));
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

interface HarRequestLike {
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content?: { mimeType?: string } };
  startedDateTime: string;
}

export function onRequestFinished(listener: (request: FinishedRequest) => void): void {
  const event = browser.devtools.network.onRequestFinished as unknown as {
    addListener(listener: (entry: HarRequestLike) => void): void;
  };
  event.addListener((entry) => {
    listener({
      method: entry.request.method,
      url: entry.request.url,
      status: entry.response.status,
      startedAt: Date.parse(entry.startedDateTime),
      requestBodyText: entry.request.postData?.text,
      mimeType: entry.response.content?.mimeType,
      getContent: () => readContent(entry),
    });
  });
}

async function readContent(entry: HarRequestLike): Promise<string | undefined> {
  // The polyfill turns getContent(callback) into a promise: Chrome's resolves with
  // [content, encoding], Firefox's with [content, mimeType] or the content alone.
  const result = await attempt('network getContent', () => (entry as unknown as { getContent(): Promise<unknown> }).getContent());
  const [content, encoding] = Array.isArray(result) ? (result as [unknown, unknown]) : [result, undefined];
  if (typeof content !== 'string') return undefined;
  if (encoding !== 'base64') return content;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(content), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
