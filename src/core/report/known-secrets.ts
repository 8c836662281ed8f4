/**
 * Finds the secret values a capture holds wherever else they appear, as they
 * are or encoded: percent-encoded once or twice (both `%20` and `+` for
 * spaces, upper- or lower-case hex) and base64/base64url at any alignment
 * inside a longer blob. Plain string search (no regex is built from a
 * captured value): candidates are indexed by their first characters, so one
 * scan of the text is linear in its length.
 */
import { base64url } from 'jose';
import { MIN_KNOWN_SECRET } from './secret-names.ts';

const PREFIX = MIN_KNOWN_SECRET;

function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function lowerHex(value: string): string {
  return value.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/**
 * The part of the base64url encoding of `secret` that is the same whatever
 * comes before (at each of the 3 byte alignments) and after it in a longer blob.
 */
function base64Fragments(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const out: string[] = [];
  for (let lead = 0; lead < 3; lead++) {
    const padded = new Uint8Array(lead + bytes.length);
    padded.set(bytes, lead);
    const encoded = base64url.encode(padded);
    const fragment = encoded.slice(Math.ceil((8 * lead) / 6), Math.floor((8 * padded.length) / 6));
    if (fragment.length >= MIN_KNOWN_SECRET + 2) out.push(fragment, fragment.replace(/-/g, '+').replace(/_/g, '/'));
  }
  return out;
}

/** Every form of `secret` that redaction looks for. */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>([secret]);
  const once = [encodeURIComponent(secret), formEncode(secret)];
  for (const encoded of once) {
    out.add(encoded);
    out.add(lowerHex(encoded));
    out.add(encodeURIComponent(encoded));
    out.add(formEncode(encoded));
  }
  for (const fragment of base64Fragments(secret)) out.add(fragment);
  return [...out].filter((variant) => variant.length >= MIN_KNOWN_SECRET);
}

export class KnownSecrets {
  /** Variants by their first PREFIX characters, longest first. */
  private readonly byPrefix = new Map<string, string[]>();
  /** Quick filter on the first two characters (their low bytes). */
  private readonly starts = new Uint8Array(65536);
  /** Variants of passwords: masked whole. */
  private readonly whole = new Set<string>();
  readonly size: number;

  constructor(secrets: Iterable<string>, passwords: Iterable<string> = []) {
    const all = new Set<string>();
    const usable = (secret: unknown): secret is string => typeof secret === 'string' && secret.length >= MIN_KNOWN_SECRET && !secret.includes('…');
    for (const secret of secrets) if (usable(secret)) for (const variant of secretVariants(secret)) all.add(variant);
    for (const password of passwords) {
      if (!usable(password)) continue;
      for (const variant of secretVariants(password)) {
        all.add(variant);
        this.whole.add(variant);
      }
    }
    for (const variant of all) {
      const key = variant.slice(0, PREFIX);
      const list = this.byPrefix.get(key);
      if (list) list.push(variant);
      else this.byPrefix.set(key, [variant]);
      this.starts[pairKey(variant, 0)] = 1;
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.length - a.length);
    this.size = all.size;
  }

  /** Replaces each occurrence (leftmost, longest) by `mask(occurrence)`, or `whole(occurrence)` for a password. */
  replace(text: string, mask: (found: string) => string, whole: (found: string) => string = mask): string {
    if (this.size === 0 || text.length < PREFIX) return text;
    let out = '';
    let last = 0;
    const end = text.length - PREFIX;
    for (let i = 0; i <= end; ) {
      if (this.starts[pairKey(text, i)] === 1) {
        const hit = this.byPrefix.get(text.slice(i, i + PREFIX))?.find((variant) => text.startsWith(variant, i));
        if (hit !== undefined) {
          out += text.slice(last, i) + (this.whole.has(hit) ? whole(hit) : mask(hit));
          i += hit.length;
          last = i;
          continue;
        }
      }
      i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

function pairKey(text: string, at: number): number {
  return ((text.charCodeAt(at) & 0xff) << 8) | (text.charCodeAt(at + 1) & 0xff);
}
