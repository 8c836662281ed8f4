/**
 * The one redactor: every report (JSON, SARIF, text), every panel view, the
 * HAR/JSON/SARIF exports, "Copy as cURL" and the active-check views mask
 * through it. It masks, with `maskSecret` (first 4 + last 4 characters at
 * most, short values whole) or whole for passwords:
 *  - values of secret-named parameters and fields (names normalised, see
 *    secret-names.ts) in URLs, form and JSON bodies and free text;
 *  - headers whose name says credential (Authorization, Cookie, X-Access-Token…);
 *  - any JWT-shaped string (`eyJ…`);
 *  - every secret value the capture holds (`collectSecrets`), wherever else it
 *    appears, as it is or encoded once or twice (known-secrets.ts).
 * Every regex here is linear (bounded names, disjoint classes, anchored
 * starts); none is built from captured data. Redaction is idempotent.
 */
import type { Analysis, HttpHeader, RequestEvent } from '../model.ts';
import { collectSecretValues, decodeParam } from './collect-secrets.ts';
import { KnownSecrets } from './known-secrets.ts';
import { isMasked, maskSecret, maskWhole } from './mask.ts';
import { isPasswordName, isSecretHeader, isSecretName } from './secret-names.ts';

export { isPasswordName, isSecretHeader, isSecretName, MIN_KNOWN_SECRET, normaliseName } from './secret-names.ts';
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
  /** The value of a named parameter, field or claim. */
  param(name: string, value: string): string;
}

/** JSON deeper than this is cut (a capture can nest 100k levels). */
const MAX_DEPTH = 64;
const TOO_DEEP = '[nested too deep]';

const mask = (value: string): string => (value === '' || isMasked(value) ? value : maskSecret(value));
/** The mask for a named secret: whole for passwords. */
const maskNamed = (name: string, value: string): string => (value === '' || isMasked(value) ? value : isPasswordName(name) ? maskWhole(value) : maskSecret(value));

/** `name=value` at a parameter boundary (URL query/fragment, form body, free text); names at most 64 characters. */
const NAMED_PARAM = /(^|[?&#;\s"'(,/])([A-Za-z0-9_.%[\]-]{1,64})=([^&#\s"'<>]+)/gu;
/** `"name": "value"` in JSON text (possibly not parseable as a whole). */
const NAMED_JSON = /"([^"\\\s]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/gu;
/** JWS (3 parts), unsecured JWT and JWE (5 parts), starting where a token starts (so each run is read once). */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/gu;
/** An auth scheme followed by something that looks like a credential, not a word. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|DPoP|Digest|Negotiate)(\s+)([A-Za-z0-9._~+/-]+=*)/gu;
/** `Cookie: a=b; c=d` / `Set-Cookie: a=b; Path=/` inside free text. */
const COOKIE_LINE = /\b(set-cookie|cookie)([ \t]*:[ \t]*)([^\n\r]*)/giu;
/** `X-Access-Token: value` at the start of a line of free text. */
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]{0,63})([ \t]*:[ \t]*)([^\r\n]*)$/gmu;
const CREDENTIAL_SCHEME = /^(\s*[A-Za-z][\w-]{0,30})(\s+)(\S.*)$/su;
const KNOWN_SCHEMES: ReadonlySet<string> = new Set(['bearer', 'basic', 'dpop', 'digest', 'negotiate', 'ntlm', 'token', 'mac', 'aws4-hmac-sha256']);

function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || (value.length >= 8 && /[0-9._~+/=-]/.test(value));
}

/** Masks the values of secret-named parameters in `a=1&b=2` text (a URL, a form body, free text) with `maskValue`. */
export function maskNamedParams(text: string, maskValue: (name: string, value: string) => string): string {
  return text.replace(NAMED_PARAM, (whole, lead: string, name: string, value: string) =>
    isSecretName(decodeParam(name)) && !isMasked(value) ? `${lead}${name}=${maskValue(decodeParam(name), value)}` : whole,
  );
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
  const scheme = CREDENTIAL_SCHEME.exec(value);
  if (scheme && KNOWN_SCHEMES.has(scheme[1]!.trim().toLowerCase())) return `${scheme[1]}${scheme[2]}${mask(scheme[3]!)}`;
  return mask(value);
}

