/** The secret values a capture holds, so redaction can find them wherever they travel on to. */
import type { Analysis, HttpHeader, RequestEvent } from '../model.ts';
import { isMasked } from './mask.ts';
import { MIN_KNOWN_SECRET, SECRET_HEADERS, SECRET_NAMES } from './secret-names.ts';

const isSecretName = (name: string): boolean => SECRET_NAMES.has(name.toLowerCase());

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
  // Parameters the engine unpacked from inside a JWT (a JARM response's code, a request object's values).
  if (!Array.isArray(source)) {
    for (const flow of (source as Analysis).flows) for (const leg of flow.legs) for (const [name, value] of Object.entries(leg.params)) if (isSecretName(name)) add(value);
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
