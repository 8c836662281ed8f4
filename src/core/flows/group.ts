/**
 * Groups legs into flows. Links are made by values the protocol carries from
 * leg to leg (state, code, request_uri, tokens, redirect_uri), never by path
 * names or by timing alone. Tabs only break ties.
 */
import type { Leg, RequestEvent } from '../model.ts';
import { endpointOf, originOf, stripFragment } from '../oauth/params.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { presentedToken } from './classify.ts';

export interface FlowDraft {
  legs: Leg[];
  tabId: number;
  state?: string;
  redirectEndpoint?: string;
  clientId?: string;
  authorizationOrigin?: string;
  /** Auth request seen, no callback yet. */
  pending: boolean;
}

interface Index {
  drafts: FlowDraft[];
  byState: Map<string, FlowDraft>;
  byCode: Map<string, FlowDraft>;
  byToken: Map<string, FlowDraft>;
  byRequestUri: Map<string, FlowDraft>;
  /** ID token `sid` claims, for front-channel logout (OIDC Front-Channel Logout §3). */
  bySid: Map<string, FlowDraft>;
  /** The flow of the last RP-initiated logout per tab, for the redirect back. */
  lastLogout: Map<number, FlowDraft>;
  orphanCallbacks: Map<string, Leg>;
}

function newDraft(index: Index, first: Leg): FlowDraft {
  const draft: FlowDraft = { legs: [first], tabId: first.event.tabId, pending: false };
  index.drafts.push(draft);
  return draft;
}

/** The most recent candidate, preferring the same tab. */
function pick(candidates: FlowDraft[], tabId: number): FlowDraft | undefined {
  const sameTab = candidates.filter((d) => d.tabId === tabId);
  return sameTab.length > 0 ? sameTab[sameTab.length - 1] : candidates[candidates.length - 1];
}

function rememberResponseTokens(index: Index, draft: FlowDraft, values: Record<string, unknown> | Record<string, string> | undefined): void {
  if (!values) return;
  for (const key of ['access_token', 'refresh_token', 'id_token']) {
    const value = values[key];
    if (typeof value === 'string' && value.length > 0) index.byToken.set(value, draft);
  }
  const sid = tryDecodeJwt(typeof values.id_token === 'string' ? values.id_token : undefined)?.payload.sid;
  if (typeof sid === 'string' && sid.length > 0) index.bySid.set(sid, draft);
}

function callbackTarget(leg: Leg): string | undefined {
  const url = leg.paramSource.startsWith('location.') ? leg.event.redirectUrl : leg.event.url;
  return url ? endpointOf(url) : undefined;
}

/** A callback with no authorization request in the capture still counts when it is unmistakable. */
function unmistakableCallback(leg: Leg): boolean {
  const p = leg.params;
  if (p.code && p.state && (p.iss || p.session_state || p.client_info)) return true;
  if ((p.access_token && p.token_type) || (p.id_token && p.id_token.split('.').length === 3 && p.state)) return true;
  return false;
}

/** Is this authorization request the pending flow's request coming back round? */
function isReentry(draft: FlowDraft, leg: Leg): boolean {
  const p = leg.params;
  const first = draft.legs.find((l) => l.kind === 'authorization-request' || l.kind === 'par');
  if (!first || draft.clientId !== p.client_id) return false;
  // A redirect hop of the same navigation.
  if (draft.legs.some((l) => l.event.requestId === leg.event.requestId && l.event.tabId === leg.event.tabId)) return true;
  const sameTabAndAs =
    draft.tabId === leg.event.tabId && draft.authorizationOrigin !== undefined && draft.authorizationOrigin === originOf(leg.event.url);
  // A sign-in page of the AS that repeats client_id and response_type but not the state
  // (Google's identifier and challenge pages do) is still the pending request.
  if (draft.state !== undefined) return p.state === undefined ? sameTabAndAs && (p.redirect_uri ?? first.params.redirect_uri) === first.params.redirect_uri : draft.state === p.state;
  return p.state === undefined && draft.tabId === leg.event.tabId && first.params.redirect_uri === p.redirect_uri && first.params.nonce === p.nonce;
}

