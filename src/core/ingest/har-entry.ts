/**
 * One HAR entry's fields as the engine's RequestEvent wants them: headers,
 * bodies (base64 decoded), redirect target, resource type and initiator.
 * Pure, and defensive: HAR files come from many tools and are hand-edited.
 */
import type { Content, Entry, Header, PostData } from 'har-format';
import type { HttpHeader, RequestBody, RequestEvent, ResourceType } from '../model.ts';
import { formFieldsOf, nullRecord, pushField } from '../records.ts';

/** The event for one entry, at a given place in its redirect chain. */
export function entryEvent(entry: Entry, position: { requestId: string; hop: number; seq: number; time: number }): RequestEvent {
  const { request, response } = entry;
  const { requestId, hop, seq, time } = position;
  const requestHeaders = cleanHeaders(request.headers);
  const event: RequestEvent = {
    id: hop === 0 ? requestId : `${requestId}.${hop}`,
    requestId,
    hop,
    seq,
    time,
    tabId: -1,
    method: request.method.toUpperCase(),
    url: request.url,
    type: 'other',
    responseBodyState: 'unavailable',
  };
  if (requestHeaders.length > 0) event.requestHeaders = requestHeaders;
  const initiator = initiatorOf(entry, requestHeaders);
  if (initiator !== undefined) event.initiator = initiator;
  const body = requestBodyOf(request.postData);
  if (body) event.requestBody = body;

  if (typeof response === 'object' && response !== null) {
    if (typeof response.status === 'number' && response.status > 0) {
      event.status = response.status;
      if (response.statusText) event.statusText = String(response.statusText);
    }
    const responseHeaders = cleanHeaders(response.headers);
    if (responseHeaders.length > 0) event.responseHeaders = responseHeaders;
    const location = headerValue(responseHeaders, 'location') ?? redirectUrlOf(response);
    if (location !== undefined && event.status !== undefined && event.status >= 300 && event.status < 400) {
      event.redirectUrl = absoluteUrl(location, request.url);
    }
    const content = readContent(response.content);
    if (content !== undefined) {
      event.responseBody = content;
      event.responseBodyState = 'captured';
    }
    const error = (response as { _error?: unknown })._error;
    if (typeof error === 'string' && error !== '') event.error = error;
  }
  if (event.status === undefined && event.error === undefined) event.error = 'no response';
  event.type = resourceTypeOf(entry, requestHeaders, event.responseBody?.mimeType ?? mimeTypeOf(response?.content));
  return event;
}

