import { BODY_HINT } from '../body-hint.ts';
import type { AuthorizationServerMetadata, Flow, FlowKind, Leg, Observability } from '../model.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { endpointOf } from '../oauth/params.ts';
import { unknownArchitecture } from './architecture.ts';
import type { FlowDraft } from './group.ts';
import { authorizationParams, callbackLeg, codeExchangeLeg, responseTypes } from './legs.ts';

function kindOf(flow: Flow): FlowKind {
  const types = responseTypes(authorizationParams(flow));
  if (types.has('code') && (types.has('token') || types.has('id_token'))) return 'hybrid';
  if (types.has('code')) return 'authorization_code';
  if (types.has('token') || types.has('id_token')) return 'implicit';
  const callback = callbackLeg(flow);
  if (callback?.params.code) return callback.params.access_token || callback.params.id_token ? 'hybrid' : 'authorization_code';
  if (callback?.params.access_token || callback?.params.id_token) return 'implicit';
  const grant = flow.legs.find((leg) => leg.kind === 'token-request')?.grantType;
  switch (grant) {
    case 'authorization_code':
    case 'refresh_token':
    case 'client_credentials':
    case 'password':
      return grant;
    default:
      return 'unknown';
  }
}

function metadataFor(flow: Flow, metadata: readonly AuthorizationServerMetadata[]): AuthorizationServerMetadata | undefined {
  return metadata.find((doc) => {
    const d = doc.document;
    const auth = typeof d.authorization_endpoint === 'string' ? endpointOf(d.authorization_endpoint) : undefined;
    const token = typeof d.token_endpoint === 'string' ? endpointOf(d.token_endpoint) : undefined;
    const par = typeof d.pushed_authorization_request_endpoint === 'string' ? endpointOf(d.pushed_authorization_request_endpoint) : undefined;
    return (
      (auth !== undefined && auth === flow.authorizationEndpoint) ||
      (token !== undefined && token === flow.tokenEndpoint) ||
      (par !== undefined && flow.legs.some((l) => l.kind === 'par' && endpointOf(l.event.url) === par))
    );
  });
}

function idTokenIssuer(flow: Flow): string | undefined {
  for (const leg of flow.legs) {
    const raw = (leg.kind === 'callback' ? leg.params.id_token : undefined) ?? (typeof leg.response?.id_token === 'string' ? leg.response.id_token : undefined);
    const iss = tryDecodeJwt(raw)?.payload.iss;
    if (typeof iss === 'string') return iss;
  }
  return undefined;
}

function observabilityOf(flow: Flow): Observability {
  const notes: string[] = [];
  const callback = callbackLeg(flow);
  const exchange = codeExchangeLeg(flow);
  const hasAuthRequest = flow.legs.some((l) => l.kind === 'authorization-request' || l.kind === 'par');
  let tokenExchange: Observability['tokenExchange'];
  if (exchange) tokenExchange = 'observed';
  else if (flow.kind === 'implicit') tokenExchange = 'not-applicable';
  else if (callback?.params.code) {
    tokenExchange = 'server-side';
    notes.push('Token exchange not observable: server-side client. The code was redeemed where the browser cannot see (or outside this capture).');
  } else if (callback?.params.error) tokenExchange = 'not-applicable';
  else if (flow.legs.some((l) => l.kind === 'token-request')) tokenExchange = 'observed';
  else tokenExchange = 'pending';
  const tokenRequests = flow.legs.filter((l) => l.kind === 'token-request');
  let tokenResponseBody: Observability['tokenResponseBody'] = 'not-applicable';
  if (tokenRequests.length > 0) {
    tokenResponseBody = tokenRequests.every((l) => l.event.responseBodyState === 'captured') ? 'captured' : 'unavailable';
    if (tokenResponseBody === 'unavailable') {
      notes.push(`The token response body was not captured: checks that need it are reported as not evaluated. ${BODY_HINT}`);
    }
  }
  if (!hasAuthRequest && flow.kind !== 'client_credentials' && flow.kind !== 'password' && flow.kind !== 'refresh_token') {
    notes.push('The authorization request is not in this capture.');
  }
  return { tokenExchange, tokenResponseBody, notes };
}

export function finishFlow(draft: FlowDraft, metadata: readonly AuthorizationServerMetadata[]): Flow {
  const legs: Leg[] = [...draft.legs].sort((a, b) => a.event.seq - b.event.seq);
  const first = legs[0];
  const flow: Flow = {
    id: `flow-${first?.id ?? 'empty'}`,
    kind: 'unknown',
    tabId: draft.tabId,
    startedAt: first?.event.time ?? 0,
    legs,
    observability: { tokenExchange: 'pending', tokenResponseBody: 'not-applicable', notes: [] },
    architecture: unknownArchitecture(),
  };
  const params = authorizationParams(flow);
  const authLeg = legs.find((l) => l.kind === 'authorization-request');
  const tokenLeg = legs.find((l) => l.kind === 'token-request');
  const callback = callbackLeg(flow);
  const clientId = params?.client_id ?? tokenLeg?.params.client_id ?? draft.clientId;
  if (clientId !== undefined) flow.clientId = clientId;
  const authEndpoint = authLeg ? endpointOf(authLeg.event.url) : undefined;
  if (authEndpoint) flow.authorizationEndpoint = authEndpoint;
  const tokenEndpoint = tokenLeg ? endpointOf(tokenLeg.event.url) : undefined;
  if (tokenEndpoint) flow.tokenEndpoint = tokenEndpoint;
  const redirectUri = params?.redirect_uri ?? tokenLeg?.params.redirect_uri ?? draft.redirectEndpoint;
  if (redirectUri !== undefined) flow.redirectUri = redirectUri;
  flow.kind = kindOf(flow);
  const doc = metadataFor(flow, metadata);
  if (doc) {
    const named = doc.document.token_endpoint;
    flow.discovery = { url: doc.url, ...(typeof named === 'string' ? { tokenEndpoint: named } : {}) };
  }
  const callbackIss = callback?.params.iss;
  const tokenIss = idTokenIssuer(flow);
  if (doc && typeof doc.document.issuer === 'string') {
    flow.issuer = doc.document.issuer;
    flow.issuerSource = 'discovery';
  } else if (callbackIss) {
    flow.issuer = callbackIss;
    flow.issuerSource = 'callback';
  } else if (tokenIss) {
    flow.issuer = tokenIss;
    flow.issuerSource = 'id_token';
  } else {
    flow.issuerSource = 'none';
  }
  flow.observability = observabilityOf(flow);
  return flow;
}
