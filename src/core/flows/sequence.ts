/**
 * A flow as a sequence diagram (the panel's timeline and the Mermaid export): lanes (browser, client app, authorization
 * server, API) and, per leg, the arrows of what travelled. Legs the browser
 * could not see are rows too (`unseen`), drawn dashed, never left out.
 */
import type { Finding, Flow, Leg, LegKind, RequestEvent } from '../model.ts';

export const LANES = ['browser', 'client', 'as', 'api', 'third'] as const;
export type Lane = (typeof LANES)[number];
export const LANE_TITLES: Record<Lane, string> = {
  browser: 'Browser',
  client: 'Client app',
  as: 'Authorization server',
  api: 'API',
  third: 'Third party',
};

export interface Arrow {
  from: Lane;
  to: Lane;
  label: string;
  /** Small print under the label: key parameters, status. */
  detail: string;
  dashed: boolean;
}

export interface TimelineRow {
  /** The leg's id; `navigation-…`, `outside-…` for requests drawn beside the legs; `unseen-…` for a leg the browser could not see. */
  id: string;
  leg?: Leg;
  /** A request of the capture that is not a leg of the flow (the navigation to the redirect_uri, a request a finding cites). */
  event?: RequestEvent;
  request: Arrow;
  response?: Arrow;
  findings: Finding[];
  /** Why the row is dashed. */
  note?: string;
}

const LABELS: Record<LegKind, string> = {
  'authorization-request': 'Authorization request',
  par: 'Pushed authorization request (PAR)',
  callback: 'Callback to redirect_uri',
  'token-request': 'Token request',
  discovery: 'Discovery document',
  jwks: 'JWKS (signing keys)',
  userinfo: 'UserInfo call',
  api: 'API call',
  interaction: 'Login / consent',
  'end-session': 'Logout (end session)',
};

const LOGOUT_LABELS: Record<NonNullable<Leg['logout']>, string> = {
  'rp-initiated': 'Logout (end session)',
  'front-channel': 'Front-channel logout (iframe at the client)',
  'post-logout-redirect': 'Back to the client after logout',
};

function labelOf(leg: Leg): string {
  if (leg.kind === 'end-session' && leg.logout) return LOGOUT_LABELS[leg.logout];
  if (leg.kind === 'callback' && leg.jarm) return 'Callback to redirect_uri (JARM)';
  return LABELS[leg.kind];
}

/** Script requests come from the client app running in the page; navigations are the browser's. */
function scriptOrBrowser(leg: Leg): Lane {
  return leg.event.type === 'xhr' || leg.event.type === 'fetch' ? 'client' : 'browser';
}

function endpoints(leg: Leg): [Lane, Lane] {
  switch (leg.kind) {
    case 'end-session':
      return leg.logout === 'front-channel' || leg.logout === 'post-logout-redirect' ? ['browser', 'client'] : ['browser', 'as'];
    case 'authorization-request':
    case 'interaction':
      return ['browser', 'as'];
    case 'callback':
      return ['browser', 'client'];
    case 'token-request':
      return ['client', 'as'];
    case 'par':
    case 'discovery':
    case 'jwks':
    case 'userinfo':
      return [scriptOrBrowser(leg), 'as'];
    case 'api':
      return ['client', 'api'];
  }
}

function requestDetail(leg: Leg): string {
  const p = leg.params;
  const bits: string[] = [];
  if (leg.kind === 'token-request') bits.push(`grant_type=${leg.grantType ?? p.grant_type ?? '?'}`);
  if (p.response_type) bits.push(`response_type=${p.response_type}`);
  if (p.response_mode) bits.push(`response_mode=${p.response_mode}`);
  if (p.code_challenge) bits.push(`PKCE ${p.code_challenge_method ?? 'plain'}`);
  if (p.code_verifier) bits.push('code_verifier');
  if (p.code) bits.push('code');
  if (p.state !== undefined) bits.push('state');
  if (p.nonce !== undefined) bits.push('nonce');
  if (p.error) bits.push(`error=${p.error}`);
  if (p.access_token) bits.push('access_token');
  if (p.id_token) bits.push('id_token');
  const path = pathOf(leg.event.url);
  return `${leg.event.method} ${path}${bits.length ? ` · ${bits.join(', ')}` : ''}`;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url.slice(0, 80);
  }
}

