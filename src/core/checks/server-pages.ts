/**
 * What the authorization server's own responses show: CORS on the
 * authorization endpoint, its login and consent pages framable by anyone, and
 * a client sharing one redirect_uri between servers with no mix-up defence.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.16
 */
import type { CheckResult, Flow, Leg, RequestEvent } from '../model.ts';
import { authorizationLeg, callbackUrl, legsOf } from '../flows/legs.ts';
import { endpointOf, header, originOf, stripFragment } from '../oauth/params.ts';
import { distinctCallbacks } from './callback.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence, maskUrl } from './excerpt.ts';

// ---- as.authorize-cors ----

function checkCors(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  const seen = new Set<string>();
  for (const leg of legsOf(flow, 'authorization-request')) {
    const event = leg.event;
    if (seen.has(event.requestId)) continue;
    seen.add(event.requestId);
    if (!event.responseHeaders) {
      result.notEvaluated.push(notEvaluated('as.authorize-cors', flow, 'The response headers of the authorization request were not captured.'));
      continue;
    }
    const allow = header(event.responseHeaders, 'access-control-allow-origin');
    if (allow === undefined) continue;
    const credentials = header(event.responseHeaders, 'access-control-allow-credentials');
    result.findings.push(
      finding('as.authorize-cors', flow, {
        message: `The authorization endpoint ${endpointOf(event.url) ?? ''} answered with Access-Control-Allow-Origin: ${allow}${credentials ? ` (and Access-Control-Allow-Credentials: ${credentials})` : ''}. Any page that origin serves can then read the authorization response by script, with the user's session at the AS; the authorization endpoint must not support CORS.`,
        evidence: [evidence(event, 'response.header.access-control-allow-origin', `Access-Control-Allow-Origin: ${allow}`)],
        expected: 'no Access-Control-Allow-Origin on the authorization endpoint',
        actual: `Access-Control-Allow-Origin: ${allow}`,
      }),
    );
    return;
  }
}

// ---- as.clickjacking ----

function isHtml(event: RequestEvent): boolean {
  const type = header(event.responseHeaders, 'content-type') ?? event.responseBody?.mimeType ?? '';
  return /^\s*(text\/html|application\/xhtml\+xml)/i.test(type);
}

/** A CSP with a frame-ancestors directive, or X-Frame-Options: either stops framing (RFC 9700 §4.16). */
function framingDefence(event: RequestEvent): string | undefined {
  const xfo = header(event.responseHeaders, 'x-frame-options');
  if (xfo && /^\s*(deny|sameorigin)\s*$/i.test(xfo)) return `X-Frame-Options: ${xfo.trim()}`;
  for (const h of event.responseHeaders ?? []) {
    if (h.name.toLowerCase() !== 'content-security-policy') continue;
    const directive = h.value.slice(0, 4096).split(/[;,]/).map((d) => d.trim()).find((d) => /^frame-ancestors(\s|$)/i.test(d));
    if (directive) return `Content-Security-Policy: ${directive}`;
  }
  return undefined;
}

/** HTML pages the AS served in the tab while the flow waited for its callback: login, consent, account chooser. */
function serverPages(flow: Flow, events: readonly RequestEvent[]): RequestEvent[] {
  const start = authorizationLeg(flow);
  if (!start) return [];
  const asOrigin = originOf(start.event.url);
  const callback = legsOf(flow, 'callback')[0];
  const end = callback?.event.seq ?? Number.POSITIVE_INFINITY;
  const pages = events.filter(
    (e) =>
      e.seq >= start.event.seq &&
      e.seq <= end &&
      !e.fromInspector &&
      (e.type === 'main_frame' || e.type === 'sub_frame') &&
      (e.tabId === flow.tabId || flow.tabId === -1) &&
      originOf(e.url) === asOrigin &&
      e.status === 200 &&
      isHtml(e),
  );
  // A form_post response page submits itself at once: nothing on it to click. It is the last AS page before a POSTed callback.
  if (callback?.paramSource === 'body') pages.pop();
  return pages;
}

