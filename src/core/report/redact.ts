/**
 * Redaction of everything that leaves the engine (reports, exports). Masks,
 * with `maskSecret` (first 4 + last 4 characters at most):
 *  - values of secret parameters in URLs (query and fragment), form and JSON
 *    bodies, and `name=value` / `"name": "value"` text;
 *  - Authorization, Proxy-Authorization, Cookie, Set-Cookie, DPoP and API-key headers;
 *  - any JWT-shaped string (`eyJ…`);
 *  - any exact secret value observed in the capture (`collectSecrets`), wherever it appears.
 * Redaction is idempotent: a masked value is recognised (`isMasked`) and left alone.
 * Values shorter than MIN_KNOWN_SECRET are masked by name only, never searched for.
 */
import type { Analysis, HttpHeader, RequestEvent } from '../model.ts';
import { isMasked, maskSecret } from './mask.ts';

/** Parameter, JSON field and claim names whose values are secrets. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'code',
  'access_token',
  'id_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'password',
  'passwd',
  'assertion',
  'client_assertion',
  'token',
  'device_code',
  'user_code',
  'id_token_hint',
  'logout_token',
  'subject_token',
  'actor_token',
  'otp',
  'api_key',
  'apikey',
  'secret',
]);

/** Headers whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'dpop',
  'x-api-key',
  'x-auth-token',
  'x-amz-security-token',
]);

/** Shorter observed values are masked where their name says so, but not searched for everywhere. */
export const MIN_KNOWN_SECRET = 8;

export interface Redactor {
  /** Free text: messages, excerpts, URLs, header or body text. */
  text(value: string): string;
  url(url: string): string;
  header(name: string, value: string): string;
  headers(headers: readonly HttpHeader[]): HttpHeader[];
  /** A request or response body, JSON or form or anything else. */
  body(text: string, mimeType?: string): string;
  /** Any JSON-like value: strings under secret keys are masked, every other string as text. */
  value(value: unknown, key?: string): unknown;
}

const mask = (value: string): string => (value === '' || isMasked(value) ? value : maskSecret(value));
const isSecretName = (name: string): boolean => SECRET_NAMES.has(name.toLowerCase());

const NAMES = [...SECRET_NAMES].join('|');
/** `name=value` at a parameter boundary (URL query/fragment, form body, free text). */
const NAMED_PARAM = new RegExp(`(^|[?&#;\\s"'(,])(${NAMES})=([^&#\\s"'<>]+)`, 'giu');
/** `"name": "value"` in JSON text (possibly not parseable as a whole). */
const NAMED_JSON = new RegExp(`("(?:${NAMES})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)+)(")`, 'giu');
/** JWS (3 parts), unsecured JWT (empty signature) and JWE (5 parts). */
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/gu;
/** An auth scheme followed by something that looks like a credential, not a word. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|DPoP|Digest|Negotiate)(\s+)([A-Za-z0-9._~+/-]+=*)/gu;
/** `Cookie: a=b; c=d` / `Set-Cookie: a=b; Path=/` inside free text. */
const COOKIE_LINE = /\b(set-cookie|cookie)(\s*:\s*)([^\n\r]*)/giu;

