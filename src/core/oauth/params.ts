/**
 * Defensive parsing of the places OAuth parameters travel: URL query and
 * fragment, form and JSON bodies, headers. Nothing here throws on bad input.
 */
import type { HttpHeader, RequestBody } from '../model.ts';
import { hasKey, nullRecord } from '../records.ts';
import { parseBoundedJson } from './bounded-json.ts';

export type Params = Record<string, string>;

/** `new URL()` that answers undefined instead of throwing. */
export function safeUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** First value of each parameter in a `a=1&b=2` string (leading `?`/`#` allowed). */
export function parseParamString(text: string): Params {
  const params = nullRecord<string>();
  const source = text.startsWith('?') || text.startsWith('#') ? text.slice(1) : text;
  if (source === '') return params;
  try {
    for (const [key, value] of new URLSearchParams(source)) {
      if (!hasKey(params, key)) params[key] = value;
    }
  } catch {
    // URLSearchParams does not throw on strings; kept for exotic inputs.
  }
  return params;
}

export function queryParams(url: string): Params {
  const hash = url.indexOf('#');
  const noHash = hash === -1 ? url : url.slice(0, hash);
  const question = noHash.indexOf('?');
  return question === -1 ? nullRecord<string>() : parseParamString(noHash.slice(question + 1));
}

export function fragmentParams(url: string): Params {
  const hash = url.indexOf('#');
  return hash === -1 ? nullRecord<string>() : parseParamString(url.slice(hash + 1));
}

/** The text without the given character at its end, however many (a loop: `/=+$/` is quadratic on `===…x`). */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

const FORM_PAIR = /^[\w.-]+(?:=[^\s<>]*)?$/;

/** `name=value&name=value…` (a form-encoded response): tested pair by pair, linear in the text's length. */
export function looksLikeFormBody(text: string): boolean {
  if (!/^[\w.-]+=/.test(text)) return false;
  return text.split('&').every((pair) => pair === '' || FORM_PAIR.test(pair));
}

/** `origin + pathname` of a URL, the form redirect URIs and endpoints are compared in. */
export function endpointOf(url: string): string | undefined {
  const parsed = safeUrl(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : undefined;
}

export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = safeUrl(url);
  return parsed && parsed.origin !== 'null' ? parsed.origin : undefined;
}

export function stripFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

export function header(headers: readonly HttpHeader[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const h of headers) {
    if (h.name.toLowerCase() === wanted) return h.value;
  }
  return undefined;
}

/** Parses a JSON object; anything else (arrays, garbage, huge nesting errors) is undefined. */
export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = parseBoundedJson(trimmed);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Scalars of a JSON object as strings (what a parameter table shows). */
export function stringScalars(object: Record<string, unknown>): Params {
  const params = nullRecord<string>();
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') params[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
  }
  return params;
}

/** Parameters of a request body: parsed form data, a form string, or a JSON object. */
export function bodyParams(body: RequestBody | undefined): Params {
  if (!body) return nullRecord<string>();
  const params = nullRecord<string>();
  if (body.formData) {
    for (const [key, values] of Object.entries(body.formData)) {
      const first = Array.isArray(values) ? values[0] : undefined;
      if (typeof first === 'string' && !hasKey(params, key)) params[key] = first;
    }
  }
  if (body.text !== undefined && Object.keys(params).length === 0) {
    const json = parseJsonObject(body.text);
    if (json) return stringScalars(json);
    if (!body.text.includes('\n') || /x-www-form-urlencoded/i.test(body.mimeType ?? '')) {
      return parseParamString(body.text.trim());
    }
  }
  return params;
}

/** The body format a request used, for evidence and the panel. */
export function bodyIsJson(body: RequestBody | undefined): boolean {
  return !!body?.text && parseJsonObject(body.text) !== undefined && !body.formData;
}

/** Client credentials from `Authorization: Basic …`, if any. */
export function basicCredentials(
  headers: readonly HttpHeader[] | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const value = header(headers, 'authorization');
  if (!value || !/^basic\s+/i.test(value)) return undefined;
  try {
    const decoded = atob(value.replace(/^basic\s+/i, '').trim());
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    const unescape = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** The token of `Authorization: Bearer x` / `DPoP x`, if any. */
export function bearerToken(headers: readonly HttpHeader[] | undefined): { scheme: 'Bearer' | 'DPoP'; token: string } | undefined {
  const value = header(headers, 'authorization');
  if (!value) return undefined;
  const match = /^(bearer|dpop)\s+(\S+)\s*$/i.exec(value);
  if (!match?.[1] || !match[2]) return undefined;
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}
