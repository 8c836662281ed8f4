/**
 * Recognises what one event is, by its parameters, never by its path:
 * providers put their endpoints anywhere (`/auth`, `/oauth2/v2.0/authorize`,
 * `/login/oauth/access_token`…), but the parameters are fixed by the RFCs.
 */
import type { Leg, LegKind, ParamSource, RequestEvent } from '../model.ts';
import { bodyMightBeOAuth, mightBeOAuth, urlMightBeOAuth } from '../ingest/prefilter.ts';
import {
  basicCredentials,
  bodyParams,
  fragmentParams,
  header,
  looksLikeFormBody,
  parseJsonObject,
  parseParamString,
  queryParams,
  safeUrl,
  stringScalars,
  type Params,
} from '../oauth/params.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { nullRecord } from '../records.ts';

/** Parameters that only an authorization response carries. */
const CALLBACK_KEYS = ['code', 'error', 'access_token', 'id_token'] as const;

/** A compact JWS (3 parts) or JWE (5 parts), bounded, base64url pieces only. */
const JOSE_SHAPE = /^[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2}(?:(?:\.[A-Za-z0-9_-]*){2})?$/;

/** A JARM response (`response=<JWT>`, JARM §4.3): the parameter name alone is too common. */
export function isJarmValue(value: string | undefined): value is string {
  return typeof value === 'string' && value.length < 100_000 && JOSE_SHAPE.test(value);
}

export function hasCallbackParams(params: Params): boolean {
  return CALLBACK_KEYS.some((key) => params[key] !== undefined && params[key] !== '') || isJarmValue(params.response);
}

/** JWT claims of a JARM response that are about the JWT itself, not response parameters. */
const JARM_OWN_CLAIMS = new Set(['aud', 'exp', 'iat', 'nbf', 'jti']);

/**
 * A callback leg, with a JARM response unpacked: the parameters inside the JWT
 * (code, state, iss, error…) are used as if they had come in the clear (JARM
 * §4.1); the JWT itself stays on the leg for jarm.invalid. An encrypted JARM
 * response (JWE) keeps its parameters hidden.
 */
function callback(event: RequestEvent, params: Params, source: ParamSource): Leg {
  if (!isJarmValue(params.response) || hasCallbackParams({ ...params, response: '' })) return leg(event, 'callback', params, source);
  const jwt = params.response;
  const decoded = tryDecodeJwt(jwt);
  const inner: Params = {};
  if (decoded) {
    for (const [key, value] of Object.entries(stringScalars(decoded.payload as Record<string, unknown>))) {
      if (!JARM_OWN_CLAIMS.has(key)) inner[key] = value;
    }
  }
  return leg(event, 'callback', { ...params, ...inner }, source, { jarm: jwt });
}

function isNavigation(event: RequestEvent): boolean {
  return event.type === 'main_frame' || event.type === 'sub_frame';
}

function leg(event: RequestEvent, kind: LegKind, params: Params, paramSource: ParamSource, extra: Partial<Leg> = {}): Leg {
  const id = paramSource.startsWith('location.') ? `${event.id}#location` : event.id;
  // Parameter names come from the traffic: keep them in a record without prototype.
  return { id, kind, event, params: Object.assign(nullRecord<string>(), params), paramSource, ...extra };
}

/** The parsed response body: JSON, or a form-encoded body (GitHub's default token response). */
export function responseParams(event: RequestEvent): Record<string, unknown> | undefined {
  const text = event.responseBody?.text;
  if (text === undefined) return undefined;
  const json = parseJsonObject(text);
  if (json) return json;
  const trimmed = text.trim();
  if (looksLikeFormBody(trimmed)) return parseParamString(trimmed);
  return undefined;
}

/** Request object claims that describe the JWT, not the authorization request. */
const REQUEST_OBJECT_OWN_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti']);

/** The authorization parameters of a JAR request object (RFC 9101 §4), without its JWT claims. */
export function requestObjectParams(jwt: string): Params | undefined {
  const decoded = tryDecodeJwt(jwt);
  if (!decoded) return undefined;
  const params: Params = {};
  for (const [key, value] of Object.entries(stringScalars(decoded.payload as Record<string, unknown>))) {
    if (!REQUEST_OBJECT_OWN_CLAIMS.has(key)) params[key] = value;
  }
  return params;
}

/**
 * Merges the claims of a JAR request object (`request=`), which take precedence
 * (RFC 9101 §6.3, OIDC §6.1), and keeps the object on the leg.
 */
function withRequestObject(event: RequestEvent, kind: LegKind, params: Params, source: ParamSource, extra: Partial<Leg> = {}): Leg {
  const inner = params.request ? requestObjectParams(params.request) : undefined;
  if (!inner || !params.request) return leg(event, kind, params, source, extra);
  return leg(event, kind, { ...params, ...inner }, source, { ...extra, requestObject: { jwt: params.request, source: 'request' } });
}

