/**
 * A tiny text language for captures, so check tests read like the RFC examples:
 *
 *   const events = capture`
 *     GET https://as.test/authorize?response_type=code&client_id=app&state=s1 -> 302 https://app.test/cb?code=c1&state=s1
 *     GET https://app.test/cb?code=c1&state=s1 -> 200
 *       < Referrer-Policy: no-referrer
 *     [fetch] POST https://as.test/token grant_type=authorization_code&code=c1 -> 200 {"access_token":"at1"}
 *       > Origin: https://app.test
 *   `;
 *
 * A line: `[tags] METHOD URL [BODY] -> STATUS [LOCATION | BODY]`.
 * Tags: a resource type (`fetch`, `xhr`, `main_frame`, `sub_frame`, `image`…) and `tab=N`.
 * GET defaults to main_frame, other methods to fetch. Indented `> Name: value`
 * lines add request headers, `< Name: value` response headers. A GET whose URL is
 * the previous line's Location (fragment aside) is the next hop of the same request.
 * A response with no body is `unavailable` (as in Chrome); `-> 200 -` means no body at all.
 */
import type { HttpHeader, RequestEvent, ResourceType } from '../../src/core/model.ts';

const LINE = /^(?:\[([^\]]*)\]\s+)?([A-Z]+)\s+(\S+)(?:\s+(.*?))?\s+->\s+(\d{3})(?:\s+(.*))?$/;

function formData(text: string): Record<string, string[]> {
  const data: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) (data[key] ??= []).push(value);
  return data;
}

export function parseCapture(source: string, start = { time: 1_700_000_000_000 }): RequestEvent[] {
  const events: RequestEvent[] = [];
  let requestCounter = 0;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const last = events[events.length - 1];
    if (line.startsWith('>') || line.startsWith('<')) {
      if (!last) throw new Error(`header before any request: ${line}`);
      const colon = line.indexOf(':');
      const h: HttpHeader = { name: line.slice(1, colon).trim(), value: line.slice(colon + 1).trim() };
      if (line.startsWith('>')) (last.requestHeaders ??= []).push(h);
      else (last.responseHeaders ??= []).push(h);
      continue;
    }
    const match = LINE.exec(line);
    if (!match) throw new Error(`cannot read capture line: ${line}`);
    const [, tagText = '', method = 'GET', url = '', body, statusText = '200', rest] = match;
    const tags = tagText.split(/[\s,]+/).filter(Boolean);
    const tabTag = tags.find((t) => t.startsWith('tab='));
    const typeTag = tags.find((t) => !t.includes('=')) as ResourceType | undefined;
    const status = Number(statusText);
    const isHop = !!last?.redirectUrl && last.redirectUrl.split('#')[0] === url.split('#')[0] && method === 'GET';
    const requestId = isHop && last ? last.requestId : `r${++requestCounter}`;
    const hop = isHop && last ? last.hop + 1 : 0;
    const event: RequestEvent = {
      id: hop === 0 ? requestId : `${requestId}.${hop}`,
      requestId,
      hop,
      seq: events.length + 1,
      time: start.time + events.length * 1000,
      tabId: tabTag ? Number(tabTag.slice(4)) : 1,
      method,
      url,
      type: typeTag ?? (method === 'GET' ? 'main_frame' : 'fetch'),
      status,
      responseBodyState: 'unavailable',
    };
    if (body) {
      event.requestBody = body.startsWith('{')
        ? { text: body, mimeType: 'application/json' }
        : { formData: formData(body), text: body, mimeType: 'application/x-www-form-urlencoded' };
    }
    if (status >= 300 && status < 400 && rest) {
      event.redirectUrl = new URL(rest, url).href;
      event.responseHeaders = [{ name: 'Location', value: rest }];
    } else if (rest === '-') {
      event.responseBodyState = 'none';
    } else if (rest) {
      event.responseBody = { text: rest, mimeType: rest.startsWith('{') ? 'application/json' : 'text/plain' };
      event.responseBodyState = 'captured';
    }
    events.push(event);
  }
  return events;
}

/** Tagged-template form of parseCapture. */
export function capture(strings: TemplateStringsArray, ...values: unknown[]): RequestEvent[] {
  return parseCapture(String.raw({ raw: strings }, ...values));
}
