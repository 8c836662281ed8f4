/**
 * Recognition that needs more than one event: the request object behind a
 * `request_uri` the capture saw fetched, a request to the discovery's
 * `end_session_endpoint`, and the redirect back after a logout.
 */
import type { AuthorizationServerMetadata, Leg, RequestEvent } from '../model.ts';
import { endpointOf, queryParams, safeUrl } from '../oauth/params.ts';
import { requestObjectParams } from './classify.ts';

const MAX_REQUEST_OBJECT = 100_000;

/**
 * A `request_uri` that is a URL (not a PAR `urn:`): when the capture holds a
 * response from that URL whose body is a JWT, it is the request object (RFC
 * 9101 §5.2) and its parameters are the request's.
 */
export function resolveRequestUris(legs: Leg[], events: readonly RequestEvent[]): void {
  for (const leg of legs) {
    if ((leg.kind !== 'authorization-request' && leg.kind !== 'par') || leg.requestObject) continue;
    const uri = leg.params.request_uri;
    if (!uri || !/^https?:\/\//i.test(uri)) continue;
    const target = safeUrl(uri)?.href;
    if (!target) continue;
    const fetched = events.find((e) => e.responseBody?.text !== undefined && safeUrl(e.url)?.href === target);
    const jwt = fetched?.responseBody?.text.trim();
    if (!fetched || !jwt || jwt.length > MAX_REQUEST_OBJECT) continue;
    const inner = requestObjectParams(jwt);
    if (!inner) continue;
    leg.params = { ...leg.params, ...inner };
    leg.requestObject = { jwt, source: 'request_uri', eventId: fetched.id };
  }
}

function isNavigation(event: RequestEvent): boolean {
  return event.type === 'main_frame' || event.type === 'sub_frame';
}

/**
 * Logout legs found with the help of other events: requests to an
 * `end_session_endpoint` that carry neither `id_token_hint` nor
 * `post_logout_redirect_uri`, and the navigation back to the
 * `post_logout_redirect_uri` (OIDC RP-Initiated Logout §3).
 */
export function logoutLegs(
  legs: readonly Leg[],
  events: readonly RequestEvent[],
  metadata: readonly AuthorizationServerMetadata[],
  classified: ReadonlySet<string>,
): Leg[] {
  const found: Leg[] = [];
  const endSession = new Set<string>();
  for (const doc of metadata) {
    const endpoint = typeof doc.document.end_session_endpoint === 'string' ? endpointOf(doc.document.end_session_endpoint) : undefined;
    if (endpoint) endSession.add(endpoint);
  }
  if (endSession.size > 0) {
    for (const event of events) {
      if (classified.has(event.id) || !isNavigation(event) || event.fromInspector) continue;
      const endpoint = endpointOf(event.url);
      if (endpoint && endSession.has(endpoint) && event.method === 'GET') {
        found.push({ id: event.id, kind: 'end-session', event, params: queryParams(event.url), paramSource: 'query', logout: 'rp-initiated' });
      }
    }
  }
  const initiated = [...legs, ...found].filter((l) => l.kind === 'end-session' && l.logout === 'rp-initiated');
  for (const logout of initiated) {
    const back = logout.params.post_logout_redirect_uri ? endpointOf(logout.params.post_logout_redirect_uri) : undefined;
    if (!back) continue;
    const event = events.find(
      (e) => e.seq > logout.event.seq && isNavigation(e) && !e.fromInspector && e.tabId === logout.event.tabId && endpointOf(e.url) === back && !classified.has(e.id),
    );
    if (event) found.push({ id: event.id, kind: 'end-session', event, params: queryParams(event.url), paramSource: 'query', logout: 'post-logout-redirect' });
  }
  return found;
}
