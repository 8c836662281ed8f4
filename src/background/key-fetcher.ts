/**
 * The extension's one request of its own made without a click: an issuer's
 * discovery document and JWKS, when the capture lacks them (a page fetched
 * its discovery document before Chrome's debugger attached), to verify an ID
 * token's signature. Only while the setting "Fetch the issuer's keys to
 * verify signatures" is on. The URLs come from captured traffic (a token's
 * `iss`, then `jwks_uri`), so the page chooses them. Hence:
 *  - https only; http only when the issuer and the target are both on loopback;
 *  - a loopback or private address literal only when the issuer is on one too;
 *  - no redirects (`redirect: 'error'`), no cookies (`credentials: 'omit'`), no Referer;
 *  - the body read as a stream and cut at `maxBytes` (Content-Length is not
 *    trusted), the whole exchange under a timeout.
 * One fetch per URL per worker (concurrent asks share it, failures too; at
 * most MAX_CACHED_URLS outcomes are kept), and
 * every fetch lands in the tab's log as an inspector event with its body: the
 * timeline shows it, the panel's own audit reads the keys from it, and a
 * restarted worker finds them in the capture instead of fetching again.
 */
import type { AuditOptions, RequestEvent } from '../core/model.ts';

import { KEYS_SETTING_LABEL } from '../core/protocol/settings.ts';
export const TIMEOUT_MS = 10_000;
export const MAX_BYTES = 1_000_000;
/**
 * URLs whose outcome is kept (each may hold up to MAX_BYTES): the page chooses
 * issuers, so a long session could name any number. The oldest go first; one
 * asked for again after that is fetched again.
 */
export const MAX_CACHED_URLS = 32;
/** (tab, URL) pairs remembered as already logged. */
const MAX_RECORDED = 1024;

/** The part of `fetch`'s Response used here (tests pass plain objects). */
export interface FetchResponse {
  status: number;
  statusText?: string;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
}
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponse>;

export interface KeyFetcherDeps {
  fetch: FetchLike;
  /** The setting, read on each audit. */
  enabled: () => Promise<boolean>;
  /** Appends the inspector's events to the (logical) tab's log. */
  record: (tabId: number, events: RequestEvent[]) => Promise<void>;
  now?: () => number;
  timeoutMs?: number;
  maxBytes?: number;
}

interface Outcome {
  event: Omit<RequestEvent, 'tabId'>;
  json?: unknown;
  error?: string;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** What a host is, from its name alone (the worker cannot resolve names): loopback, private literal, or a name/public address. */
export function hostKind(url: URL): 'loopback' | 'private' | 'public' {
  const host = bareHost(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return 'loopback';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128)) return 'private';
    return 'public';
  }
  if (host.includes(':')) {
    if (/^(fc|fd|fe[89ab])/.test(host) || host === '::' || host.startsWith('::ffff:')) return 'private';
  }
  return 'public';
}

/** Why `url` may not be fetched for `issuer`, or undefined when it may. Pure. */
export function refusal(url: string, issuer: string): string | undefined {
  const target = URL.canParse(url) ? new URL(url) : undefined;
  const from = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!from) return `the issuer ${issuer} is not a URL`;
  if (!target) return `${url} is not a URL`;
  if (target.username || target.password) return `${url} carries credentials`;
  const issuerKind = hostKind(from);
  const targetKind = hostKind(target);
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && issuerKind === 'loopback' && targetKind === 'loopback')) {
    return `not https${target.protocol === 'http:' ? ' (http only for an issuer on loopback)' : ''}`;
  }
  if (targetKind !== 'public' && issuerKind === 'public') return `${target.hostname} is a ${targetKind} address and the issuer is not`;
  return undefined;
}

async function readCapped(response: FetchResponse, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`response too large (over ${maxBytes} bytes)`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

export class KeyFetcher {
  /** URL -> the one fetch made for it (kept, failures too: never refetched on a badge update). */
  private readonly cache = new Map<string, Promise<Outcome>>();
  /** `${tab} ${url}`: outcomes already in that tab's log. */
  private readonly recorded = new Set<string>();
  private counter = 0;

  constructor(private readonly deps: KeyFetcherDeps) {}

  /** What an audit of `tabId` passes as `fetchJson` and, when the setting is off, why nothing is fetched. */
  async optionsFor(tabId: number): Promise<Pick<AuditOptions, 'fetchJson' | 'noFetchReason'>> {
    if (!(await this.deps.enabled())) return { noFetchReason: `the setting “${KEYS_SETTING_LABEL}” is off` };
    return { fetchJson: (url, { issuer }) => this.fetchFor(tabId, url, issuer) };
  }

  async fetchFor(tabId: number, url: string, issuer: string): Promise<unknown> {
    const refused = refusal(url, issuer);
    if (refused) throw new Error(`refusing to fetch ${url}: ${refused}`);
    let pending = this.cache.get(url);
    if (!pending) {
      pending = this.get(url);
      this.cache.set(url, pending);
      if (this.cache.size > MAX_CACHED_URLS) this.cache.delete(this.cache.keys().next().value ?? '');
    }
    const outcome = await pending;
    const key = `${tabId} ${url}`;
    if (!this.recorded.has(key)) {
      this.recorded.add(key);
      if (this.recorded.size > MAX_RECORDED) this.recorded.delete(this.recorded.values().next().value ?? '');
      await this.deps.record(tabId, [{ ...outcome.event, tabId } as RequestEvent]);
    }
    if (outcome.error !== undefined) throw new Error(outcome.error);
    return outcome.json;
  }

  private async get(url: string): Promise<Outcome> {
    const now = this.deps.now ?? Date.now;
    const time = now();
    this.counter = (this.counter + 1) % 1000;
    const id = `lens-keys-${time}-${this.counter}`;
    const event: Omit<RequestEvent, 'tabId'> = {
      id,
      requestId: id,
      hop: 0,
      seq: Math.floor(time * 1000) + this.counter,
      time,
      method: 'GET',
      url,
      type: 'fetch',
      requestHeaders: [{ name: 'Accept', value: 'application/json, application/jwk-set+json' }],
      responseBodyState: 'none',
      fromInspector: true,
    };
    try {
      const response = await this.deps.fetch(url, {
        method: 'GET',
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'error',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? TIMEOUT_MS),
      });
      event.status = response.status;
      if (response.statusText) event.statusText = response.statusText;
      const headers: Array<{ name: string; value: string }> = [];
      response.headers.forEach((value, name) => headers.push({ name, value }));
      event.responseHeaders = headers;
      const text = await readCapped(response, this.deps.maxBytes ?? MAX_BYTES);
      const mimeType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
      event.responseBody = { text, ...(mimeType ? { mimeType } : {}) };
      event.responseBodyState = 'captured';
      if (response.status !== 200) return { event, error: `fetching ${url}: HTTP ${response.status}` };
      return { event, json: JSON.parse(text) as unknown };
    } catch (error) {
      const message = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message) : String(error);
      if (event.responseBodyState !== 'captured') event.error = message;
      return { event, error: `fetching ${url}: ${message}` };
    }
  }
}