function responseArrow(leg: Leg, from: Lane, to: Lane): Arrow | undefined {
  const e = leg.event;
  if (e.status === undefined && !e.error) return undefined;
  if (e.error) return { from: to, to: from, label: `failed: ${e.error}`, detail: '', dashed: false };
  const redirect = e.redirectUrl ? ` → ${pathOf(e.redirectUrl)}` : '';
  let label = `${e.status}${e.statusText ? ` ${e.statusText}` : ''}`;
  if (e.redirectUrl) label = `${e.status} redirect`;
  if (leg.kind === 'token-request' && leg.response) {
    const fields = Object.keys(leg.response).filter((k) => k.endsWith('_token') || k === 'error');
    label = `${e.status} ${fields.length ? fields.join(', ') : 'token response'}`;
  } else if (leg.kind === 'token-request' && e.responseBodyState !== 'captured') {
    label = `${e.status} (body not captured)`;
  }
  // A redirect goes back to the browser whatever sent the request.
  return { from: to, to: e.redirectUrl ? 'browser' : from, label, detail: redirect.trim(), dashed: false };
}

/**
 * The rows of a flow's diagram, each finding pinned to every row whose request
 * its evidence cites. Besides the legs: a callback read from a redirect's
 * Location is two rows (the AS's redirect that carried the response, then the
 * browser's navigation to the redirect_uri); a request outside the flow that
 * a finding cites (a Referer leak, a forwarded code, a token sent to an API)
 * is a row too, to the lane of its origin or to "Third party". Pass the
 * capture's `events` so those requests can be drawn.
 */
export function timelineRows(flow: Flow, findings: readonly Finding[], events: readonly RequestEvent[] = []): TimelineRow[] {
  const cited = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const id of new Set(f.evidence.map((e) => e.requestId))) {
      const list = cited.get(id) ?? [];
      list.push(f);
      cited.set(id, list);
    }
  }
  const eventById = new Map(events.map((e) => [e.id, e]));
  const pinned = (...ids: string[]): Finding[] => [...new Set(ids.flatMap((id) => cited.get(id) ?? []))];
  const isLocationLeg = (leg: Leg): boolean => leg.kind === 'callback' && leg.id !== leg.event.id;
  // One event can be two legs: an authorization request answered by a redirect that carries the response.
  const shared = new Set(flow.legs.filter(isLocationLeg).map((leg) => leg.event.id).filter((id) => flow.legs.some((other) => other.id === id)));
  const pinnedToLeg = (leg: Leg): Finding[] =>
    findings.filter((f) =>
      f.evidence.some((e) => {
        if (shared.has(e.requestId)) return e.requestId === leg.event.id && isResponseSide(e.where) === isLocationLeg(leg);
        return e.requestId === leg.id || e.requestId === leg.event.id;
      }),
    );
  const drawn = new Set<string>();
  const keyed: { key: number; row: TimelineRow }[] = [];
  for (const leg of flow.legs) {
    const [from, to] = endpoints(leg);
    drawn.add(leg.id).add(leg.event.id);
    const fromLocation = isLocationLeg(leg);
    const row: TimelineRow = {
      id: leg.id,
      leg,
      request: fromLocation
        ? { from: 'browser', to: 'as', label: 'Authorization response (redirect to redirect_uri)', detail: `${leg.event.method} ${pathOf(leg.event.url)}`, dashed: false }
        : { from, to, label: labelOf(leg), detail: requestDetail(leg), dashed: false },
      findings: pinnedToLeg(leg),
    };
    const response = responseArrow(leg, fromLocation ? 'browser' : from, fromLocation ? 'as' : to);
    if (response) row.response = fromLocation ? { ...response, detail: `${response.detail} · ${paramNames(leg)}` } : response;
    keyed.push({ key: leg.event.seq, row });
    if (fromLocation) {
      const navigation = leg.documentId === undefined ? undefined : eventById.get(leg.documentId);
      // When the page load at the redirect_uri is a leg of its own, it is drawn as that leg.
      if (!flow.legs.some((other) => other.event.id === leg.documentId && other !== leg)) {
        if (navigation) drawn.add(navigation.id);
        keyed.push({ key: navigation?.seq ?? leg.event.seq + 0.5, row: callbackNavigation(leg, navigation, pinned) });
      }
    }
    if (leg.kind === 'callback' && flow.observability.tokenExchange === 'server-side') keyed.push({ key: leg.event.seq + 0.75, row: unseenTokenExchange(flow, leg) });
  }
  for (const id of cited.keys()) {
    const event = eventById.get(id);
    if (!event || drawn.has(id)) continue;
    drawn.add(id);
    keyed.push({ key: event.seq, row: outsideRow(flow, event, pinned(id)) });
  }
  return keyed.sort((a, b) => a.key - b.key).map(({ row }) => row);
}

