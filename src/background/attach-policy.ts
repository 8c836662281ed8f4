/**
 * When to attach chrome.debugger to a tab, and when to let go. Pure: the
 * worker feeds it webRequest/webNavigation facts and carries out what it
 * answers; its state is plain data kept in storage.session.
 *
 * - Never a page with no OAuth activity: the first trigger is an
 *   authorization request, a PAR, a token request or a discovery fetch.
 * - Early enough: the sites that ran a flow (client, redirect and AS origins)
 *   are remembered, and a later navigation of any tab to one of them attaches
 *   before its page loads. An attach that starts at the authorization request
 *   loses the race against an AS that redirects at once (prompt=none, already
 *   signed in) to a callback page that redeems the code as it loads.
 * - Stays while the tab keeps running flows; lets go after ATTACH_IDLE_MS
 *   without any (NAVIGATION_GRACE_MS when no flow came at all).
 * - The user closing Chrome's "is debugging this browser" bar pauses it until
 *   they resume from the popup; a tab another debugger holds is retried later.
 */
import { bodyParams, queryParams } from '../core/oauth/params.ts';
import type { RequestBody } from '../core/model.ts';
import type { TabBodyStatus } from '../core/protocol/worker-panel.ts';
import { isTokenParams } from './cdp-bodies.ts';

export const ATTACH_IDLE_MS = 10 * 60_000;
export const NAVIGATION_GRACE_MS = 2 * 60_000;
/** Sites are remembered for this long after their last flow (and only for the browser session). */
export const SITE_MEMORY_MS = 12 * 60 * 60_000;
export const RETRY_HELD_MS = 30_000;
const MAX_SITES = 200;


export interface TabAttach {
  attached: boolean;
  /** Last OAuth activity in the tab (epoch ms); 0 when none since the attach. */
  lastFlow: number;
  /** When the attach was made. */
  since: number;
  /** The last attach failed because another debugger holds the tab, at this time. */
  heldAt?: number;
}

export interface AttachState {
  sites: Record<string, number>;
  tabs: Record<string, TabAttach>;
  /** The user cancelled the debugging bar: no attach until they resume. */
  paused: boolean;
}

export function emptyAttachState(): AttachState {
  return { sites: {}, tabs: {}, paused: false };
}

/** What in a request makes its tab worth attaching to. */
export interface OAuthRequest {
  tabId: number;
  method: string;
  url: string;
  /** Origin of the page that sent it (webRequest initiator). */
  initiator?: string;
  /** The request's body (token requests, PAR), when it has one. */
  requestBody?: RequestBody;
}

export type Trigger = 'authorization' | 'par' | 'token' | 'metadata';