export function redirectUrlOf(response: Entry['response'] | undefined): string | undefined {
  const url = response?.redirectURL;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

export function absoluteUrl(location: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return location;
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

export function cleanHeaders(headers: unknown): HttpHeader[] {
  if (!Array.isArray(headers)) return [];
  const out: HttpHeader[] = [];
  for (const header of headers as Header[]) {
    if (typeof header?.name !== 'string' || header.name.startsWith(':')) continue;
    out.push({ name: header.name, value: typeof header.value === 'string' ? header.value : String(header.value ?? '') });
  }
  return out;
}

export function headerValue(headers: readonly HttpHeader[] | undefined, lowerName: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (const header of headers) {
    if (typeof header?.name === 'string' && header.name.toLowerCase() === lowerName) return header.value;
  }
  return undefined;
}

/** Form fields come from the raw text when it is url-encoded (exact), else from HAR params. */
export function requestBodyOf(postData: PostData | undefined): RequestBody | undefined {
  if (typeof postData !== 'object' || postData === null) return undefined;
  const body: RequestBody = {};
  const mimeType = typeof postData.mimeType === 'string' ? postData.mimeType : undefined;
  if (mimeType) body.mimeType = mimeType;
  const text = typeof postData.text === 'string' ? postData.text : undefined;
  if (text !== undefined) body.text = text;
  if (text !== undefined && /x-www-form-urlencoded/i.test(mimeType ?? '')) {
    body.formData = formFieldsOf(new URLSearchParams(text));
  } else if (Array.isArray(postData.params) && postData.params.length > 0) {
    const fields = nullRecord<string[]>();
    for (const param of postData.params) {
      if (typeof param?.name !== 'string' || param.fileName !== undefined) continue;
      pushField(fields, param.name, typeof param.value === 'string' ? param.value : '');
    }
    body.formData = fields;
  }
  return body.text === undefined && body.formData === undefined ? undefined : body;
}

export function mimeTypeOf(content: Content | undefined): string | undefined {
  return typeof content?.mimeType === 'string' && content.mimeType !== 'x-unknown' ? content.mimeType : undefined;
}

export function readContent(content: Content | undefined): { text: string; mimeType?: string } | undefined {
  if (typeof content !== 'object' || content === null || typeof content.text !== 'string') return undefined;
  const mimeType = mimeTypeOf(content);
  const text = content.encoding === 'base64' ? decodeBase64(content.text) : content.text;
  if (text === undefined) return undefined;
  return mimeType ? { text, mimeType } : { text };
}

function decodeBase64(value: string): string | undefined {
  try {
    const binary = atob(value.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

const ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)/i;

function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const match = ORIGIN.exec(url);
  return match?.[1]?.toLowerCase();
}

/** Chrome's `_initiator` (url, or the top script frame), else the Origin or Referer header. */
export function initiatorOf(entry: Entry, headers: readonly HttpHeader[]): string | undefined {
  const initiator = entry._initiator as unknown;
  if (typeof initiator === 'string') return originOf(initiator) ?? undefined;
  if (typeof initiator === 'object' && initiator !== null) {
    const { url, stack } = initiator as { url?: unknown; stack?: { callFrames?: { url?: unknown }[] } };
    const fromInitiator = originOf(url) ?? originOf(stack?.callFrames?.find((f) => originOf(f?.url))?.url);
    if (fromInitiator) return fromInitiator;
  }
  const origin = headerValue(headers, 'origin');
  if (origin && origin !== 'null') return originOf(origin) ?? undefined;
  return originOf(headerValue(headers, 'referer'));
}

/** A table lookup that never answers with Object.prototype's members (`_resourceType: "valueOf"`). */
function own(table: Record<string, ResourceType>, key: string): ResourceType | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const CHROME_TYPES: Record<string, ResourceType> = {
  document: 'main_frame',
  stylesheet: 'stylesheet',
  image: 'image',
  media: 'media',
  texttrack: 'media',
  font: 'font',
  script: 'script',
  xhr: 'xhr',
  fetch: 'fetch',
  eventsource: 'xhr',
  websocket: 'websocket',
  ping: 'ping',
  'csp-violation-report': 'ping',
  preflight: 'other',
};

const FETCH_DESTS: Record<string, ResourceType> = {
  document: 'main_frame',
  iframe: 'sub_frame',
  frame: 'sub_frame',
  image: 'image',
  script: 'script',
  style: 'stylesheet',
  font: 'font',
  audio: 'media',
  video: 'media',
  track: 'media',
  report: 'ping',
};

/**
 * Chrome/Playwright `_resourceType`, refined by Sec-Fetch-Dest (the only way
 * a HAR tells an iframe from a top-level document), else guessed from headers
 * and the response MIME type.
 */
export function resourceTypeOf(entry: Entry, headers: readonly HttpHeader[], mimeType: string | undefined): ResourceType {
  const dest = headerValue(headers, 'sec-fetch-dest')?.toLowerCase();
  const declared = typeof entry._resourceType === 'string' ? own(CHROME_TYPES, entry._resourceType) : undefined;
  if (declared === 'main_frame' && (dest === 'iframe' || dest === 'frame')) return 'sub_frame';
  if (declared) return declared;
  const fromDest = dest === undefined ? undefined : own(FETCH_DESTS, dest);
  if (fromDest) return fromDest;
  if (dest === 'empty') return 'fetch';
  if (headerValue(headers, 'x-requested-with')?.toLowerCase() === 'xmlhttprequest') return 'xhr';
  const mime = mimeType?.toLowerCase() ?? '';
  if (mime.includes('html')) return 'main_frame';
  if (mime.includes('json')) return 'fetch';
  if (mime.startsWith('image/')) return 'image';
  if (mime.includes('javascript')) return 'script';
  if (mime.includes('css')) return 'stylesheet';
  return 'other';
}
