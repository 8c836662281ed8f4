/**
 * Front-channel requests the inspector opens in a tab of its own: a fresh
 * authorization request (its own state and PKCE pair) to obtain a code the app
 * never redeemed, and the same request with a changed redirect_uri.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1 (redirect URI validation)
 */
import { decodeProtectedHeader } from 'jose';
import type { Flow, Leg } from '../model.ts';
import { authorizationLeg, parLeg, responseTypes } from '../flows/legs.ts';
import { fragmentParams, queryParams, safeUrl } from '../oauth/params.ts';
import type { PkcePair } from './pkce.ts';
import { tokenRequestFromLeg, withFields, withoutHeader, type Unavailable } from './token-requests.ts';
import type { NavigationOutcome, ReplayRequest } from './types.ts';

/** Stands in for the request_uri the inspector's own push will return, in what the dialog shows. */
export const PUSHED_REQUEST_URI_PLACEHOLDER = '(the request_uri the inspector’s push returns)';

/** Client authentication fields of a push: never part of the authorization request itself. */
const CLIENT_AUTH_FIELDS = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

export interface AuthorizationProbe {
  /** The URL to open in the inspector's tab. */
  url: string;
  state: string;
  /** The redirect_uri the request carries (the registered one, or a changed one). */
  redirectUri: string;
  pair: PkcePair;
  nonce?: string;
  /** A plain request standing in for the flow's pushed one (see ProbeBase). */
  plainInsteadOfPar?: boolean;
  /**
   * PAR (RFC 9126): the inspector pushes these parameters first, then opens
   * `url` with the request_uri the push returns in place of the placeholder.
   */
  push?: ReplayRequest;
}

/** What a probe is built from: the flow's authorization request, in the form the inspector can send. */
export interface ProbeBase {
  url: URL;
  redirectUri: string;
  /** The flow pushed its parameters and the inspector can push its own (public client). */
  push?: ReplayRequest;
  /** Said in the dialog and the result: how the inspector's request differs in form from the app's. */
  note?: string;
  /** The flow pushed its parameters and the inspector sends a plain request instead (the client authenticates its pushes). */
  plainInsteadOfPar?: boolean;
}

/** The flow's pushed request as one the inspector may push itself, or why it cannot. */
function pushTemplate(par: Leg): ReplayRequest | string {
  const request = tokenRequestFromLeg(par);
  if (!request) return 'the push request cannot be read';
  if (par.clientAuth && par.clientAuth !== 'none') {
    return `the app’s push authenticates the client (${par.clientAuth}), with credentials the inspector does not have`;
  }
  // A DPoP header on the push would bind the code to the app's key (dpop_jkt): the inspector's push has none.
  return withoutHeader(withFields(request, { request: null }), 'dpop');
}

/** The flow's authorization request, if the inspector can send a changed copy of it. */
export function probeBase(flow: Flow): ProbeBase | Unavailable {
  const leg = authorizationLeg(flow);
  if (!leg) return { unavailable: 'no authorization request was captured in this flow' };
  const par = parLeg(flow);
  if (!par && leg.params.request_uri) {
    return { unavailable: 'the authorization request refers to parameters pushed where the browser could not see (request_uri): the inspector cannot rebuild them' };
  }
  // With PAR, the parameters are the pushed ones (request objects already decoded into them).
  const params = par ? { ...par.params, client_id: par.params.client_id ?? leg.params.client_id ?? '' } : leg.params;
  if (!par && leg.params.request && !isUnsigned(leg.params.request)) {
    return { unavailable: 'the parameters travel in a signed request object, which the inspector cannot change' };
  }
  const types = responseTypes(params);
  if (types.size !== 1 || !types.has('code')) {
    return { unavailable: 'only an authorization code flow (response_type=code) returns a code the inspector can catch' };
  }
  const url = safeUrl(leg.event.url);
  if (!url) return { unavailable: 'the authorization request URL cannot be read' };
  const redirectUri = params.redirect_uri ?? flow.redirectUri;
  if (!redirectUri || !safeUrl(redirectUri)) return { unavailable: 'the flow’s redirect_uri is unknown' };
  url.hash = '';
  if (!par && !leg.params.request) return { url, redirectUri };
  // Rebuild the request in the clear: the pushed (or unsigned request object's) parameters in the query.
  url.search = '';
  for (const [name, value] of Object.entries(params)) {
    if (!CLIENT_AUTH_FIELDS.has(name) && name !== 'request' && name !== 'request_uri') url.searchParams.set(name, value);
  }
  if (!par) return { url, redirectUri, note: 'The flow sent its parameters in an unsigned request object; the inspector sends them as plain query parameters.' };
  const template = pushTemplate(par);
  if (typeof template !== 'string') {
    return { url, redirectUri, push: template, note: 'The flow pushed its parameters (PAR): the inspector pushes its own request the same way (a public client needs no credentials), then opens the authorization endpoint with the request_uri it gets back.' };
  }
  return {
    url,
    redirectUri,
    plainInsteadOfPar: true,
    note: `The flow pushed its parameters (PAR), but ${template}: the inspector sends a plain authorization request instead. An authorization server that requires PAR refuses it, and the result says so.`,
  };
}

