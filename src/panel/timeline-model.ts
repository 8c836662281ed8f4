/**
 * A flow as a sequence diagram: lanes (browser, client app, authorization
 * server, API) and, per leg, the arrows of what travelled. Legs the browser
 * could not see are rows too (`unseen`), drawn dashed, never left out.
 */
import type { Finding, Flow, Leg, LegKind } from '../core/model.ts';

export const LANES = ['browser', 'client', 'as', 'api'] as const;
export type Lane = (typeof LANES)[number];
export const LANE_TITLES: Record<Lane, string> = {
  browser: 'Browser',
  client: 'Client app',
  as: 'Authorization server',
  api: 'API',
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
  /** The leg's id, or `unseen-…` for a leg the browser could not see. */
  id: string;
  leg?: Leg;
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

export function timelineRows(flow: Flow, findings: readonly Finding[]): TimelineRow[] {
  const byLeg = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const id of new Set(f.evidence.map((e) => e.requestId))) {
      const list = byLeg.get(id) ?? [];
      list.push(f);
      byLeg.set(id, list);
    }
  }
  const rows: TimelineRow[] = [];
  for (const leg of flow.legs) {
    const [from, to] = endpoints(leg);
    const row: TimelineRow = {
      id: leg.id,
      leg,
      request: { from, to, label: labelOf(leg), detail: requestDetail(leg), dashed: false },
      // Evidence names the event (hop) it was found in; hops of one redirect chain share a requestId, so match the leg's own id.
      findings: byLeg.get(leg.id) ?? [],
    };
    const response = responseArrow(leg, from, to);
    if (response) row.response = response;
    rows.push(row);
    if (leg.kind === 'callback' && flow.observability.tokenExchange === 'server-side') rows.push(unseenTokenExchange(flow, leg));
  }
  return rows;
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

/** Findings not pinned to any leg of the flow (flow-wide). */
export function unpinnedFindings(flow: Flow, findings: readonly Finding[]): Finding[] {
  const ids = new Set(flow.legs.map((l) => l.id));
  return findings.filter((f) => !f.evidence.some((e) => ids.has(e.requestId)));
}