function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || (value.length >= 8 && /[0-9._~+/=-]/.test(value));
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function maskCookies(value: string, setCookie: boolean): string {
  if (setCookie) {
    const semi = value.indexOf(';');
    const first = semi < 0 ? value : value.slice(0, semi);
    const eq = first.indexOf('=');
    const masked = eq < 0 ? mask(first) : `${first.slice(0, eq + 1)}${mask(first.slice(eq + 1))}`;
    return semi < 0 ? masked : masked + value.slice(semi);
  }
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq + 1)}${mask(pair.slice(eq + 1))}`;
    })
    .join(';');
}

function maskCredentialHeader(value: string): string {
  const scheme = /^(\s*[A-Za-z][\w-]*)(\s+)(.+)$/su.exec(value);
  if (scheme && /^(bearer|basic|dpop|digest|negotiate|ntlm|token|mac|aws4-hmac-sha256)$/i.test(scheme[1]!.trim())) {
    return `${scheme[1]}${scheme[2]}${mask(scheme[3]!)}`;
  }
  return mask(value);
}

/** Builds a redactor that also masks every known secret value wherever it appears. */
export function createRedactor(knownSecrets: Iterable<string> = []): Redactor {
  const variants = new Set<string>();
  for (const secret of knownSecrets) {
    if (typeof secret !== 'string' || secret.length < MIN_KNOWN_SECRET || secret.includes('…')) continue;
    variants.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) variants.add(encoded);
    const formEncoded = encoded.replace(/%20/g, '+');
    if (formEncoded !== encoded) variants.add(formEncoded);
  }
  const known =
    variants.size === 0
      ? undefined
      : new RegExp([...variants].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gu');

  /** One pass of every rule. */
  function pass(input: string): string {
    let out = input;
    if (known) {
      // Each replacement shortens the text, so this ends; looping catches overlaps a single scan misses.
      for (let previous = ''; previous !== out; ) {
        previous = out;
        out = out.replace(known, (secret) => maskSecret(secret));
      }
    }
    out = out.replace(JWT, (jwt) => maskSecret(jwt));
    out = out.replace(COOKIE_LINE, (_, name: string, sep: string, value: string) => `${name}${sep}${maskCookies(value, name.toLowerCase() === 'set-cookie')}`);
    out = out.replace(SCHEME_CREDENTIAL, (whole, scheme: string, space: string, credential: string) =>
      looksLikeCredential(credential) ? `${scheme}${space}${mask(credential)}` : whole,
    );
    out = out.replace(NAMED_PARAM, (_, lead: string, name: string, value: string) => `${lead}${name}=${mask(value)}`);
    out = out.replace(NAMED_JSON, (_, open: string, value: string, close: string) => `${open}${mask(value)}${close}`);
    return out;
  }

  function text(value: string): string {
    let out = pass(value);
    // A second pass settles the rare case where one rule's output feeds another's.
    for (let i = 0; i < 4; i++) {
      const next = pass(out);
      if (next === out) break;
      out = next;
    }
    return out;
  }

  function header(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') return text(maskCookies(value, lower === 'set-cookie'));
    if (SECRET_HEADERS.has(lower)) return maskCredentialHeader(value);
    return text(value);
  }

  function redactValue(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return key !== undefined && isSecretName(key) ? mask(text(value)) : text(value);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, key));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k);
      return out;
    }
    return value;
  }

  return {
    text,
    url: text,
    header,
    headers: (headers) => headers.map(({ name, value }) => ({ name, value: header(name, value) })),
    body(body, mimeType = '') {
      if (/json/i.test(mimeType) || /^\s*[[{]/.test(body)) {
        try {
          return JSON.stringify(redactValue(JSON.parse(body)));
        } catch {
          // not JSON after all: treat as text
        }
      }
      return text(body);
    },
    value: redactValue,
  };
}

/**
 * Every secret value seen in a capture: secret parameters of URLs, Locations,
 * Referers and bodies, token response fields, credentials in Authorization,
 * DPoP and API-key headers, and long cookie values.
 */
export function collectSecrets(source: Analysis | readonly RequestEvent[]): Set<string> {
  const events = Array.isArray(source) ? (source as readonly RequestEvent[]) : (source as Analysis).events;
  const secrets = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= MIN_KNOWN_SECRET && !isMasked(value)) secrets.add(value);
  };
  const fromParams = (params: string): void => {
    for (const [name, value] of new URLSearchParams(params)) if (isSecretName(name)) add(value);
    for (const match of params.matchAll(/(?:^|[&;])([^=&]+)=([^&#]*)/g)) if (isSecretName(match[1]!)) add(match[2]);
  };
  const fromUrl = (url: string | undefined): void => {
    if (!url) return;
    const query = url.indexOf('?');
    const hash = url.indexOf('#');
    if (query >= 0) fromParams(url.slice(query + 1, hash > query ? hash : undefined));
    if (hash >= 0) fromParams(url.slice(hash + 1));
  };
  const fromJson = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key !== undefined && isSecretName(key)) add(value);
    } else if (Array.isArray(value)) value.forEach((item) => fromJson(item, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) fromJson(v, k);
  };
  const fromBody = (text: string | undefined): void => {
    if (!text) return;
    if (/^\s*[[{]/.test(text)) {
      try {
        return fromJson(JSON.parse(text));
      } catch {
        // fall through to form parsing
      }
    }
    fromParams(text);
  };
  const fromHeaders = (headers: readonly HttpHeader[] | undefined): void => {
    for (const { name, value } of headers ?? []) {
      const lower = name.toLowerCase();
      if (lower === 'referer' || lower === 'location') fromUrl(value);
      else if (lower === 'cookie' || lower === 'set-cookie') {
        for (const pair of (lower === 'set-cookie' ? value.split(';', 1) : value.split(';'))) {
          const cookie = pair.slice(pair.indexOf('=') + 1).trim();
          if (cookie.length >= 16) add(cookie);
        }
      } else if (SECRET_HEADERS.has(lower)) {
        const credential = /^\s*[A-Za-z][\w-]*\s+(.+)$/su.exec(value)?.[1] ?? value;
        add(credential.trim());
        if (/^\s*basic\s/i.test(value)) addBasic(credential.trim(), add);
      }
    }
  };
  for (const event of events) {
    fromUrl(event.url);
    fromUrl(event.redirectUrl);
    fromHeaders(event.requestHeaders);
    fromHeaders(event.responseHeaders);
    if (event.requestBody?.formData) for (const [name, values] of Object.entries(event.requestBody.formData)) if (isSecretName(name)) values.forEach(add);
    fromBody(event.requestBody?.text);
    fromBody(event.responseBody?.text);
  }
  return secrets;
}

/** HTTP Basic `client_id:client_secret`: the secret half is what must not leak. */
function addBasic(credential: string, add: (value: string) => void): void {
  try {
    const decoded = atob(credential);
    const colon = decoded.indexOf(':');
    if (colon >= 0) add(decoded.slice(colon + 1));
  } catch {
    // not base64: already added whole
  }
}

/** Redacts one string with the built-in rules only (no capture at hand). */
export function redactText(value: string, knownSecrets?: Iterable<string>): string {
  return createRedactor(knownSecrets).text(value);
}