function addAuthorizationRequest(index: Index, leg: Leg): void {
  const p = leg.params;
  // PAR: the request_uri links the push to the front-channel request.
  // A request_uri used again after its flow got its answer starts a flow of its own (par.request-uri-reused).
  const known = p.request_uri ? index.byRequestUri.get(p.request_uri) : undefined;
  const byUri = known?.pending ? known : undefined;
  const parPending = byUri ?? (p.request_uri && !known ? pick(index.drafts.filter((d) => d.pending && d.legs.length === 1 && d.legs[0]?.kind === 'par' && d.clientId === p.client_id), leg.event.tabId) : undefined);
  // The same request re-entering the AS (a hosted login page or account chooser
  // that repeats the parameters, possibly fewer of them) is one flow, not two.
  const sameRequest = index.drafts.find((d) => d.pending && isReentry(d, leg));
  const draft = parPending ?? sameRequest ?? newDraft(index, leg);
  if (draft.legs[0] !== leg) draft.legs.push(leg);
  if (known && !byUri && draft.legs.length === 1) {
    // The reused request_uri carries the pushed state and redirect_uri: the answer to it is this flow's.
    draft.redirectEndpoint = known.redirectEndpoint;
    if (known.state !== undefined) {
      draft.state = known.state;
      index.byState.set(known.state, draft);
    }
  }
  draft.pending = true;
  draft.clientId ??= p.client_id;
  if (p.state !== undefined) {
    draft.state = p.state;
    if (!index.byState.has(p.state) || index.byState.get(p.state)?.pending === false) index.byState.set(p.state, draft);
  }
  if (p.redirect_uri) draft.redirectEndpoint = endpointOf(p.redirect_uri) ?? draft.redirectEndpoint;
  draft.authorizationOrigin ??= originOf(leg.event.url);
}

function addCallback(index: Index, leg: Leg): void {
  const p = leg.params;
  const tabId = leg.event.tabId;
  let draft: FlowDraft | undefined;
  if (p.state !== undefined) {
    const byState = index.byState.get(p.state);
    if (byState) draft = byState;
  }
  if (!draft) {
    const target = callbackTarget(leg);
    if (target) draft = pick(index.drafts.filter((d) => d.pending && d.redirectEndpoint === target), tabId);
  }
  if (!draft) {
    // The same navigation: the authorization request redirected straight to this callback
    // (its parameters, state and redirect_uri included, may be hidden behind a request_uri).
    const chain = leg.event.requestId;
    draft = pick(index.drafts.filter((d) => d.pending && d.legs.some((l) => l.kind === 'authorization-request' && l.event.requestId === chain && l.event.tabId === tabId)), tabId);
  }
  if (!draft && p.code && index.byCode.has(p.code)) {
    // The code of a callback already seen, travelling on to somewhere else (an
    // open redirector, an analytics beacon): not a new authorization response.
    // The leak checks find it among the events.
    return;
  }
  if (!draft) {
    if (!unmistakableCallback(leg)) {
      if (p.code) index.orphanCallbacks.set(p.code, leg);
      return;
    }
    draft = newDraft(index, leg);
    const target = callbackTarget(leg);
    if (target) draft.redirectEndpoint = target;
  } else {
    draft.legs.push(leg);
  }
  draft.pending = false;
  if (p.code) index.byCode.set(p.code, draft);
  rememberResponseTokens(index, draft, p);
}

function addTokenRequest(index: Index, leg: Leg): void {
  const p = leg.params;
  let draft: FlowDraft | undefined;
  if (leg.grantType === 'authorization_code' && p.code) {
    draft = index.byCode.get(p.code);
    const orphan = draft ? undefined : index.orphanCallbacks.get(p.code);
    if (orphan) {
      index.orphanCallbacks.delete(p.code);
      draft = newDraft(index, orphan);
      draft.redirectEndpoint = callbackTarget(orphan);
    }
    if (!draft) {
      // A callback whose code was not visible (e.g. a custom-scheme redirect) on this redirect_uri.
      const target = p.redirect_uri ? endpointOf(p.redirect_uri) : undefined;
      draft = target ? pick(index.drafts.filter((d) => d.pending && d.redirectEndpoint === target && d.clientId === p.client_id), leg.event.tabId) : undefined;
    }
  } else if (leg.grantType === 'refresh_token' && p.refresh_token) {
    draft = index.byToken.get(p.refresh_token);
    if (!draft) {
      const endpoint = endpointOf(leg.event.url);
      draft = pick(
        index.drafts.filter((d) => d.clientId !== undefined && d.clientId === p.client_id && d.legs.some((l) => l.kind === 'token-request' && endpointOf(l.event.url) === endpoint)),
        leg.event.tabId,
      );
    }
  }
  if (draft) draft.legs.push(leg);
  else draft = newDraft(index, leg);
  draft.pending = false;
  draft.clientId ??= p.client_id;
  if (p.code) index.byCode.set(p.code, draft);
  rememberResponseTokens(index, draft, leg.response);
}

function addPar(index: Index, leg: Leg): void {
  const draft = newDraft(index, leg);
  draft.clientId = leg.params.client_id;
  draft.pending = true;
  const uri = leg.response?.request_uri;
  if (typeof uri === 'string') index.byRequestUri.set(uri, draft);
  if (leg.params.redirect_uri) draft.redirectEndpoint = endpointOf(leg.params.redirect_uri);
  if (leg.params.state !== undefined) {
    draft.state = leg.params.state;
    index.byState.set(leg.params.state, draft);
  }
}

