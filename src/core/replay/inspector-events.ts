/**
 * The inspector's own requests as RequestEvents (`fromInspector: true`), so
 * they appear in the flow's timeline beside the app's, marked as ours.
 */
import type { RequestEvent } from '../model.ts';
import { header } from '../oauth/params.ts';
import { wireForm } from './token-requests.ts';
import type { ReplayRequest, ReplayResponse } from './types.ts';
import { formFieldsOf } from '../records.ts';

export interface EventPlace {
  /** Unique id, e.g. `lens-<check>-<step>-<time>`. */
  id: string;
  seq: number;
  tabId: number;
}

export function inspectorEvent(place: EventPlace, request: ReplayRequest, response: ReplayResponse): RequestEvent {
  const wire = wireForm(request);
  const requestHeaders = wire.headers.map((h) => ({ ...h }));
  if (request.appOrigin && response.originSent) requestHeaders.push({ name: 'Origin', value: request.appOrigin });
  const event: RequestEvent = {
    id: place.id,
    requestId: place.id,
    hop: 0,
    seq: place.seq,
    time: response.sentAt,
    tabId: place.tabId,
    method: request.method,
    url: wire.url,
    type: 'fetch',
    requestHeaders,
    responseBodyState: response.networkError !== undefined ? 'none' : 'captured',
    fromInspector: true,
  };
  if (wire.body !== undefined) {
    const mimeType = request.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    event.requestBody = { text: wire.body, mimeType };
    if (request.encoding === 'form') {
      event.requestBody.formData = formFieldsOf(request.fields);
    }
  }
  if (response.networkError !== undefined) {
    event.error = response.networkError;
    return event;
  }
  event.status = response.status;
  if (response.statusText) event.statusText = response.statusText;
  event.responseHeaders = response.headers.map((h) => ({ ...h }));
  const mimeType = header(response.headers, 'content-type');
  event.responseBody = { text: response.bodyText, ...(mimeType ? { mimeType } : {}) };
  return event;
}

/** The inspector's front-channel probe (the authorization request opened in its tab) as an event. */
export function inspectorNavigationEvent(
  place: EventPlace,
  url: string,
  outcome: { status?: number; redirectUrl?: string; error?: string; time: number },
): RequestEvent {
  const event: RequestEvent = {
    id: place.id,
    requestId: place.id,
    hop: 0,
    seq: place.seq,
    time: outcome.time,
    tabId: place.tabId,
    method: 'GET',
    url,
    type: 'main_frame',
    responseBodyState: 'unavailable',
    fromInspector: true,
  };
  if (outcome.status !== undefined) event.status = outcome.status;
  if (outcome.redirectUrl !== undefined) {
    event.redirectUrl = outcome.redirectUrl;
    event.responseHeaders = [{ name: 'Location', value: outcome.redirectUrl }];
  }
  if (outcome.error !== undefined) event.error = outcome.error;
  return event;
}