function isAuthorizationParams(params: Params): boolean {
  if (params.client_id === undefined && params.request === undefined) return false;
  if (params.grant_type !== undefined) return false;
  return params.response_type !== undefined || params.request_uri !== undefined || params.request !== undefined;
}

/**
 * GitHub's authorization endpoint takes no response_type (the code flow is
 * implied): a navigation carrying client_id and redirect_uri, and nothing that
 * marks it as a response or a token request, is taken as one.
 */
function isImpliedCodeRequest(params: Params, event: RequestEvent): boolean {
  return (
    isNavigation(event) &&
    params.client_id !== undefined &&
    params.redirect_uri !== undefined &&
    params.response_type === undefined &&
    params.grant_type === undefined &&
    !hasCallbackParams(params)
  );
}

function tokenGrant(params: Params, event: RequestEvent): string | undefined {
  if (params.grant_type) return params.grant_type;
  // GitHub-style: code + client credentials, no grant_type.
  if (params.code && params.state === undefined && (params.client_id || basicCredentials(event.requestHeaders))) {
    if (params.client_secret || params.code_verifier || params.redirect_uri || basicCredentials(event.requestHeaders)) {
      return 'authorization_code';
    }
  }
  return undefined;
}

function clientAuthOf(params: Params, event: RequestEvent): Leg['clientAuth'] {
  if (basicCredentials(event.requestHeaders)) return 'client_secret_basic';
  if (params.client_secret) return 'client_secret_post';
  if (params.client_assertion) return 'private_key_jwt';
  return 'none';
}

function isWellKnownMetadata(url: URL): boolean {
  return /\/\.well-known\/(openid-configuration|oauth-authorization-server)(\/|$)/.test(url.pathname);
}

function isJwks(body: Record<string, unknown> | undefined): boolean {
  const keys = body?.keys;
  return Array.isArray(keys) && keys.every((k) => !!k && typeof k === 'object' && typeof (k as { kty?: unknown }).kty === 'string');
}

/**
 * Classifies one event. Callbacks found here are candidates: grouping decides
 * whether they belong to an OAuth flow (a `?code=` on a verification link does not).
 */
export function classify(event: RequestEvent): Leg[] {
  const first = classifyOne(event);
  if (!first) return [];
  // An authorization request answered at once with a redirect to the client (an SSO session): two legs.
  if (first.kind === 'authorization-request' || first.kind === 'interaction') {
    const callback = classifyLocation(event);
    if (callback) return [first, callback];
  }
  return [first];
}

function classifyOne(event: RequestEvent): Leg | undefined {
  const location = event.redirectUrl;
  const interesting =
    mightBeOAuth(event.url, event.method, event.requestHeaders) ||
    (location !== undefined && urlMightBeOAuth(location)) ||
    event.responseBodyState === 'captured';
  if (!interesting) return undefined;
  if (
    event.method !== 'GET' &&
    event.method !== 'HEAD' &&
    !bodyMightBeOAuth(event.requestBody) &&
    !urlMightBeOAuth(event.url) &&
    !(location !== undefined && urlMightBeOAuth(location))
  ) {
    return classifyInteraction(event) ?? classifyResponseOnly(event);
  }

  const url = safeUrl(event.url);
  if (!url) return undefined;
  const query = queryParams(event.url);
  const body = event.method === 'GET' ? {} : bodyParams(event.requestBody);
  const response = responseParams(event);

  if (isWellKnownMetadata(url) || (response && typeof response.issuer === 'string' && (response.authorization_endpoint || response.token_endpoint))) {
    return leg(event, 'discovery', {}, 'json', response ? { response } : {});
  }
  if (isJwks(response)) return leg(event, 'jwks', {}, 'json', response ? { response } : {});

  // Token request: grant_type (or GitHub's code + client credentials) in the body, or in the query (a leak).
  const tokenSource: ParamSource = Object.keys(body).length > 0 ? 'body' : 'query';
  const tokenParams = tokenSource === 'body' ? { ...query, ...body } : query;
  const grant = tokenGrant(tokenParams, event);
  if (grant && (event.method === 'POST' || !isNavigation(event) || tokenParams.grant_type)) {
    const basic = basicCredentials(event.requestHeaders);
    const params = basic && !tokenParams.client_id ? { ...tokenParams, client_id: basic.clientId } : tokenParams;
    return leg(event, 'token-request', params, tokenSource, {
      grantType: grant,
      clientAuth: clientAuthOf(tokenParams, event),
      ...(response ? { response } : {}),
    });
  }

  // PAR: authorization parameters pushed by script or a server, answered with a request_uri.
  if (event.method === 'POST' && !isNavigation(event) && isAuthorizationParams(body)) {
    return withRequestObject(event, 'par', body, 'body', {
      clientAuth: clientAuthOf(body, event),
      ...(response ? { response } : {}),
    });
  }

  // Authorization request: GET with the parameters in the query, or a form POST navigation.
  if (isAuthorizationParams(query)) return withRequestObject(event, 'authorization-request', query, 'query');
  if (event.method === 'GET' && isImpliedCodeRequest(query, event)) return leg(event, 'authorization-request', query, 'query');
  if (event.method === 'POST' && isNavigation(event) && isAuthorizationParams(body)) {
    return withRequestObject(event, 'authorization-request', body, 'body');
  }

  // Callback: on the request URL (query), in a form_post body, or in a redirect's Location.
  if (event.method === 'POST' && hasCallbackParams(body) && body.client_id === undefined) {
    return callback(event, body, 'body');
  }
  if (hasCallbackParams(query) && query.client_id === undefined) return callback(event, query, 'query');
  const fragment = fragmentParams(event.url);
  if (hasCallbackParams(fragment)) return callback(event, fragment, 'fragment');
  // A logout form POST is answered with a redirect too: it is a logout, not a login step.
  const logout = classifyLogout(event, query, body);
  if (logout) return logout;
  const interaction = classifyInteraction(event);
  if (interaction) return interaction;
  const fromLocation = classifyLocation(event);
  if (fromLocation) return fromLocation;

  return classifyResponseOnly(event);
}