function isUnsigned(jwt: string): boolean {
  try {
    return decodeProtectedHeader(jwt).alg === 'none';
  } catch {
    return false;
  }
}

/** The inspector's probe URL once its push returned `requestUri`. */
export function probeUrlWithRequestUri(probe: AuthorizationProbe, requestUri: string): string {
  const url = new URL(probe.url);
  url.searchParams.set('request_uri', requestUri);
  return url.href;
}

/**
 * The flow's authorization request with the inspector's state, PKCE pair and
 * nonce, and optionally another redirect_uri. `prompt=none` is dropped so the
 * user can log in if needed; form_post becomes the default (query) so the
 * code arrives in a URL the inspector can catch.
 */
export function authorizationProbeUrl(
  base: ProbeBase,
  input: { state: string; pair: PkcePair; nonce?: string; redirectUri?: string },
): AuthorizationProbe {
  const url = new URL(base.url.href);
  const q = url.searchParams;
  const redirectUri = input.redirectUri ?? base.redirectUri;
  q.set('state', input.state);
  q.set('code_challenge', input.pair.code_challenge);
  q.set('code_challenge_method', input.pair.code_challenge_method);
  q.set('redirect_uri', redirectUri);
  if (q.has('nonce') && input.nonce) q.set('nonce', input.nonce);
  if (q.get('prompt') === 'none') q.delete('prompt');
  // Query (the default for code) is the only mode whose answer the inspector can catch in a URL; JARM modes included.
  const mode = q.get('response_mode');
  if (mode !== null && mode !== 'query') q.delete('response_mode');
  const probe: AuthorizationProbe = { url: url.href, state: input.state, redirectUri, pair: input.pair };
  if (q.has('nonce') && input.nonce) probe.nonce = input.nonce;
  if (base.plainInsteadOfPar) probe.plainInsteadOfPar = true;
  if (base.push) {
    const pushed: Record<string, string | null> = Object.fromEntries(q);
    for (const [name] of base.push.fields) if (!(name in pushed) && !CLIENT_AUTH_FIELDS.has(name)) pushed[name] = null;
    probe.push = withFields(base.push, pushed);
    const front = new URL(url.href);
    front.search = '';
    front.searchParams.set('client_id', q.get('client_id') ?? '');
    front.searchParams.set('request_uri', PUSHED_REQUEST_URI_PLACEHOLDER);
    probe.url = front.href;
  }
  return probe;
}

export type RedirectVariantId = 'path' | 'port' | 'subdomain' | 'query';

export interface RedirectVariant {
  id: RedirectVariantId;
  label: string;
  redirectUri: string;
}

