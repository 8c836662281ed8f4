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
import type { HttpHeader } from '../model.ts';
import { isMasked, maskSecret } from './mask.ts';
import { MIN_KNOWN_SECRET, SECRET_HEADERS, SECRET_NAMES } from './secret-names.ts';
import { parseBoundedJson } from '../oauth/bounded-json.ts';
import { nullRecord } from '../records.ts';

export { MIN_KNOWN_SECRET, SECRET_HEADERS, SECRET_NAMES } from './secret-names.ts';
/** Every secret value a capture holds (kept here too: the panel imports it from this module). */
export { collectSecrets } from './collect-secrets.ts';

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
// Starts only where a base64url run starts (the lookbehind), so a run of `eyJeyJ…` is scanned once, not once per `eyJ`.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/gu;
/** An auth scheme followed by something that looks like a credential, not a word. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|DPoP|Digest|Negotiate)(\s+)([A-Za-z0-9._~+/-]+=*)/gu;
/** `Cookie: a=b; c=d` / `Set-Cookie: a=b; Path=/` inside free text. */
const COOKIE_LINE = /\b(set-cookie|cookie)(\s*:\s*)([^\n\r]*)/giu;

function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || (value.length >= 8 && /[0-9._~+/=-]/.test(value));
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
  // Longest first, so a secret that contains another is masked whole. Plain substring
  // replacement: a pattern built from captured values can be too large to compile.
  const known = [...variants].sort((a, b) => b.length - a.length);

  /** One pass of every rule. */
  function pass(input: string): string {
    let out = input;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
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
      // Keys come from the capture (`__proto__` among them): a record without prototype keeps them all.
      const out = nullRecord<unknown>();
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
          return JSON.stringify(redactValue(parseBoundedJson(body)));
        } catch {
          // not JSON after all: treat as text
        }
      }
      return text(body);
    },
    value: redactValue,
  };
}

/** Redacts one string with the built-in rules only (no capture at hand). */
export function redactText(value: string, knownSecrets?: Iterable<string>): string {
  return createRedactor(knownSecrets).text(value);
}
