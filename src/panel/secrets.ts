import { maskSecret } from '../core/report/mask.ts';

/** Parameter, claim and JSON field names whose values are secrets (masked until revealed). */
const SECRET_NAMES = new Set([
  'code',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  'device_code',
  'subject_token',
  'actor_token',
  'logout_token',
  'request',
]);

/** Headers whose values are secrets. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'dpop', 'proxy-authorization', 'x-api-key']);

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase());
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Masks the secret parameters of a URL's query and fragment; other text is kept. */
export function maskUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : beforeHash.slice(queryAt + 1);
  let out = base;
  if (query !== undefined) out += `?${maskForm(query)}`;
  if (fragment !== undefined) out += `#${maskForm(fragment)}`;
  return out;
}

/** Masks secret fields of an `a=b&c=d` string, keeping its shape. */
export function maskForm(form: string): string {
  return form
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return isSecretName(name) ? `${pair.slice(0, eq)}=${maskSecret(safeDecode(pair.slice(eq + 1)))}` : pair;
    })
    .join('&');
}

/** Masks a header value, keeping an auth scheme (`Bearer …`, `Basic …`) readable. */
export function maskHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const scheme = /^(Bearer|Basic|DPoP|Digest)\s+(.*)$/i.exec(value);
  return scheme ? `${scheme[1]} ${maskSecret(scheme[2] ?? '')}` : maskSecret(value);
}

/** Masks secret fields anywhere in a JSON value. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSecretName(k) && typeof v === 'string' ? maskSecret(v) : maskJson(v)]),
    );
  }
  return value;
}

/** Masks a body: JSON fields or form fields by name; other text whole when it holds a secret name. */
export function maskBody(text: string, mimeType = ''): string {
  if (mimeType.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(text)), null, 2);
    } catch {
      // not JSON after all: fall through
    }
  }
  if (mimeType.includes('x-www-form-urlencoded') || /^[\w.%-]+=[^\s]*(&[\w.%-]+=[^\s]*)*$/.test(text)) return maskForm(text);
  return text;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