/** Builds a redactor that also masks every known secret value wherever it appears (known passwords whole). */
export function createRedactor(knownSecrets: Iterable<string> = [], knownPasswords: Iterable<string> = []): Redactor {
  const known = new KnownSecrets(knownSecrets, knownPasswords);

  /** One pass of every rule. */
  function pass(input: string): string {
    let out = known.replace(input, maskSecret, maskWhole);
    out = out.replace(JWT, (jwt) => maskSecret(jwt));
    out = out.replace(COOKIE_LINE, (_, name: string, sep: string, value: string) => `${name}${sep}${maskCookies(value, name.toLowerCase() === 'set-cookie')}`);
    out = out.replace(HEADER_LINE, (whole, name: string, sep: string, value: string) =>
      isSecretHeader(name) && !/cookie/i.test(name) && !isMasked(value) ? `${name}${sep}${maskCredentialHeader(value)}` : whole,
    );
    out = out.replace(SCHEME_CREDENTIAL, (whole, scheme: string, space: string, credential: string) =>
      looksLikeCredential(credential) ? `${scheme}${space}${mask(credential)}` : whole,
    );
    out = maskNamedParams(out, maskNamed);
    out = out.replace(NAMED_JSON, (whole, name: string, sep: string, value: string) =>
      isSecretName(name) && !isMasked(value) ? `"${name}"${sep}"${maskNamed(name, value)}"` : whole,
    );
    return out;
  }

  function text(value: string): string {
    let out = pass(value);
    // Another pass settles the rare case where one rule's output feeds another's.
    for (let i = 0; i < 3; i++) {
      const next = pass(out);
      if (next === out) break;
      out = next;
    }
    return out;
  }

  function header(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') return text(maskCookies(value, lower === 'set-cookie'));
    if (isSecretHeader(name)) return maskCredentialHeader(value);
    return text(value);
  }

  function param(name: string, value: string): string {
    return isSecretName(name) ? maskNamed(name, value) : text(value);
  }

  function redactValue(value: unknown, key?: string, depth = 0): unknown {
    if (typeof value === 'string') return key !== undefined ? param(key, value) : text(value);
    if (depth >= MAX_DEPTH && value !== null && typeof value === 'object') return TOO_DEEP;
    if (Array.isArray(value)) return value.map((item) => redactValue(item, key, depth + 1));
    if (value !== null && typeof value === 'object') {
      // fromEntries defines own properties: a `__proto__` key stays a key.
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k, depth + 1)]));
    }
    return value;
  }

  return {
    text,
    url: text,
    header,
    headers: (headers) => headers.map(({ name, value }) => ({ name, value: header(name, value) })),
    body(body, mimeType = '') {
      const start = body.trimStart()[0];
      if (mimeType.toLowerCase().includes('json') || start === '{' || start === '[') {
        try {
          return JSON.stringify(redactValue(JSON.parse(body)));
        } catch {
          // not JSON after all: treat as text
        }
      }
      return text(body);
    },
    value: (value, key) => redactValue(value, key),
    param,
  };
}

/** The redactor of a capture: the built-in rules plus every secret value the capture holds. */
export function redactorFor(source: Analysis | readonly RequestEvent[]): Redactor {
  const { secrets, passwords } = collectSecretValues(source);
  return createRedactor(secrets, passwords);
}

const identity = <T>(value: T): T => value;
/** For a user who chose to reveal. */
export const NO_REDACTION: Redactor = {
  text: identity,
  url: identity,
  header: (_, value) => value,
  headers: (headers) => headers.map((h) => ({ ...h })),
  body: identity,
  value: identity,
  param: (_, value) => value,
};

/** Redacts one string with the built-in rules only (no capture at hand). */
export function redactText(value: string, knownSecrets?: Iterable<string>): string {
  return createRedactor(knownSecrets).text(value);
}
