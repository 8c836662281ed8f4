/**
 * The devtools page: creates the panel, and — whether or not our panel is the
 * one on screen — forwards token response bodies to the worker, since Chrome's
 * webRequest never shows them.
 */
import { createPanel, inspectedTabId, onRequestFinished, type FinishedRequest } from '../platform/devtools.ts';
import { sendMessage } from '../platform/messaging.ts';
import { RESPONSE_BODY_MESSAGE, type ResponseBodyMessage } from '../core/protocol/worker-panel.ts';
import { looksLikeKeySet, looksLikeMetadata, looksLikeTokenRequest } from './token-request.ts';
import { MAX_BODY_CHARS } from '../core/ingest/body-cap.ts';

void createPanel('OAuth Lens', 'icons/icon-32.png', 'src/panel/panel.html');

const tabId = inspectedTabId();
/** Requests already forwarded (method, URL, start): each body goes once. */
const forwarded = new Set<string>();

async function forward(request: FinishedRequest): Promise<void> {
  const jsonGet = request.method === 'GET' && (request.mimeType ?? '').includes('json');
  if (!looksLikeTokenRequest(request.method, request.requestBodyText) && !looksLikeMetadata(request.method, request.url) && !jsonGet) return;
  const key = `${request.method} ${request.url} ${request.startedAt}`;
  if (forwarded.has(key)) return;
  forwarded.add(key);
  const body = await request.getContent();
  if (body === undefined) {
    forwarded.delete(key);
    return;
  }
  // Any JSON GET is read, but only key sets are sent: other API answers stay in the page.
  if (jsonGet && !looksLikeMetadata(request.method, request.url) && !looksLikeKeySet(body)) return;
  // The worker keeps at most MAX_BODY_CHARS of a body: send no more than that (and a character
  // over, so the worker marks it as cut).
  const message: ResponseBodyMessage = {
    type: RESPONSE_BODY_MESSAGE,
    tabId,
    url: request.url,
    method: request.method,
    status: request.status,
    startedAt: request.startedAt,
    ...(request.requestBodyText !== undefined && request.requestBodyText.length <= 65_536 ? { requestBody: request.requestBodyText } : {}),
    body: body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS + 1) : body,
    ...(request.mimeType ? { mimeType: request.mimeType } : {}),
  };
  await sendMessage(message);
}

// Known gap (Chrome 156): a fetch started while its page is still loading (a
// callback page that redeems its code at once) is not announced here, and the
// HAR entry getHAR lists for it never answers getContent. Such a token
// response stays "not evaluated". TODO [2027-03-01]: recheck on newer Chrome.
onRequestFinished((request) => void forward(request));
