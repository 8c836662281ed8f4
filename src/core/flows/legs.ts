/** Questions the checks and the panel ask of a flow. */
import type { Flow, Leg } from '../model.ts';
import type { Params } from '../oauth/params.ts';

export function legsOf(flow: Flow, kind: Leg['kind']): Leg[] {
  return flow.legs.filter((leg) => leg.kind === kind);
}

/** The first front-channel authorization request of the flow. */
export function authorizationLeg(flow: Flow): Leg | undefined {
  return flow.legs.find((leg) => leg.kind === 'authorization-request');
}

export function parLeg(flow: Flow): Leg | undefined {
  return flow.legs.find((leg) => leg.kind === 'par');
}

/**
 * The authorization parameters as the AS received them: a PAR push's
 * parameters under the front-channel request's (which, with PAR, are only
 * client_id and request_uri).
 */
export function authorizationParams(flow: Flow): Params | undefined {
  const par = parLeg(flow);
  const front = authorizationLeg(flow);
  if (!par && !front) return undefined;
  return { ...(par?.params ?? {}), ...(front?.params ?? {}) };
}

/** The leg that carried the authorization parameters (the PAR push when there is one). */
export function authorizationSourceLeg(flow: Flow): Leg | undefined {
  return parLeg(flow) ?? authorizationLeg(flow);
}

export function callbackLeg(flow: Flow): Leg | undefined {
  return flow.legs.find((leg) => leg.kind === 'callback');
}

/** The URL the callback was delivered to. */
export function callbackUrl(leg: Leg): string | undefined {
  return leg.paramSource.startsWith('location.') ? leg.event.redirectUrl : leg.event.url;
}

export function tokenLegs(flow: Flow): Leg[] {
  return legsOf(flow, 'token-request');
}

/** The token request that redeemed the authorization code. */
export function codeExchangeLeg(flow: Flow): Leg | undefined {
  return flow.legs.find((leg) => leg.kind === 'token-request' && leg.grantType === 'authorization_code');
}

/** True when the AS answered a token request with tokens. */
export function issuedTokens(leg: Leg): boolean {
  const r = leg.response;
  if (r && (typeof r.access_token === 'string' || typeof r.id_token === 'string')) return true;
  return false;
}

/** The response_type of the flow's authorization request, split into its words. */
export function responseTypes(params: Params | undefined): Set<string> {
  return new Set((params?.response_type ?? '').split(/\s+/).filter(Boolean));
}

/** `url.query.state`, `body.code_challenge`, `location.fragment.id_token`… for a parameter of this leg. */
export function whereOf(leg: Leg, name: string): string {
  return `${PARAM_PLACE[leg.paramSource]}.${name}`;
}

const PARAM_PLACE: Record<Leg['paramSource'], string> = {
  query: 'url.query',
  fragment: 'url.fragment',
  body: 'body',
  'location.query': 'location.query',
  'location.fragment': 'location.fragment',
  json: 'response.body',
};
