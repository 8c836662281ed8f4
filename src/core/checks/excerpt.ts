/**
 * Evidence excerpts: short, and with every secret masked through the
 * context's `mask` (which honours reveal), by the one rule of
 * report/redact.ts (names normalised, passwords masked whole).
 */
import type { Evidence, Leg, RequestEvent } from '../model.ts';
import { maskWhole } from '../report/mask.ts';
import { isPasswordName, isSecretName, maskNamedParams } from '../report/redact.ts';

const MAX_EXCERPT = 300;

function clip(text: string): string {
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT)}…` : text;
}

/** `mask` for a named value: a password keeps nothing unless the user chose to reveal. */
function maskNamed(name: string, value: string, mask: (value: string) => string): string {
  const masked = mask(value);
  return masked !== value && isPasswordName(name) ? maskWhole(value) : masked;
}

/** Masks secret parameter values in `a=1&b=2` text, keeping the text otherwise as it was. */
export function maskParamString(text: string, mask: (value: string) => string): string {
  return maskNamedParams(text, (name, value) => maskNamed(name, value, mask));
}

/** A URL with secret values in its query and fragment masked. */
export function maskUrl(url: string, mask: (value: string) => string): string {
  // The excerpt keeps MAX_EXCERPT characters: mask a bounded slice (a value cut at its end is still masked).
  const bounded = url.length > MAX_EXCERPT * 8 ? url.slice(0, MAX_EXCERPT * 8) : url;
  const at = bounded.search(/[?#]/);
  if (at === -1) return clip(bounded);
  return clip(bounded.slice(0, at) + maskParamString(bounded.slice(at), mask));
}

export function evidence(event: RequestEvent | Leg, where: string, excerpt: string): Evidence {
  const id = 'event' in event ? event.event.id : event.id;
  return { requestId: id, where, excerpt: clip(excerpt) };
}

/** `name=value` with the value masked when the name is a secret. */
export function paramExcerpt(name: string, value: string, mask: (value: string) => string): string {
  return `${name}=${isSecretName(name) ? maskNamed(name, value, mask) : clip(value)}`;
}
