/**
 * Evidence excerpts: short, and with every secret masked through the
 * context's `mask` (which honours reveal).
 */
import type { Evidence, Leg, RequestEvent } from '../model.ts';
import { SECRET_NAMES } from '../report/secret-names.ts';

/** Parameters whose values are secrets wherever they appear (one list for the whole engine). */
export const SECRET_PARAMS = SECRET_NAMES;

const MAX_EXCERPT = 300;

function clip(text: string): string {
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text;
}

/** Masks secret parameter values in `a=1&b=2` text, keeping the text otherwise as it was. */
export function maskParamString(text: string, mask: (value: string) => string): string {
  return text.replace(/([^&=?#]+)=([^&#]*)/g, (whole, key: string, value: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // keep the raw key
    }
    return SECRET_PARAMS.has(name) && value !== '' ? `${key}=${mask(value)}` : whole;
  });
}

/** A URL with secret values in its query and fragment masked. */
export function maskUrl(url: string, mask: (value: string) => string): string {
  const question = url.search(/[?#]/);
  if (question === -1) return clip(url);
  return clip(url.slice(0, question) + maskParamString(url.slice(question), mask));
}

export function evidence(event: RequestEvent | Leg, where: string, excerpt: string): Evidence {
  const id = 'event' in event ? event.event.id : event.id;
  return { requestId: id, where, excerpt: clip(excerpt) };
}

/** `name=value` with the value masked when the name is a secret. */
export function paramExcerpt(name: string, value: string, mask: (value: string) => string): string {
  return `${name}=${SECRET_PARAMS.has(name) ? mask(value) : clip(value)}`;
}
