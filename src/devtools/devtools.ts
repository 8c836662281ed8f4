/**
 * The devtools page: creates the panel, and — whether or not our panel is the
 * one on screen — forwards the response bodies the engine needs (token, PAR,
 * discovery, key set, userinfo answers) to the worker, since Chrome's
 * webRequest never shows them.
 *
 * Two sources, because neither is complete alone in Chrome 156:
 * `onRequestFinished` announces most requests as they end, but never a fetch
 * that a page started while it was still loading (a callback page that redeems
 * its code at once); `getHAR()` lists those too. So the network log is swept
 * with getHAR when this page starts, when the panel is shown, after each
 * navigation and after each announced OAuth-looking request. A body sent twice is harmless:
 * the worker attaches it to one event that has none yet.
 */
import { createPanel, harRequests, inspectedTabId, onNavigated, onRequestFinished, type FinishedRequest } from '../platform/devtools.ts';
import { sendMessage } from '../platform/messaging.ts';
import { RESPONSE_BODY_MESSAGE, type ResponseBodyMessage } from '../core/protocol/worker-panel.ts';
import { MAX_BODY_CHARS } from '../core/ingest/body-cap.ts';
import { bodyWorthReading, MAX_RESPONSE_BODY_CHARS, sendableBody } from './token-request.ts';
import { HarSweeper } from './har-sweeper.ts';

const tabId = inspectedTabId();
/** Requests whose body was sent or is being read (method, URL, start, request body): each goes once. */
const forwarded = new Set<string>();
/**
 * Reads of a body that gave nothing, by request. Chrome 156 lists a fetch a
 * page began while still being parsed in getHAR, but its getContent never
 * answers: stop asking after a few tries. TODO [2027-03-01]: recheck.
 */
const failedReads = new Map<string, number>();
const MAX_READS = 3;
/** Past this many remembered requests both memories start over (a re-sent body is harmless). */
const MAX_REMEMBERED = 5_000;

async function forward(request: FinishedRequest): Promise<void> {
  if (request.status <= 0 || !bodyWorthReading(request)) return;
  const key = `${request.method} ${request.url} ${request.startedAt} ${request.requestBodyText ?? ''}`;
  if (forwarded.size > MAX_REMEMBERED) forwarded.clear();
  if (failedReads.size > MAX_REMEMBERED) failedReads.clear();
  if (forwarded.has(key) || (failedReads.get(key) ?? 0) >= MAX_READS) return;
  forwarded.add(key);
  const body = await request.getContent();
  if (body === undefined) {
    forwarded.delete(key);
    failedReads.set(key, (failedReads.get(key) ?? 0) + 1);
    return;
  }
  if (body.length > MAX_RESPONSE_BODY_CHARS || !sendableBody(request, body)) return;
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

const sweeper = new HarSweeper(async () => {
  await Promise.all((await harRequests()).map((request) => forward(request)));
});

void createPanel('OAuth Lens', 'icons/icon-32.png', 'src/panel/panel.html', () => sweeper.soon());
onRequestFinished((request) => {
  void forward(request);
  // An OAuth-looking exchange is under way: its siblings may be among the unannounced.
  // Other traffic does not trigger sweeps (getHAR builds the whole log each time).
  if (bodyWorthReading(request)) sweeper.soon();
});
onNavigated(() => sweeper.afterNavigation());
sweeper.soon();
