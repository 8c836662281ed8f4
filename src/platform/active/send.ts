/**
 * Sends one of the inspector's token requests from the extension, with the
 * app's Origin where the browser lets us set it, and reads the whole answer.
 *
 * fetch may not set Origin (a forbidden header), and token endpoints often
 * check it against the client (oidc-provider's clientBasedCORS). So:
 * - Chrome: a declarativeNetRequest session rule that sets Origin, scoped to
 *   requests from no tab (the extension's own), this URL and method, alive
 *   only for this one fetch;
 * - Firefox: a blocking onBeforeSendHeaders listener for this URL that only
 *   touches requests whose originUrl is this extension.
 * No cookies are sent (`credentials: 'omit'`): the token endpoint does not need them.
 */
import type { HttpHeader } from '../../core/model.ts';
import { dnrSafeUrl } from '../../core/replay/guard.ts';
import { wireForm } from '../../core/replay/token-requests.ts';
import type { ReplayRequest, ReplayResponse } from '../../core/replay/types.ts';
import { browser } from '../browser.ts';
import { debug } from '../debug.ts';
import { addSessionRule, dnrAvailable, removeSessionRule } from './dnr.ts';

const TAB_ID_NONE = -1;

type Listener = (details: { requestHeaders?: HttpHeader[]; originUrl?: string; method: string }) => { requestHeaders: HttpHeader[] } | undefined;
interface BlockingEvent {
  addListener(listener: Listener, filter: object, extra: string[]): void;
  removeListener(listener: Listener): void;
}

function canBlockWebRequest(): boolean {
  return typeof (browser.webRequest as { filterResponseData?: unknown } | undefined)?.filterResponseData === 'function';
}

/** Arranges for `origin` to be sent on the next request to `url`; returns the undo. */
async function setOrigin(url: string, method: string, origin: string): Promise<(() => Promise<void>) | undefined> {
  if (dnrAvailable()) {
    const id = await addSessionRule(
      {
        // `|…|` anchors both ends: this exact URL only (dnrSafeUrl: no `*`, `^` or `|` inside).
        urlFilter: `|${url}|`,
        isUrlFilterCaseSensitive: true,
        tabIds: [TAB_ID_NONE],
        requestMethods: [method.toLowerCase()],
        resourceTypes: ['xmlhttprequest', 'other'],
      },
      { type: 'modifyHeaders', requestHeaders: [{ header: 'Origin', operation: 'set', value: origin }] },
    );
    if (id !== undefined) return () => removeSessionRule(id);
  }
  if (!canBlockWebRequest()) return undefined;
  // Firefox without the DNR permission: a blocking listener (Firefox may not show an
  // extension its own requests; then the server's Origin refusal is reported as such).
  const self = browser.runtime.getURL('');
  const listener: Listener = (details) => {
    if (!details.originUrl?.startsWith(self) || details.method !== method) return undefined;
    const headers = (details.requestHeaders ?? []).filter((h) => h.name.toLowerCase() !== 'origin');
    headers.push({ name: 'Origin', value: origin });
    return { requestHeaders: headers };
  };
  const event = browser.webRequest.onBeforeSendHeaders as unknown as BlockingEvent;
  try {
    event.addListener(listener, { urls: [url.split('#')[0] ?? url] }, ['blocking', 'requestHeaders']);
  } catch (error) {
    debug('blocking onBeforeSendHeaders failed', String(error));
    return undefined;
  }
  return async () => event.removeListener(listener);
}

export async function sendTokenRequest(request: ReplayRequest): Promise<ReplayResponse> {
  const wire = wireForm(request);
  // Sent as the Origin rule matches it: `*`, `^`, `|` percent-encoded.
  wire.url = dnrSafeUrl(wire.url);
  const sentAt = Date.now();
  const undo = request.appOrigin ? await setOrigin(wire.url, request.method, request.appOrigin) : undefined;
  try {
    const init: RequestInit = {
      method: request.method,
      headers: wire.headers.map((h) => [h.name, h.value] as [string, string]),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'manual',
    };
    if (wire.body !== undefined) init.body = wire.body;
    const response = await fetch(wire.url, init);
    const headers: HttpHeader[] = [];
    response.headers.forEach((value, name) => headers.push({ name, value }));
    const bodyText = response.type === 'opaqueredirect' ? '' : await response.text();
    const out: ReplayResponse = { status: response.status, headers, bodyText, sentAt, originSent: undo !== undefined };
    if (response.statusText) out.statusText = response.statusText;
    return out;
  } catch (error) {
    return { status: 0, headers: [], bodyText: '', sentAt, networkError: String((error as Error)?.message ?? error), originSent: undo !== undefined };
  } finally {
    await undo?.();
  }
}
