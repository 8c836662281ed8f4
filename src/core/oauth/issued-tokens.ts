/**
 * The tokens a flow was issued, each with what came alongside it (the access
 * token for at_hash, the code for c_hash), and issuer comparison.
 */
import type { Flow, Leg } from '../model.ts';
import { whereOf } from '../flows/legs.ts';

/** A token as one response delivered it, with what came alongside. */
export interface IssuedToken {
  kind: 'id_token' | 'access_token';
  raw: string;
  leg: Leg;
  /** Delivered by the authorization endpoint (implicit/hybrid callback). */
  frontChannel: boolean;
  /** Issued by a refresh_token grant. */
  refreshed: boolean;
  accessToken?: string;
  code?: string;
}

/** Where a token or code sat: `location.fragment.id_token`, `response.access_token`… */
export function placeOf(t: { leg: Leg; frontChannel: boolean }, name: string): string {
  return t.frontChannel ? whereOf(t.leg, name) : `response.${name}`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every ID token and access token the flow's callbacks and token responses carried, once each. */
export function issuedTokensOf(flow: Flow): IssuedToken[] {
  const found: IssuedToken[] = [];
  const seen = new Set<string>();
  const add = (token: IssuedToken) => {
    const key = `${token.kind}\u0000${token.raw}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(token);
  };
  for (const leg of flow.legs) {
    let values: { id_token?: string; access_token?: string; code?: string };
    let frontChannel = false;
    if (leg.kind === 'callback') {
      frontChannel = true;
      values = { ...(str(leg.params.id_token) ? { id_token: leg.params.id_token } : {}), ...(str(leg.params.access_token) ? { access_token: leg.params.access_token } : {}), ...(str(leg.params.code) ? { code: leg.params.code } : {}) };
    } else if (leg.kind === 'token-request' && leg.response) {
      const idToken = str(leg.response.id_token);
      const accessToken = str(leg.response.access_token);
      values = { ...(idToken ? { id_token: idToken } : {}), ...(accessToken ? { access_token: accessToken } : {}) };
    } else continue;
    const refreshed = leg.kind === 'token-request' && leg.grantType === 'refresh_token';
    const common = { leg, frontChannel, refreshed, ...(values.access_token ? { accessToken: values.access_token } : {}), ...(values.code ? { code: values.code } : {}) };
    if (values.id_token) add({ kind: 'id_token', raw: values.id_token, ...common });
    if (values.access_token) add({ kind: 'access_token', raw: values.access_token, ...common });
  }
  return found;
}
