/**
 * Checks on the endpoints a flow uses: transport security, redirect_uri
 * consistency between the legs, the 307 re-POST of login credentials, and the
 * issuer of a discovery document.
 */
import type { AuthorizationServerMetadata, CheckResult, Finding, Flow, Leg, NotEvaluated } from '../model.ts';
import { authorizationParams, issuedTokens, tokenLegs, whereOf } from '../flows/legs.ts';
import { hasCallbackParams } from '../flows/classify.ts';
import { isMultiTenantDocument, wellKnownUrls } from '../oauth/issuer.ts';
import { endpointOf, originOf, queryParams, safeUrl } from '../oauth/params.ts';
import { isLoopback, paramEvidence } from './authorization-request.ts';
import type { CheckContext, CheckFamily } from './context.ts';
import { finding, notEvaluated } from './context.ts';
import { evidence, maskUrl, paramExcerpt } from './excerpt.ts';

function checkTransport(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  const seen = new Set<string>();
  const report = (leg: Leg, role: string, url: string, where: string) => {
    const parsed = safeUrl(url);
    if (!parsed || parsed.protocol !== 'http:' || isLoopback(parsed.hostname)) return;
    const key = `${role} ${endpointOf(url)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(
      finding('transport.insecure', flow, {
        message: `The ${role} ${parsed.origin}${parsed.pathname} uses plain http on a host that is not loopback, so anyone on the network can read and change what it carries.`,
        evidence: [evidence(leg, where, maskUrl(url, ctx.mask))],
        expected: 'https:',
        actual: `${parsed.protocol}//${parsed.host}`,
      }),
    );
  };
  for (const leg of flow.legs) {
    if (leg.event.fromInspector) continue;
    if (leg.kind === 'authorization-request') report(leg, 'authorization endpoint', leg.event.url, 'url');
    if (leg.kind === 'par') report(leg, 'pushed authorization request endpoint', leg.event.url, 'url');
    if (leg.kind === 'token-request') report(leg, 'token endpoint', leg.event.url, 'url');
    if (leg.kind === 'authorization-request' || leg.kind === 'par') {
      if (leg.params.redirect_uri) report(leg, 'redirect URI', leg.params.redirect_uri, whereOf(leg, 'redirect_uri'));
    }
    if (leg.kind === 'callback') {
      const url = leg.paramSource.startsWith('location.') ? leg.event.redirectUrl : leg.event.url;
      if (url) report(leg, 'redirect URI', url, leg.paramSource.startsWith('location.') ? 'location' : 'url');
    }
  }
}

// ---- redirect_uri ----

function checkRedirectMismatch(ctx: CheckContext, flow: Flow, out: Finding[], skipped: NotEvaluated[]): void {
  const params = authorizationParams(flow);
  const sent = params?.redirect_uri;
  if (!params || sent === undefined) return;
  if (flow.observability.tokenExchange === 'server-side') {
    skipped.push(notEvaluated('redirect.mismatch', flow, 'Token exchange not observable: server-side client, so the redirect_uri of the token request cannot be compared.'));
    return;
  }
  for (const leg of tokenLegs(flow)) {
    if (leg.grantType !== 'authorization_code') continue;
    const redeemed = leg.params.redirect_uri;
    if (redeemed === undefined || redeemed === sent) continue;
    const rejected = leg.response !== undefined && !issuedTokens(leg);
    out.push(
      finding('redirect.mismatch', flow, {
        message: rejected
          ? `The token request sends redirect_uri=${redeemed}, but the authorization request sent ${sent}. Severity lowered to low: the authorization server refused the exchange, as it should.`
          : `The token request sends redirect_uri=${redeemed}, but the authorization request sent ${sent}${issuedTokens(leg) ? ', and the authorization server still issued tokens' : ''}. They must be identical so the server can tell the code went where it was meant to.`,
        evidence: [...paramEvidence(ctx, flow, 'redirect_uri'), evidence(leg, whereOf(leg, 'redirect_uri'), paramExcerpt('redirect_uri', redeemed, ctx.mask))],
        expected: sent,
        actual: redeemed,
        ...(rejected ? { severity: 'low' as const } : {}),
      }),
    );
  }
}

/** Body fields an authorization response may carry (form_post); anything else on a POST callback came from elsewhere. */
const RESPONSE_FIELDS = new Set(['code', 'state', 'iss', 'session_state', 'id_token', 'access_token', 'token_type', 'expires_in', 'scope', 'error', 'error_description', 'error_uri', 'client_info']);

