import type { RequestEvent } from '../core/model.ts';
import { BUILT_IN, NO_REDACTION, type Redactor } from './secrets.ts';

/** Single-quotes a value for a POSIX shell: nothing inside is interpreted. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Headers the browser sets itself; a replay should not pin them. */
const SKIP = new Set(['content-length', 'host', 'connection', 'accept-encoding']);

/**
 * The request of a leg as a cURL command; secrets masked unless `reveal`, by
 * `redactor` (the capture's, so a secret forwarded elsewhere, encoded once or twice, is masked too).
 */
export function toCurl(event: RequestEvent, reveal = false, redactor: Redactor = BUILT_IN): string {
  const redact = reveal ? NO_REDACTION : redactor;
  const url = redact.url(event.url);
  const parts = ['curl'];
  if (event.method !== 'GET') parts.push('-X', shellQuote(event.method));
  parts.push(shellQuote(url.split('#')[0] ?? url));
  for (const h of event.requestHeaders ?? []) {
    if (SKIP.has(h.name.toLowerCase()) || h.name.startsWith(':')) continue;
    const value = redact.header(h.name, h.value);
    parts.push('-H', shellQuote(`${h.name}: ${value}`));
  }
  const body = bodyText(event);
  if (body !== undefined) {
    parts.push('--data-raw', shellQuote(redact.body(body, event.requestBody?.mimeType)));
  }
  return parts.join(' ');
}

/** The request body as text: the raw text, else the parsed form re-encoded. */
export function bodyText(event: RequestEvent): string | undefined {
  const body = event.requestBody;
  if (!body) return undefined;
  if (body.text !== undefined) return body.text;
  if (body.formData) {
    const form = new URLSearchParams();
    for (const [k, values] of Object.entries(body.formData)) for (const v of values) form.append(k, v);
    return form.toString();
  }
  return undefined;
}