/**
 * Logout by its parameters: an RP-initiated logout request (`id_token_hint` or
 * `post_logout_redirect_uri`, by GET or POST; OIDC RP-Initiated Logout §2), or
 * the OP's front-channel logout frame at the client (`iss` and `sid`; OIDC
 * Front-Channel Logout §2). A request to the discovery's end_session_endpoint
 * with neither is recognised later, when the metadata is known.
 */
function classifyLogout(event: RequestEvent, query: Params, body: Params): Leg | undefined {
  if (query.id_token_hint !== undefined || query.post_logout_redirect_uri !== undefined) {
    return leg(event, 'end-session', query, 'query', { logout: 'rp-initiated' });
  }
  if (event.method === 'POST' && (body.id_token_hint !== undefined || body.post_logout_redirect_uri !== undefined)) {
    return leg(event, 'end-session', body, 'body', { logout: 'rp-initiated' });
  }
  if (event.type === 'sub_frame' && event.method === 'GET' && query.iss && query.sid && !hasCallbackParams(query)) {
    return leg(event, 'end-session', query, 'query', { logout: 'front-channel' });
  }
  return undefined;
}

/**
 * A form POST navigation answered with a redirect (a login or consent form):
 * grouping keeps it only inside a flow, on the authorization server's origin.
 */
function classifyInteraction(event: RequestEvent): Leg | undefined {
  if (event.method !== 'POST' || !isNavigation(event) || !event.redirectUrl) return undefined;
  if (event.status === undefined || event.status < 300 || event.status >= 400) return undefined;
  return leg(event, 'interaction', {}, 'body');
}

/** A redirect whose Location delivers an authorization response. */
function classifyLocation(event: RequestEvent): Leg | undefined {
  const location = event.redirectUrl;
  if (!location || !urlMightBeOAuth(location)) return undefined;
  const fragment = fragmentParams(location);
  if (hasCallbackParams(fragment)) return callback(event, fragment, 'location.fragment');
  const query = queryParams(location);
  if (hasCallbackParams(query) && query.client_id === undefined) return callback(event, query, 'location.query');
  return undefined;
}

/** Events known only by their response: discovery documents and JWKS fetched without telltale URLs. */
function classifyResponseOnly(event: RequestEvent): Leg | undefined {
  const response = responseParams(event);
  if (!response) return undefined;
  if (typeof response.issuer === 'string' && (response.authorization_endpoint || response.token_endpoint)) {
    return leg(event, 'discovery', {}, 'json', { response });
  }
  if (isJwks(response)) return leg(event, 'jwks', {}, 'json', { response });
  return undefined;
}

/** The access token an API call presents, in the Authorization header or (a leak) the query. */
export function presentedToken(event: RequestEvent): { token: string; where: string } | undefined {
  const authorization = header(event.requestHeaders, 'authorization');
  if (authorization) {
    const match = /^(bearer|dpop)\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[2]) return { token: match[2], where: 'header.authorization' };
  }
  const query = queryParams(event.url);
  if (query.access_token) return { token: query.access_token, where: 'url.query.access_token' };
  return undefined;
}

export { fragmentParams, queryParams };