/** Login/consent form posts on the authorization server's origin, while its flow waits for a callback. */
function addInteraction(index: Index, leg: Leg): void {
  const origin = originOf(leg.event.url);
  const draft = pick(index.drafts.filter((d) => d.pending && d.authorizationOrigin === origin), leg.event.tabId);
  draft?.legs.push(leg);
}

/** Userinfo and API calls join the flow that issued the token they carry. */
function addTokenUse(index: Index, event: RequestEvent, userinfoEndpoints: ReadonlySet<string>): void {
  const presented = presentedToken(event);
  if (!presented) return;
  const draft = index.byToken.get(presented.token);
  if (!draft) return;
  const endpoint = endpointOf(event.url);
  const kind = endpoint && userinfoEndpoints.has(endpoint) ? 'userinfo' : 'api';
  draft.legs.push({ id: event.id, kind, event, params: {}, paramSource: 'query' });
}

/**
 * Logout legs join the flow whose ID token they present (`id_token_hint`), or
 * whose session they end (`sid`), else the latest flow of the same client at
 * the same server. A logout that presents an ID token of a login outside the
 * capture is a flow of its own; the redirect back joins its logout.
 */
function addEndSession(index: Index, leg: Leg): void {
  const p = leg.params;
  const tabId = leg.event.tabId;
  let draft: FlowDraft | undefined;
  if (leg.logout === 'post-logout-redirect') {
    index.lastLogout.get(tabId)?.legs.push(leg);
    return;
  }
  if (p.id_token_hint) draft = index.byToken.get(p.id_token_hint);
  if (!draft && p.sid) draft = index.bySid.get(p.sid);
  if (!draft && leg.logout === 'rp-initiated') {
    const origin = originOf(leg.event.url);
    draft = pick(index.drafts.filter((d) => d.authorizationOrigin !== undefined && d.authorizationOrigin === origin && (p.client_id === undefined || d.clientId === p.client_id)), tabId);
  }
  if (!draft && leg.logout === 'rp-initiated' && p.id_token_hint) draft = newDraft(index, leg);
  else draft?.legs.push(leg);
  if (draft && leg.logout === 'rp-initiated') index.lastLogout.set(tabId, draft);
}

/**
 * Drops a Location-delivered callback when the next hop (the request to the
 * redirect URI) carries the same parameters in its query: one callback, not two.
 * A fragment is not sent to the server, so a `location.fragment` callback stays
 * and points at the next hop as its document.
 */
export function dedupeCallbacks(legs: Leg[], events: readonly RequestEvent[]): Leg[] {
  const byHop = new Map<string, RequestEvent>();
  for (const event of events) byHop.set(`${event.requestId}#${event.hop}`, event);
  const callbackIds = new Set(legs.filter((l) => l.kind === 'callback').map((l) => l.id));
  const result: Leg[] = [];
  for (const leg of legs) {
    if (leg.kind === 'callback' && leg.paramSource.startsWith('location.') && leg.event.redirectUrl) {
      const next = byHop.get(`${leg.event.requestId}#${leg.event.hop + 1}`);
      const sameTarget = next && stripFragment(next.url) === stripFragment(leg.event.redirectUrl);
      if (sameTarget && next && callbackIds.has(next.id) && leg.paramSource === 'location.query') continue;
      if (sameTarget && next) leg.documentId = next.id;
    } else if (leg.kind === 'callback') {
      leg.documentId = leg.id;
    }
    result.push(leg);
  }
  return result;
}

export function groupLegs(
  legs: Leg[],
  tokenUses: readonly RequestEvent[],
  userinfoEndpoints: ReadonlySet<string>,
): FlowDraft[] {
  const index: Index = {
    drafts: [],
    byState: new Map(),
    byCode: new Map(),
    byToken: new Map(),
    byRequestUri: new Map(),
    bySid: new Map(),
    lastLogout: new Map(),
    orphanCallbacks: new Map(),
  };
  // Merge legs and token uses in capture order.
  const items: Array<{ seq: number; leg?: Leg; use?: RequestEvent }> = [
    ...legs.map((leg) => ({ seq: leg.event.seq, leg })),
    ...tokenUses.map((use) => ({ seq: use.seq, use })),
  ];
  items.sort((a, b) => a.seq - b.seq);
  for (const item of items) {
    if (item.use) {
      addTokenUse(index, item.use, userinfoEndpoints);
      continue;
    }
    const leg = item.leg;
    if (!leg) continue;
    switch (leg.kind) {
      case 'authorization-request':
        addAuthorizationRequest(index, leg);
        break;
      case 'par':
        addPar(index, leg);
        break;
      case 'callback':
        addCallback(index, leg);
        break;
      case 'token-request':
        addTokenRequest(index, leg);
        break;
      case 'interaction':
        addInteraction(index, leg);
        break;
      case 'end-session':
        addEndSession(index, leg);
        break;
      default:
        break;
    }
  }
  return index.drafts;
}
