/**
 * The capture as HAR 1.2, masked unless revealed, so it can be shared or fed
 * to `oauth-lens audit`. Only what the events hold is written.
 */
import type { RequestEvent } from '../core/model.ts';
import { bodyText } from './curl.ts';
import { captureRedactor, NO_REDACTION, type Redactor } from './secrets.ts';

function query(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

export function eventsToHar(events: readonly RequestEvent[], reveal = false, version = '0.1.0', redactor?: Redactor): object {
  const redact = reveal ? NO_REDACTION : (redactor ?? captureRedactor(events));
  const entries = events.map((e) => {
    const url = redact.url(e.url);
    const body = bodyText(e);
    const location = e.redirectUrl ? redact.url(e.redirectUrl) : '';
    const content = e.responseBody
      ? { size: e.responseBody.text.length, mimeType: e.responseBody.mimeType ?? '', text: redact.body(e.responseBody.text, e.responseBody.mimeType) }
      : { size: 0, mimeType: '' };
    return {
      startedDateTime: new Date(e.time).toISOString(),
      time: 0,
      _resourceType: e.type,
      request: {
        method: e.method,
        url,
        httpVersion: 'HTTP/1.1',
        headers: redact.headers(e.requestHeaders ?? []),
        queryString: query(url),
        cookies: [],
        headersSize: -1,
        bodySize: body?.length ?? 0,
        ...(body !== undefined
          ? { postData: { mimeType: e.requestBody?.mimeType ?? 'application/x-www-form-urlencoded', text: redact.body(body, e.requestBody?.mimeType) } }
          : {}),
      },
      response: {
        status: e.status ?? 0,
        statusText: e.statusText ?? '',
        httpVersion: 'HTTP/1.1',
        headers: redact.headers(e.responseHeaders ?? []),
        cookies: [],
        content,
        redirectURL: location,
        headersSize: -1,
        bodySize: content.size,
        ...(e.error ? { _error: redact.text(e.error) } : {}),
      },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
    };
  });
  return { log: { version: '1.2', creator: { name: 'oauth-lens', version }, entries } };
}