function checkClickjacking(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  const all = serverPages(flow, ctx.analysis.events);
  // A page whose response headers were not recorded proves nothing either way.
  const pages = all.filter((page) => (page.responseHeaders?.length ?? 0) > 0);
  if (pages.length === 0 && all.length > 0) {
    result.notEvaluated.push(notEvaluated('as.clickjacking', flow, 'The response headers of the authorization server\'s pages were not captured.'));
    return;
  }
  const open = pages.filter((page) => framingDefence(page) === undefined);
  const first = open[0];
  if (!first) return;
  const more = open.length > 1 ? ` (and ${open.length - 1} more page${open.length > 2 ? 's' : ''} of the flow)` : '';
  result.findings.push(
    finding('as.clickjacking', flow, {
      message: `The authorization server served ${maskUrl(stripFragment(first.url), ctx.mask)}${more} with neither a Content-Security-Policy frame-ancestors directive nor X-Frame-Options. Another site can load it in an invisible frame and trick the user into clicking "sign in" or "allow" (clickjacking).`,
      evidence: open.slice(0, 3).map((page) => evidence(page, 'response.header.content-security-policy', 'no frame-ancestors, no X-Frame-Options')),
      expected: "Content-Security-Policy: frame-ancestors 'none' (or X-Frame-Options: DENY)",
      actual: 'neither header',
    }),
  );
}

// ---- mixup.no-defence ----

/** What lets the client tell which server answered: RFC 9207 iss, a JARM response's iss, or an ID token in the response. */
function hasIssuerInResponse(callback: Leg): boolean {
  return callback.params.iss !== undefined || callback.params.id_token !== undefined;
}

function serverOf(flow: Flow): string | undefined {
  return flow.issuer ?? originOf(flow.authorizationEndpoint);
}

function checkMixup(ctx: CheckContext, result: CheckResult): void {
  const byRedirect = new Map<string, { flow: Flow; callback: Leg }[]>();
  for (const flow of ctx.analysis.flows) {
    for (const callback of distinctCallbacks(flow)) {
      if (callback.params.error) continue;
      const target = callbackUrl(callback);
      const key = (flow.redirectUri ? endpointOf(flow.redirectUri) : undefined) ?? (target ? endpointOf(target) : undefined);
      if (!key || !serverOf(flow)) continue;
      const list = byRedirect.get(key) ?? [];
      list.push({ flow, callback });
      byRedirect.set(key, list);
    }
  }
  for (const [redirect, uses] of byRedirect) {
    const servers = new Set(uses.map((u) => serverOf(u.flow)));
    if (servers.size < 2) continue;
    const undefended = uses.filter((u) => !hasIssuerInResponse(u.callback));
    const first = undefended[0];
    if (!first) continue;
    const names = [...servers].join(', ');
    result.findings.push(
      finding('mixup.no-defence', first.flow, {
        message: `The client sends logins with ${servers.size} authorization servers (${names}) back to the same redirect URI ${redirect}, and ${undefended.length === uses.length ? 'none' : 'some'} of the responses say which server issued them (no iss parameter, no ID token). A malicious or compromised server can then make the client send another server's code to it (mix-up attack). Use one redirect URI per server, or check RFC 9207 iss.`,
        evidence: undefended.slice(0, 4).map((u) => evidence(u.callback, 'url.query.iss', `no iss (server ${serverOf(u.flow) ?? '?'})`)),
        expected: 'an iss in every authorization response, or one redirect_uri per authorization server',
        actual: `${servers.size} servers share ${redirect}; ${undefended.length} response${undefended.length === 1 ? '' : 's'} without iss`,
      }),
    );
  }
}

function run(ctx: CheckContext): CheckResult {
  const result = emptyResult();
  for (const flow of ctx.analysis.flows) {
    checkCors(ctx, flow, result);
    checkClickjacking(ctx, flow, result);
  }
  checkMixup(ctx, result);
  return result;
}

export const serverPageChecks: CheckFamily = {
  name: 'server-pages',
  ids: ['as.authorize-cors', 'as.clickjacking', 'mixup.no-defence'],
  run,
};