function check307(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of flow.legs) {
    const event = leg.event;
    if (leg.kind === 'interaction' && event.method === 'POST' && (event.status === 307 || event.status === 308) && event.redirectUrl) {
      const from = originOf(event.url);
      const to = originOf(event.redirectUrl);
      // Only a re-POST to the client matters: inside the AS (or on to a federated login) the form reaches no one new.
      const toClient = (to !== undefined && to === originOf(flow.redirectUri)) || hasCallbackParams(queryParams(event.redirectUrl));
      if (!from || from === to || !toClient) continue;
      out.push(
        finding('redirect.307-after-post', flow, {
          message: `The authorization server answered a POSTed form on ${from} with ${event.status}, redirecting to the client at ${to ?? event.redirectUrl}: the browser re-sends the form body (the login credentials) there.`,
          evidence: [evidence(leg, 'response.status', String(event.status)), evidence(leg, 'location', maskUrl(event.redirectUrl, ctx.mask))],
          expected: '303 See Other (or 302)',
          actual: String(event.status),
        }),
      );
      return;
    }
    if (leg.kind === 'callback' && event.method === 'POST' && leg.paramSource === 'query') {
      const fields = Object.keys(bodyFields(event.requestBody)).filter((k) => !RESPONSE_FIELDS.has(k));
      if (fields.length === 0) continue;
      out.push(
        finding('redirect.307-after-post', flow, {
          message: `The callback to ${originOf(event.url) ?? event.url} was a POST carrying the form fields ${fields.slice(0, 6).join(', ')}: a 307/308 redirect made the browser re-send a form posted to the authorization server to the client.`,
          evidence: [evidence(leg, 'body', fields.slice(0, 6).map((f) => `${f}=…`).join('&'))],
          expected: 'a GET to the redirect URI (303 See Other or 302 after a POST)',
          actual: `POST with ${fields.length} form field(s)`,
        }),
      );
      return;
    }
  }
}

function bodyFields(body: Leg['event']['requestBody']): Record<string, unknown> {
  if (!body) return {};
  if (body.formData) return body.formData;
  if (body.text) return Object.fromEntries(new URLSearchParams(body.text));
  return {};
}

// ---- discovery issuer ----

/** The URLs a document for this issuer may be fetched from (RFC 8414 §3, §5; OIDC Discovery §4). */
function flowsUsing(doc: AuthorizationServerMetadata, flows: readonly Flow[]): Flow[] {
  const d = doc.document;
  const endpoints = new Set(
    ['authorization_endpoint', 'token_endpoint', 'pushed_authorization_request_endpoint']
      .map((k) => d[k])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => endpointOf(v)),
  );
  return flows.filter((f) => f.legs.some((l) => (l.kind === 'authorization-request' || l.kind === 'token-request' || l.kind === 'par') && endpoints.has(endpointOf(l.event.url))));
}

function checkMetadata(ctx: CheckContext, out: Finding[], skipped: NotEvaluated[]): void {
  const seen = new Set<string>();
  for (const doc of ctx.analysis.metadata) {
    const issuer = doc.document.issuer;
    // A client that loads the document on every page fetches it many times: one finding.
    const key = JSON.stringify([doc.url, issuer]);
    if (seen.has(key)) continue;
    seen.add(key);
    const fetched = safeUrl(doc.url);
    const flows = flowsUsing(doc, ctx.analysis.flows);
    const ids = flows.length > 0 ? flows.map((f) => f.id) : ['*'];
    if (!fetched) continue;
    const fetchedAt = `${fetched.origin}${fetched.pathname}`;
    if (!fetched.pathname.includes('/.well-known/')) {
      for (const id of ids) skipped.push(notEvaluated('metadata.issuer-mismatch', id, `The discovery document was fetched from ${fetchedAt}, not from a /.well-known/ location, so its issuer cannot be checked against the URL.`));
      continue;
    }
    const ev = doc.eventId ? [{ requestId: doc.eventId, where: 'response.body.issuer', excerpt: typeof issuer === 'string' ? `issuer=${issuer}` : 'no issuer' }] : [];
    if (typeof issuer !== 'string' || issuer === '') {
      for (const id of ids) {
        out.push(finding('metadata.issuer-mismatch', id, { message: `The discovery document at ${fetchedAt} has no issuer, which is required; a client cannot tell which server it describes.`, evidence: ev, expected: 'an issuer from which this URL is formed', actual: 'no issuer' }));
      }
      continue;
    }
    const candidates = wellKnownUrls(issuer);
    if (candidates.includes(fetchedAt)) continue;
    // Microsoft's multi-tenant endpoints (common, organizations, consumers) publish a template
    // issuer, or the issuer of the tenant they stand for.
    const template = isMultiTenantDocument(issuer, fetched);
    const expected = candidates[0] ?? 'an https issuer without query or fragment';
    for (const id of ids) {
      out.push(
        finding('metadata.issuer-mismatch', id, {
          message: template
            ? `The discovery document at ${fetchedAt} says its issuer is ${issuer}. Severity lowered to low: this is a multi-tenant alias endpoint, whose issuer stands for a tenant (or a template of one); a strict client rejects it, so use the tenant-specific URL, and check the tenant's issuer in each ID token.`
            : `The discovery document at ${fetchedAt} says its issuer is ${issuer}, but a document for that issuer would be at ${expected}. A client must reject it: it may describe another server (mix-up).`,
          evidence: ev,
          expected,
          actual: fetchedAt,
          ...(template ? { severity: 'low' as const } : {}),
        }),
      );
    }
  }
}

function run(ctx: CheckContext): CheckResult {
  const findings: Finding[] = [];
  const skipped: NotEvaluated[] = [];
  for (const flow of ctx.analysis.flows) {
    checkTransport(ctx, flow, findings);
    checkRedirectMismatch(ctx, flow, findings, skipped);
    check307(ctx, flow, findings);
  }
  checkMetadata(ctx, findings, skipped);
  return { findings, notEvaluated: skipped };
}

export const endpointChecks: CheckFamily = {
  name: 'endpoints',
  ids: ['transport.insecure', 'redirect.mismatch', 'redirect.307-after-post', 'metadata.issuer-mismatch'],
  run,
};