/** The changed redirect URIs of `redirect.not-exact`; a variant that cannot be built (an IP host has no subdomain) is left out. */
export function changedRedirectUris(redirectUri: string): RedirectVariant[] {
  const original = safeUrl(redirectUri);
  if (!original) return [];
  const variants: RedirectVariant[] = [];
  const path = new URL(original.href);
  path.pathname = path.pathname.endsWith('/') ? `${path.pathname}lens-probe` : `${path.pathname}/lens-probe`;
  variants.push({ id: 'path', label: 'an extra path segment', redirectUri: path.href });

  const port = new URL(original.href);
  const current = Number(original.port || (original.protocol === 'https:' ? 443 : 80));
  port.port = String(current === 65535 ? current - 1 : current + 1);
  variants.push({ id: 'port', label: 'another port', redirectUri: port.href });

  const isIp = /^[\d.]+$/.test(original.hostname) || original.hostname.startsWith('[');
  if (!isIp) {
    const sub = new URL(original.href);
    sub.hostname = `lens-probe.${original.hostname}`;
    variants.push({ id: 'subdomain', label: 'another subdomain', redirectUri: sub.href });
  }

  const query = new URL(original.href);
  query.searchParams.append('lens_probe', '1');
  variants.push({ id: 'query', label: 'an added query parameter', redirectUri: query.href });
  return variants;
}

/** True when `url` is an address under `redirectUri`: same origin and path, and every query parameter of it. */
export function isAtRedirectUri(url: string, redirectUri: string): boolean {
  const at = safeUrl(url);
  const target = safeUrl(redirectUri);
  if (!at || !target) return false;
  if (at.origin !== target.origin || at.pathname !== target.pathname) return false;
  for (const [name, value] of target.searchParams) if (!at.searchParams.getAll(name).includes(value)) return false;
  return true;
}

/** One main-frame hop in the probe tab, as webRequest saw it. */
export interface NavigationHop {
  url: string;
  status?: number;
  /** Location of a redirect answer. */
  redirectUrl?: string;
  /** A navigation the inspector stopped (DNR / blocking webRequest) before it left. */
  caught?: boolean;
}

/**
 * What the tab's navigation says about a probe sent to `redirectUri`:
 * a redirect there (caught before it left), an error page, or a page that waits for the user.
 */
export function readNavigation(hops: readonly NavigationHop[], redirectUri: string): NavigationOutcome {
  for (const hop of hops) {
    if (hop.redirectUrl && isAtRedirectUri(hop.redirectUrl, redirectUri)) {
      return { kind: 'redirected', url: hop.redirectUrl, ...(hop.status !== undefined ? { status: hop.status } : {}) };
    }
    if (isAtRedirectUri(hop.url, redirectUri)) return { kind: 'redirected', url: hop.url };
  }
  for (const hop of hops) {
    const error = hop.redirectUrl ? queryParams(hop.redirectUrl).error ?? fragmentParams(hop.redirectUrl).error : undefined;
    if (error) return { kind: 'error-page', status: hop.status ?? 0, url: hop.redirectUrl ?? hop.url, error };
  }
  const last = hops[hops.length - 1];
  if (!last) return { kind: 'waiting', url: '' };
  if (last.status !== undefined && last.status >= 400) return { kind: 'error-page', status: last.status, url: last.url };
  return { kind: 'waiting', url: last.url, ...(last.status !== undefined ? { status: last.status } : {}) };
}

/** The authorization response caught for a probe: its code (or error), if the state is the probe's. */
export function readCaughtCallback(url: string, state: string): { code?: string; error?: string; error_description?: string; iss?: string } | undefined {
  const params = { ...fragmentParams(url), ...queryParams(url) };
  if (params.state !== state) return undefined;
  const out: { code?: string; error?: string; error_description?: string; iss?: string } = {};
  if (params.code) out.code = params.code;
  if (params.error) out.error = params.error;
  if (params.error_description) out.error_description = params.error_description;
  if (params.iss) out.iss = params.iss;
  return out;
}

/** A line for the result when an authorization server's refusal says it wants PAR (RFC 9126 §5). */
export function parRequiredNote(error: string | undefined, description: string | undefined): string {
  const text = `${error ?? ''} ${description ?? ''}`;
  return /pushed authori[sz]ation request|\bPAR\b|request_uri/i.test(text)
    ? ' This authorization server requires pushed authorization requests (RFC 9126 §5) for this client: the inspector could not push a request of its own (the client authenticates its pushes).'
    : '';
}
