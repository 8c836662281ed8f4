/**
 * Finds the secret values a capture holds wherever else they appear, as they
 * are or encoded: percent-encoded once or twice (both `%20` and `+` for
 * spaces, upper- or lower-case hex) and base64/base64url at any alignment
 * inside a longer blob. Plain string search (no regex is built from a
 * captured value), in one Aho-Corasick pass: linear in the text.
 */
import { base64url } from 'jose';
import { MIN_KNOWN_SECRET } from './secret-names.ts';

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
  // A long value (a JWT) inside base64 is rare; its 6 fragments would cost the most.
  if (secret.length <= 256) for (const fragment of base64Fragments(secret)) out.add(fragment);
  return [...out].filter((variant) => variant.length >= MIN_KNOWN_SECRET);
}

/** Longer values are not searched for (they are masked by name, and JWTs by shape). */
const MAX_SEARCHED = 4096;
/** The automaton holds at most this many characters of variants; past it, later secrets are masked by name only. */
const MAX_TOTAL = 500_000;
const ALPHABET = 65536;

/**
 * Every variant of every known secret, in one Aho-Corasick automaton: one
 * pass over a text finds every occurrence, however many secrets share a
 * prefix (a capture can be written to make them), in time linear in the text.
 */
export class KnownSecrets {
  /** Edges: `node * ALPHABET + charCode` -> child node. */
  private readonly next = new Map<number, number>();
  private fail: Int32Array = new Int32Array(1);
  /** Length of the longest variant that ends at this node (0: none). */
  private outLen: Int32Array = new Int32Array(1);
  /** Whether that variant is a password's (masked whole). */
  private outWhole: Uint8Array = new Uint8Array(1);
  readonly size: number;

  constructor(secrets: Iterable<string>, passwords: Iterable<string> = []) {
    const variants = new Map<string, boolean>();
    const usable = (secret: unknown): secret is string =>
      typeof secret === 'string' && secret.length >= MIN_KNOWN_SECRET && secret.length <= MAX_SEARCHED && !secret.includes('…');
    for (const password of passwords) if (usable(password)) for (const variant of secretVariants(password)) variants.set(variant, true);
    for (const secret of secrets) if (usable(secret)) for (const variant of secretVariants(secret)) if (!variants.has(variant)) variants.set(variant, false);
    this.size = variants.size;
    if (variants.size > 0) this.build(variants);
  }

  private build(variants: Map<string, boolean>): void {
    const termLen: number[] = [0];
    const termWhole: number[] = [0];
    const children: number[][] = [[]];
    let total = 0;
    for (const [variant, whole] of variants) {
      if (total + variant.length > MAX_TOTAL) break;
      total += variant.length;
      let node = 0;
      for (let i = 0; i < variant.length; i++) {
        const key = node * ALPHABET + variant.charCodeAt(i);
        let child = this.next.get(key);
        if (child === undefined) {
          child = termLen.length;
          termLen.push(0);
          termWhole.push(0);
          children.push([]);
          this.next.set(key, child);
          children[node]!.push(variant.charCodeAt(i), child);
        }
        node = child;
      }
      termLen[node] = variant.length;
      termWhole[node] = termWhole[node]! | (whole ? 1 : 0);
    }
    const count = termLen.length;
    this.fail = new Int32Array(count);
    this.outLen = new Int32Array(count);
    this.outWhole = new Uint8Array(count);
    // Breadth first: a node's failure link is known before its children's.
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      const edges = children[node]!;
      for (let e = 0; e < edges.length; e += 2) {
        const code = edges[e]!;
        const child = edges[e + 1]!;
        let fallback = 0;
        if (node !== 0) {
          let f = this.fail[node]!;
          while (f !== 0 && !this.next.has(f * ALPHABET + code)) f = this.fail[f]!;
          fallback = this.next.get(f * ALPHABET + code) ?? 0;
        }
        this.fail[child] = fallback;
        const own = termLen[child]!;
        this.outLen[child] = own > 0 ? own : this.outLen[fallback]!;
        this.outWhole[child] = own > 0 ? termWhole[child]! : this.outWhole[fallback]!;
        queue.push(child);
      }
    }
  }

  /**
   * Replaces every occurrence by `mask(occurrence)`, or `whole(occurrence)`
   * when a password's. Overlapping occurrences are masked as one.
   */
  replace(text: string, mask: (found: string) => string, whole: (found: string) => string = mask): string {
    if (this.size === 0 || text.length < MIN_KNOWN_SECRET) return text;
    // Occurrences as [start, end] (end exclusive), merged where they overlap; ends only grow.
    const starts: number[] = [];
    const ends: number[] = [];
    const wholes: boolean[] = [];
    let node = 0;
    for (let j = 0; j < text.length; j++) {
      const code = text.charCodeAt(j);
      let child = this.next.get(node * ALPHABET + code);
      while (child === undefined && node !== 0) {
        node = this.fail[node]!;
        child = this.next.get(node * ALPHABET + code);
      }
      node = child ?? 0;
      const length = this.outLen[node]!;
      if (length === 0) continue;
      let start = j + 1 - length;
      let isWhole = this.outWhole[node] === 1;
      while (ends.length > 0 && ends[ends.length - 1]! > start) {
        start = Math.min(start, starts.pop()!);
        ends.pop();
        isWhole = wholes.pop()! || isWhole;
      }
      starts.push(start);
      ends.push(j + 1);
      wholes.push(isWhole);
    }
    if (starts.length === 0) return text;
    let out = '';
    let last = 0;
    for (let k = 0; k < starts.length; k++) {
      const found = text.slice(starts[k], ends[k]);
      out += text.slice(last, starts[k]) + (wholes[k] ? whole(found) : mask(found));
      last = ends[k]!;
    }
    return out + text.slice(last);
  }
}