/** The OAuth leg a request starts, by its parameters (never its path, except discovery's registered /.well-known/ names). */
export function triggerOf(request: OAuthRequest): Trigger | undefined {
  const body = request.method === 'POST' ? bodyParams(request.requestBody) : {};
  if (request.method === 'POST' && isTokenParams(body)) return 'token';
  if ('client_id' in body && ('response_type' in body || 'request' in body)) return 'par';
  const query = queryParams(request.url);
  if ('client_id' in query && ('response_type' in query || 'request_uri' in query || 'request' in query || 'redirect_uri' in query)) return 'authorization';
  if (request.method === 'GET' && /\/\.well-known\/(?:openid-configuration|oauth-authorization-server)(?:[/?#]|$)/.test(request.url.slice(0, 2048))) return 'metadata';
  return undefined;
}

export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

export class AttachPolicy {
  granted = false;

  constructor(public state: AttachState = emptyAttachState()) {}

  private tab(tabId: number): TabAttach | undefined {
    return this.state.tabs[String(tabId)];
  }

  /** Whether an attach may start now for this tab. */
  private mayAttach(tabId: number, now: number): boolean {
    if (!this.granted || this.state.paused || tabId < 0) return false;
    const tab = this.tab(tabId);
    if (tab?.attached) return false;
    return tab?.heldAt === undefined || now - tab.heldAt >= RETRY_HELD_MS;
  }

  /** A tracked request of a tab: true when the worker should attach now. */
  request(request: OAuthRequest, now: number): boolean {
    const trigger = triggerOf(request);
    const tab = this.tab(request.tabId);
    if (!trigger) {
      // Later legs (callback, API call with a token) keep an attached tab's flow alive.
      if (tab?.attached && request.initiator !== undefined && this.isSite(originOf(request.url), now)) tab.lastFlow = now;
      return false;
    }
    this.rememberSites(request, trigger, now);
    if (tab?.attached) tab.lastFlow = now;
    return this.mayAttach(request.tabId, now);
  }

  /** A tab (any frame) starts loading `url`: attach before it loads when its site ran a flow. */
  navigation(tabId: number, url: string, now: number): boolean {
    if (!this.isSite(originOf(url), now)) return false;
    return this.mayAttach(tabId, now);
  }

  attached(tabId: number, now: number): void {
    this.state.tabs[String(tabId)] = { attached: true, lastFlow: 0, since: now };
  }

  attachFailed(tabId: number, error: string, now: number): void {
    const heldByOther = /another debugger|already attached/i.test(error);
    this.state.tabs[String(tabId)] = { attached: false, lastFlow: 0, since: now, ...(heldByOther ? { heldAt: now } : {}) };
    if (!heldByOther) delete this.state.tabs[String(tabId)];
  }

  /** chrome.debugger.onDetach. */
  detached(tabId: number, reason: string): void {
    if (reason === 'canceled_by_user') {
      // Closing the bar detaches every tab of the extension: respect it everywhere.
      this.state.paused = true;
      for (const tab of Object.values(this.state.tabs)) tab.attached = false;
      return;
    }
    delete this.state.tabs[String(tabId)];
  }

  resume(): void {
    this.state.paused = false;
  }

  tabRemoved(tabId: number): void {
    delete this.state.tabs[String(tabId)];
  }

  /** Attached tabs whose flows have gone quiet: detach them. */
  idleTabs(now: number): number[] {
    const idle: number[] = [];
    for (const [key, tab] of Object.entries(this.state.tabs)) {
      if (!tab.attached) continue;
      const quietFor = tab.lastFlow > 0 ? now - tab.lastFlow : now - tab.since;
      if (quietFor > (tab.lastFlow > 0 ? ATTACH_IDLE_MS : NAVIGATION_GRACE_MS)) idle.push(Number(key));
    }
    return idle;
  }

  /** Worker start: tabs to attach again (the state says attached, the browser says not). */
  toRestore(now: number, attachedNow: readonly number[]): number[] {
    const restore: number[] = [];
    for (const [key, tab] of Object.entries(this.state.tabs)) {
      const tabId = Number(key);
      if (!tab.attached || attachedNow.includes(tabId)) continue;
      tab.attached = false;
      if (this.granted && !this.state.paused && now - Math.max(tab.lastFlow, tab.since) < ATTACH_IDLE_MS) restore.push(tabId);
    }
    return restore;
  }

  /** Tabs the state thinks attached (for idle checks and clean-up). */
  attachedTabs(): number[] {
    return Object.entries(this.state.tabs)
      .filter(([, tab]) => tab.attached)
      .map(([key]) => Number(key));
  }

  status(tabId: number, now: number): TabBodyStatus {
    if (!this.granted) return 'no-permission';
    if (this.state.paused) return 'paused';
    const tab = this.tab(tabId);
    if (tab?.attached) return 'reading';
    if (tab?.heldAt !== undefined && now - tab.heldAt < 10 * RETRY_HELD_MS) return 'held-by-other';
    return 'not-attached';
  }

  isSite(origin: string | undefined, now: number): boolean {
    if (!origin) return false;
    const last = this.state.sites[origin];
    return last !== undefined && now - last < SITE_MEMORY_MS;
  }

  private rememberSites(request: OAuthRequest, trigger: Trigger, now: number): void {
    const origins = new Set<string | undefined>([originOf(request.url), originOf(request.initiator)]);
    const params = trigger === 'authorization' ? queryParams(request.url) : bodyParams(request.requestBody);
    origins.add(originOf(params.redirect_uri));
    for (const origin of origins) if (origin) this.state.sites[origin] = now;
    const entries = Object.entries(this.state.sites);
    if (entries.length > MAX_SITES) {
      entries.sort((a, b) => a[1] - b[1]);
      for (const [origin] of entries.slice(0, entries.length - MAX_SITES)) delete this.state.sites[origin];
    }
  }
}