/** Evidence about what came back (the Location, the tokens in it), not what was sent. */
function isResponseSide(where: string): boolean {
  return where.startsWith('location') || where.startsWith('id_token') || where.startsWith('response') || where === 'header.location';
}

function paramNames(leg: Leg): string {
  return Object.keys(leg.params).join(', ');
}

/** The browser's navigation to the redirect_uri after the AS's redirect (absent from the capture: drawn dashed). */
function callbackNavigation(leg: Leg, navigation: RequestEvent | undefined, pinned: (...ids: string[]) => Finding[]): TimelineRow {
  const target = navigation?.url ?? leg.event.redirectUrl ?? leg.event.url;
  const request: Arrow = { from: 'browser', to: 'client', label: LABELS.callback, detail: `GET ${pathOf(target)} · ${paramNames(leg)} (${leg.paramSource.replace('location.', '')})`, dashed: !navigation };
  if (!navigation) return { id: `navigation-${leg.id}`, request, findings: [], note: 'the navigation to the redirect_uri is not in the capture' };
  const row: TimelineRow = { id: `navigation-${leg.id}`, event: navigation, request, findings: pinned(navigation.id) };
  if (navigation.status !== undefined) row.response = { from: 'client', to: 'browser', label: `${navigation.status}${navigation.statusText ? ` ${navigation.statusText}` : ''}`, detail: '', dashed: false };
  return row;
}

/** A request outside the flow that a finding cites: to the flow's own client, AS or API lane when it goes there, else to a third party. */
function outsideRow(flow: Flow, event: RequestEvent, findings: Finding[]): TimelineRow {
  const origin = originOf(event.url);
  const laneOf = (url: string | undefined): boolean => url !== undefined && originOf(url) === origin;
  const legThere = origin === undefined ? undefined : flow.legs.find((l) => laneOf(l.event.url));
  let to: Lane = 'third';
  if (legThere) to = endpoints(legThere)[1];
  else if (laneOf(flow.redirectUri)) to = 'client';
  else if (laneOf(flow.authorizationEndpoint) || laneOf(flow.tokenEndpoint)) to = 'as';
  const from: Lane = event.type === 'xhr' || event.type === 'fetch' ? 'client' : 'browser';
  const row: TimelineRow = {
    id: `outside-${event.id}`,
    event,
    request: { from: from === to ? 'browser' : from, to, label: to === 'third' ? 'Request to a third party' : 'Request outside the flow', detail: `${event.method} ${pathOf(event.url)}`, dashed: false },
    findings,
  };
  if (event.status !== undefined) row.response = { from: to, to: row.request.from, label: `${event.status}${event.statusText ? ` ${event.statusText}` : ''}`, detail: '', dashed: false };
  return row;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function unseenTokenExchange(flow: Flow, callback: Leg): TimelineRow {
  const note = flow.observability.notes[0] ?? 'token exchange not observable: server-side client';
  return {
    id: `unseen-token-${callback.id}`,
    request: { from: 'client', to: 'as', label: 'Token request (server-side, not observable)', detail: 'the client\'s server redeems the code; the browser never sees it', dashed: true },
    response: { from: 'as', to: 'client', label: 'tokens (not observable)', detail: '', dashed: true },
    findings: [],
    note,
  };
}

/** Findings pinned to no row of the flow's diagram (flow-wide): none of their evidence is a request of the capture. */
export function unpinnedFindings(flow: Flow, findings: readonly Finding[], events: readonly RequestEvent[] = []): Finding[] {
  const onRows = new Set(timelineRows(flow, findings, events).flatMap((row) => row.findings));
  return findings.filter((f) => !onRows.has(f));
}
