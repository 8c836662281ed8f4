/**
 * The secret values a capture holds, so redaction can find them wherever they
 * travel on to: values of secret-named parameters and fields in URLs,
 * Locations, Referers and every other URL-valued header, form and JSON bodies
 * (at any depth, and inside values that are themselves URLs, forms or JSON),
 * credentials of secret headers (the secret half of HTTP Basic too) and
 * cookie values.
 */
import type { Analysis, HttpHeader, RequestEvent } from '../model.ts';
import { isMasked } from './mask.ts';
import { isPasswordName, isSecretHeader, isSecretName, MIN_KNOWN_SECRET } from './secret-names.ts';

/** How deep values nest inside values (a URL in a parameter of a URL…) before we stop looking. */
const MAX_NESTING = 4;
/** JSON deeper than this is not walked further (its strings are still found by the value search). */
const MAX_JSON_DEPTH = 64;
/** Longer texts are not parsed for nested secrets. */
const MAX_PARSE = 2_000_000;

export function decodeParam(value: string): string {
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** `name=value` pairs of a query, fragment, form body or cookie header, split by hand (no regex on the text). */
export function splitPairs(text: string, separators: string): [name: string, value: string][] {
  const out: [string, string][] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !separators.includes(text[i]!)) continue;
    const pair = text.slice(start, i);
    start = i + 1;
    const eq = pair.indexOf('=');
    if (eq > 0) out.push([pair.slice(0, eq).trim(), pair.slice(eq + 1)]);
  }
  return out;
}

class Collector {
  readonly secrets = new Set<string>();
  /** Values seen in password fields: masked whole wherever they appear. */
  readonly passwords = new Set<string>();

  add(value: unknown, password = false): void {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_KNOWN_SECRET && !isMasked(trimmed)) {
      this.secrets.add(trimmed);
      if (password) this.passwords.add(trimmed);
    }
  }

  /** A parameter or field: its value is a secret when its name says so, and may itself hold more. */
  field(name: string, raw: string, depth: number): void {
    const decoded = decodeParam(raw);
    const plainName = decodeParam(name);
    if (isSecretName(plainName)) {
      const password = isPasswordName(plainName);
      this.add(raw, password);
      this.add(decoded, password);
    }
    this.nested(decoded, depth + 1);
  }

  /** Text that may be a URL, a form or JSON. */
  nested(text: string, depth: number): void {
    if (depth > MAX_NESTING || text.length < MIN_KNOWN_SECRET || text.length > MAX_PARSE) return;
    const first = text.trimStart()[0];
    if (first === '{' || first === '[') this.json(text, depth);
    else if (/^(?:[A-Za-z][A-Za-z0-9+.-]{0,20}:|\/)/.test(text)) this.url(text, depth);
    else if (text.includes('=')) this.params(text, depth);
  }

  params(text: string, depth: number): void {
    for (const [name, value] of splitPairs(text, '&;')) this.field(name, value, depth);
  }

  url(url: string | undefined, depth = 0): void {
    if (!url) return;
    const at = url.search(/[?#]/);
    if (at >= 0) for (const [name, value] of splitPairs(url.slice(at + 1), '&#?;')) this.field(name, value, depth);
  }

  json(text: string, depth: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.params(text, depth);
    }
    // Iterative walk: a capture can nest JSON 100k levels deep.
    const stack: { value: unknown; key: string | undefined; level: number }[] = [{ value: parsed, key: undefined, level: 0 }];
    while (stack.length > 0) {
      const { value, key, level } = stack.pop()!;
      if (typeof value === 'string') {
        if (key !== undefined) this.field(key, value, depth);
        else this.nested(value, depth + 1);
      } else if (level < MAX_JSON_DEPTH && value !== null && typeof value === 'object') {
        if (Array.isArray(value)) for (const item of value) stack.push({ value: item, key, level: level + 1 });
        else for (const [k, v] of Object.entries(value)) stack.push({ value: v, key: k, level: level + 1 });
      }
    }
  }

  headers(headers: readonly HttpHeader[] | undefined): void {
    for (const { name, value } of headers ?? []) {
      const lower = name.toLowerCase();
      if (lower === 'cookie' || lower === 'set-cookie') {
        const pairs = lower === 'set-cookie' ? splitPairs(value.split(';', 1)[0] ?? '', '') : splitPairs(value, ';');
        for (const [, cookie] of pairs) {
          this.add(cookie);
          this.add(decodeParam(cookie));
        }
      } else if (isSecretHeader(name)) {
        const scheme = /^\s*([A-Za-z][\w-]{0,30})\s+(\S.*)$/su.exec(value);
        const credential = (scheme?.[2] ?? value).trim();
        this.add(credential);
        if (scheme && scheme[1]!.toLowerCase() === 'basic') this.basic(credential);
        if (!scheme) this.nested(value, 1);
      } else if (value.includes('?') || value.includes('#')) {
        this.url(value);
      }
    }
  }

  /** HTTP Basic `client_id:client_secret`: the secret half is what must not leak. */
  basic(credential: string): void {
    try {
      const decoded = atob(credential);
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        this.add(decoded.slice(colon + 1));
        this.add(decodeParam(decoded.slice(colon + 1)));
      }
    } catch {
      // not base64: already added whole
    }
  }

  event(event: RequestEvent): void {
    this.url(event.url);
    this.url(event.redirectUrl);
    this.headers(event.requestHeaders);
    this.headers(event.responseHeaders);
    const form = event.requestBody?.formData;
    if (form) for (const [name, values] of Object.entries(form)) for (const value of values) if (typeof value === 'string') this.field(name, value, 0);
    for (const text of [event.requestBody?.text, event.responseBody?.text]) if (text) this.nested(text, 0);
  }
}

/** Every secret value seen in a capture. */
export function collectSecrets(source: Analysis | readonly RequestEvent[]): Set<string> {
  return collectSecretValues(source).secrets;
}

/** Every secret value seen in a capture, and which of them were passwords. */
export function collectSecretValues(source: Analysis | readonly RequestEvent[]): { secrets: Set<string>; passwords: Set<string> } {
  const events = Array.isArray(source) ? (source as readonly RequestEvent[]) : (source as Analysis).events;
  const collector = new Collector();
  for (const event of events) {
    try {
      collector.event(event);
    } catch {
      // One odd event must not stop the others from being read; its values are still masked by name.
    }
  }
  // Parameters the engine unpacked from inside a JWT (a JARM response's code, a request object's values).
  if (!Array.isArray(source)) {
    for (const flow of (source as Analysis).flows) {
      for (const leg of flow.legs) for (const [name, value] of Object.entries(leg.params)) if (isSecretName(name)) collector.add(value);
    }
  }
  return { secrets: collector.secrets, passwords: collector.passwords };
}
