/**
 * Which tab a request made outside any tab belongs to.
 *
 * webRequest gives the requests of a site's service worker `tabId: -1`, in
 * Chrome and in Firefox (both tried). A token request that the service worker
 * sends for a page (the page posts it the code) must still join the flow of
 * the tab that started it. Decided by parameters, in this order:
 *
 * 1. its `code` was seen on a tab: in a callback URL, a redirect's Location,
 *    or a form_post body;
 * 2. its `refresh_token` was issued by a token response logged on a tab;
 * 3. otherwise, the tab with the most recent OAuth activity whose client
 *    origin (the origin of its redirect_uri, or of the page that sent its own
 *    token requests) equals the request's initiator, if that activity is
 *    less than `idleMs` old.
 *
 * Anything else belongs to no tab (undefined). Pure: fed the events logged
 * per tab with `observe`, asked with `tabOf`.
 *
 * @see https://developer.chrome.com/docs/extensions/reference/api/webRequest#type-OnBeforeRequestDetails (tabId -1)
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/webRequest/onBeforeRequest#tabid
 */
import type { RequestEvent } from '../model.ts';
import { bodyParams, fragmentParams, originOf, queryParams, type Params } from '../oauth/params.ts';

/** Codes and refresh tokens remembered at most, each (the oldest are forgotten first). */
const MAX_SECRETS = 512;
/** Client origins remembered per tab at most. */
const MAX_ORIGINS_PER_TAB = 8;

interface TabActivity {
  /** Client origins of the tab's flows, most recent last. */
  origins: string[];
  /** Time of the tab's latest OAuth event (epoch ms). */
  lastActive: number;
}

export interface ServiceWorkerTabsOptions {
  /** A tab's flows count as under way for this long after its last OAuth event. */
  idleMs: number;
}

export class ServiceWorkerTabs {
  private readonly codes = new Map<string, number>();
  private readonly refreshTokens = new Map<string, number>();
  private readonly tabs = new Map<number, TabActivity>();

  constructor(private readonly options: ServiceWorkerTabsOptions) {}

  /** Entries remembered (codes, refresh tokens, tabs): bounded by MAX_SECRETS and the tabs open. */
  get size(): number {
    return this.codes.size + this.refreshTokens.size + this.tabs.size;
  }

  /** Learns from an event logged on `tab`: codes delivered to it, refresh tokens issued to it, its client origins. */
  observe(tab: number, event: RequestEvent): void {
    if (tab < 0) return;
    const query = queryParams(event.url);
    const location = event.redirectUrl ? { ...queryParams(event.redirectUrl), ...fragmentParams(event.redirectUrl) } : {};
    const form = event.method === 'GET' ? {} : bodyParams(event.requestBody);
    const delivered = [query.code, fragmentParams(event.url).code, location.code, form.grant_type === undefined ? form.code : undefined];
    for (const code of delivered) if (code) remember(this.codes, code, tab);

    const issued = event.responseBody ? bodyParams({ text: event.responseBody.text }) : {};
    if (issued.refresh_token) remember(this.refreshTokens, issued.refresh_token, tab);

    const origins: (string | undefined)[] = [];
    const redirectUri = query.redirect_uri ?? form.redirect_uri;
    if (query.client_id || form.client_id || form.grant_type) origins.push(originOf(redirectUri));
    // The page that sent its own token request is the client (refresh-only and password flows have no redirect_uri).
    if (form.grant_type) origins.push(webOrigin(event.initiator));
    // A redirect delivering a code or an error with state lands on the client.
    if (location.code || (location.state && location.error)) origins.push(originOf(event.redirectUrl));
    const known = origins.filter((origin): origin is string => origin !== undefined && webOrigin(origin) !== undefined);
    if (known.length > 0 || delivered.some(Boolean) || issued.refresh_token) this.touch(tab, event.time, known);
  }

  /** The tab a request without one belongs to, or undefined. */
  tabOf(event: Pick<RequestEvent, 'url' | 'method' | 'requestBody' | 'initiator'>, now: number): number | undefined {
    const params: Params = { ...queryParams(event.url), ...(event.method === 'GET' ? {} : bodyParams(event.requestBody)) };
    const byCode = params.code ? this.codes.get(params.code) : undefined;
    if (byCode !== undefined) return byCode;
    const byRefresh = params.refresh_token ? this.refreshTokens.get(params.refresh_token) : undefined;
    if (byRefresh !== undefined) return byRefresh;
    const initiator = webOrigin(event.initiator);
    if (!initiator) return undefined;
    let best: { tab: number; at: number } | undefined;
    for (const [tab, activity] of this.tabs) {
      if (now - activity.lastActive > this.options.idleMs || !activity.origins.includes(initiator)) continue;
      if (!best || activity.lastActive > best.at) best = { tab, at: activity.lastActive };
    }
    return best?.tab;
  }

  /** The tab closed: nothing is attributed to it any more. */
  forget(tab: number): void {
    this.tabs.delete(tab);
    for (const map of [this.codes, this.refreshTokens]) {
      for (const [value, owner] of map) if (owner === tab) map.delete(value);
    }
  }

  private touch(tab: number, time: number, origins: string[]): void {
    const activity = this.tabs.get(tab) ?? { origins: [], lastActive: time };
    activity.lastActive = Math.max(activity.lastActive, time);
    for (const origin of origins) {
      const at = activity.origins.indexOf(origin);
      if (at !== -1) activity.origins.splice(at, 1);
      activity.origins.push(origin);
      if (activity.origins.length > MAX_ORIGINS_PER_TAB) activity.origins.shift();
    }
    this.tabs.set(tab, activity);
  }
}

function remember(map: Map<string, number>, value: string, tab: number): void {
  map.delete(value);
  map.set(value, tab);
  if (map.size > MAX_SECRETS) map.delete(map.keys().next().value ?? '');
}

/** An http(s) origin, or undefined (extension pages, `null`, garbage). */
function webOrigin(value: string | undefined): string | undefined {
  const origin = originOf(value);
  return origin && (origin.startsWith('https://') || origin.startsWith('http://')) ? origin : undefined;
}
