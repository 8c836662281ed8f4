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

/**
 * Masks secret parameter values in `a=1&b=2` text, keeping the text otherwise
 * as it was. No regex: one pass over the `&`/`#`-separated pairs.
 */
export function maskParamString(text: string, mask: (value: string) => string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i < text.length && c !== '&' && c !== '#') continue;
    out += maskPair(text.slice(start, i), mask) + (c ?? '');
    start = i + 1;
  }
  return out;
}

/** One `key=value` (a key may follow a `?`); the value is masked when the key names a secret. */
function maskPair(pair: string, mask: (value: string) => string): string {
  const eq = pair.indexOf('=');
  if (eq <= 0) return pair;
  const keyStart = pair.lastIndexOf('?', eq) + 1;
  const key = pair.slice(keyStart, eq);
  const value = pair.slice(eq + 1);
  if (key === '' || value === '') return pair;
  let name = key;
  try {
    name = decodeURIComponent(key);
  } catch {
    // keep the raw key
  }
  return SECRET_PARAMS.has(name) ? `${pair.slice(0, eq + 1)}${mask(value)}` : pair;
}

/** A URL with secret values in its query and fragment masked. */
export function maskUrl(url: string, mask: (value: string) => string): string {
  // The excerpt keeps MAX_EXCERPT characters: mask a bounded slice (a value cut at its end is still masked).
  const bounded = url.length > MAX_EXCERPT * 8 ? url.slice(0, MAX_EXCERPT * 8) : url;
  const question = bounded.search(/[?#]/);
  if (question === -1) return clip(bounded);
  return clip(bounded.slice(0, question) + maskParamString(bounded.slice(question), mask));
}

export function evidence(event: RequestEvent | Leg, where: string, excerpt: string): Evidence {
  const id = 'event' in event ? event.event.id : event.id;
  return { requestId: id, where, excerpt: clip(excerpt) };
}

/** `name=value` with the value masked when the name is a secret. */
export function paramExcerpt(name: string, value: string, mask: (value: string) => string): string {
  return `${name}=${SECRET_PARAMS.has(name) ? mask(value) : clip(value)}`;
}
