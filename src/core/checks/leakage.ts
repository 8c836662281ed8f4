/**
 * Where codes, tokens and client credentials leak: URLs, Referer headers,
 * caches, page script and web storage.
 */
import type { CheckResult, Finding, Flow, Leg, NotEvaluated, RequestEvent } from '../model.ts';
import { issuedTokens, tokenLegs, whereOf } from '../flows/legs.ts';
import { basicCredentials, header, originOf, queryParams } from '../oauth/params.ts';
import { authorizationServerOrigins, distinctCallbacks, redactIn, RepeatedFindings } from './callback.ts';
import type { CheckContext, CheckFamily } from './context.ts';
import { finding, notEvaluated } from './context.ts';
import { evidence, maskUrl, paramExcerpt } from './excerpt.ts';
import { sha256Hex } from '../hash.ts';

type SecretKind = 'code' | 'access_token' | 'id_token' | 'refresh_token';

interface Observed {
  value: string;
  kind: SecretKind;
  flow: Flow;
  leg: Leg;
  where: string;
}

const NAMES: Record<SecretKind, string> = {
  code: 'authorization code',
  access_token: 'access token',
  id_token: 'ID token',
  refresh_token: 'refresh token',
};

/** Every code and token the flows received, with the flow that received it first. */
function observedSecrets(flows: readonly Flow[]): Map<string, Observed> {
  const secrets = new Map<string, Observed>();
  const add = (value: unknown, kind: SecretKind, flow: Flow, leg: Leg, where: string) => {
    if (typeof value === 'string' && value.length >= 8 && !secrets.has(value)) secrets.set(value, { value, kind, flow, leg, where });
  };
  for (const flow of flows) {
    for (const leg of distinctCallbacks(flow)) {
      // A JARM response carries its code inside the JWT: the JWT is what travels on in URLs and Referers.
      if (leg.jarm && leg.params.code) add(leg.jarm, 'code', flow, leg, whereOf(leg, 'response'));
      for (const kind of ['code', 'access_token', 'id_token'] as const) add(leg.params[kind], kind, flow, leg, whereOf(leg, kind));
    }
    for (const leg of tokenLegs(flow)) {
      for (const kind of ['access_token', 'id_token', 'refresh_token'] as const) add(leg.response?.[kind], kind, flow, leg, `response.body.${kind}`);
    }
  }
  return secrets;
}

// ---- tokens in URLs ----

function checkFragment(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of distinctCallbacks(flow)) {
    if (leg.paramSource !== 'fragment' && leg.paramSource !== 'location.fragment') continue;
    const tokens = (['access_token', 'id_token'] as const).filter((k) => leg.params[k]);
    if (tokens.length === 0) continue;
    out.push(
      finding('leak.token-in-fragment', flow, {
        message: `The authorization response delivers ${tokens.map((k) => NAMES[k]).join(' and ')} in the URL fragment, where browser history, page scripts and redirects can read it.`,
        evidence: tokens.map((k) => evidence(leg, whereOf(leg, k), paramExcerpt(k, leg.params[k] ?? '', ctx.mask))),
        expected: 'tokens only in the token endpoint response',
        actual: tokens.map((k) => `${k} in ${leg.paramSource === 'fragment' ? 'url' : 'location'}.fragment`).join(', '),
      }),
    );
  }
}

function checkQueryTokens(ctx: CheckContext, secrets: Map<string, Observed>, out: Finding[]): void {
  const reported = new Set<string>();
  /** Tokens already reported as delivered by a callback: the redirect that carried them is the same leak. */
  const delivered = new Set<string>();
  for (const flow of ctx.analysis.flows) {
    for (const leg of distinctCallbacks(flow)) {
      if ((leg.paramSource !== 'query' && leg.paramSource !== 'location.query') || !leg.params.access_token) continue;
      reported.add(leg.event.id);
      delivered.add(leg.params.access_token);
      out.push(
        finding('leak.token-in-query', flow, {
          message: `The authorization response delivers the access token in the URL query (${paramExcerpt('access_token', leg.params.access_token, ctx.mask)}), so it is written to server logs, history and Referer headers.`,
          evidence: [evidence(leg, whereOf(leg, 'access_token'), paramExcerpt('access_token', leg.params.access_token, ctx.mask))],
          expected: 'no access token in a URL',
          actual: `access_token in ${leg.paramSource === 'query' ? 'url' : 'location'}.query`,
        }),
      );
    }
  }
  const groups = new RepeatedFindings();
  for (const event of ctx.analysis.events) {
    if (event.fromInspector || reported.has(event.id)) continue;
    for (const [where, url] of [['url.query.access_token', event.url], ['location.query.access_token', event.redirectUrl]] as const) {
      const token = url?.includes('access_token=') ? queryParams(url).access_token : undefined;
      const owner = token ? secrets.get(token) : undefined;
      if (!token || owner?.kind !== 'access_token') continue;
      if (where.startsWith('location') && delivered.has(token)) continue;
      reported.add(event.id);
      const to = originOf(url) ?? '';
      groups.add(`${owner.flow.id} ${token} ${to}`, to, () =>
        finding('leak.token-in-query', owner.flow, {
          message: `A ${where.startsWith('location') ? 'redirect' : 'request'} to ${originOf(url) ?? url} carries the access token issued in this flow in its URL query (${paramExcerpt('access_token', token, ctx.mask)}), so it is written to server and proxy logs and browser history.`,
          evidence: [evidence(event, where, maskUrl(url ?? '', ctx.mask)), evidence(owner.leg, owner.where, paramExcerpt('access_token', token, ctx.mask))],
          expected: 'Authorization: Bearer <token> header',
          actual: 'access_token in the URL query',
        }),
      );
      break;
    }
  }
  out.push(...groups.findings());
}

// ---- Referer ----

function checkReferrer(ctx: CheckContext, secrets: Map<string, Observed>, out: Finding[]): void {
  const asOrigins = new Map<Flow, Set<string>>();
  const groups = new RepeatedFindings();
  for (const event of ctx.analysis.events) {
    if (event.fromInspector) continue;
    const referer = header(event.requestHeaders, 'referer');
    if (!referer?.includes('?')) continue;
    const carried = Object.values(queryParams(referer))
      .map((value) => secrets.get(value))
      .find((s): s is Observed => !!s);
    if (!carried) continue;
    const from = originOf(referer);
    const to = originOf(event.url);
    if (!to) continue;
    let origins = asOrigins.get(carried.flow);
    if (!origins) {
      origins = authorizationServerOrigins(carried.flow, ctx.analysis.metadata);
      asOrigins.set(carried.flow, origins);
    }
    // The authorization server issued the code or token it is shown again.
    if (origins.has(to)) continue;
    // The client's own origin (a favicon, a bundle, an analytics call of the callback page): its
    // server and CDN logs now hold the secret. Low, still reported: the fix is the same (CHECKS.md).
    const own = to === from || to === originOf(carried.flow.redirectUri);
    groups.add(`${carried.flow.id} ${carried.value} ${to}`, to, () =>
      finding('leak.referrer', carried.flow, {
        message: own
          ? `A request to ${to}, the client's own origin, carried the ${NAMES[carried.kind]} (${paramExcerpt(carried.kind, carried.value, ctx.mask)}) in its Referer header, the URL of the page on ${from ?? 'the client'}. Low: it stays with the client, but lands in its server, proxy and CDN logs.`
          : `A request to ${to} carried the ${NAMES[carried.kind]} (${paramExcerpt(carried.kind, carried.value, ctx.mask)}) in its Referer header, the URL of the page on ${from ?? 'the client'}. Critical: the receiving origin is neither the client nor the authorization server, and can replay it.`,
        evidence: [evidence(event, 'header.referer', maskUrl(redactIn(referer, [carried.value], ctx.mask), ctx.mask)), evidence(event, 'url', maskUrl(event.url, ctx.mask))],
        expected: 'no code or token in a Referer header (Referrer-Policy: no-referrer on the callback page)',
        actual: `${carried.kind} in the Referer sent to ${to}`,
        severity: own ? 'low' : 'critical',
      }),
    );
  }
  out.push(...groups.findings());
}

/** The effective Referrer-Policy: the last token the browser recognises, over every header (Referrer Policy §4.1, §8.1). */
const POLICIES = new Set(['no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url']);

export function effectiveReferrerPolicy(event: RequestEvent): string | undefined {
  let policy: string | undefined;
  for (const h of event.responseHeaders ?? []) {
    if (h.name.toLowerCase() !== 'referrer-policy') continue;
    for (const token of h.value.split(',')) {
      const value = token.trim().toLowerCase();
      if (POLICIES.has(value)) policy = value;
    }
  }
  return policy;
}

function checkReferrerPolicy(ctx: CheckContext, byId: ReadonlyMap<string, RequestEvent>, flow: Flow, out: Finding[], skipped: NotEvaluated[]): void {
  for (const leg of distinctCallbacks(flow)) {
    // A fragment never travels in a Referer, and a form_post body is not in the URL.
    if (leg.paramSource !== 'query' && leg.paramSource !== 'location.query') continue;
    const carried = (['code', 'access_token', 'id_token'] as const).filter((k) => leg.params[k]);
    if (carried.length === 0) continue;
    const doc = leg.documentId ? byId.get(leg.documentId) : undefined;
    if (!doc || doc.status === undefined || !doc.responseHeaders) {
      skipped.push(notEvaluated('leak.referrer-policy', flow, 'The response that loaded the callback page (its headers) is not in the capture.'));
      continue;
    }
    // A redirect answer renders no page: nothing it loads can send its URL as Referer.
    if (doc.status >= 300 && doc.status < 400) continue;
    const policy = effectiveReferrerPolicy(doc);
    if (policy !== undefined && policy !== 'unsafe-url' && policy !== 'no-referrer-when-downgrade') continue;
    const raw = doc.responseHeaders.filter((h) => h.name.toLowerCase() === 'referrer-policy').map((h) => h.value).join(', ');
    out.push(
      finding('leak.referrer-policy', flow, {
        message:
          policy === undefined
            ? `The callback page ${maskUrl(doc.url, ctx.mask)}, whose URL carries the ${carried.map((k) => NAMES[k]).join(' and ')}, was served without ${raw ? 'a valid ' : 'a '}Referrer-Policy header${raw ? ` (${raw})` : ''}. Current browsers then default to strict-origin-when-cross-origin, but older ones, and any link or element that loosens it, send the full URL to other sites (a <meta name="referrer"> in the page cannot be seen here).`
            : `The callback page ${maskUrl(doc.url, ctx.mask)}, whose URL carries the ${carried.map((k) => NAMES[k]).join(' and ')}, is served with Referrer-Policy: ${policy}, which sends the full URL, code included, to other origins.`,
        evidence: [evidence(doc, 'response.header.referrer-policy', raw || 'absent')],
        expected: 'Referrer-Policy: no-referrer (or strict-origin, origin, same-origin, strict-origin-when-cross-origin)',
        actual: policy ?? (raw ? `unrecognised: ${raw}` : 'absent'),
      }),
    );
  }
}

// ---- token requests ----

function checkCacheable(ctx: CheckContext, flow: Flow, out: Finding[], skipped: NotEvaluated[]): void {
  for (const leg of tokenLegs(flow)) {
    const event = leg.event;
    if (event.status === undefined || !event.responseHeaders) {
      skipped.push(notEvaluated('leak.token-cacheable', flow, 'The token response (its headers) was not seen.'));
      continue;
    }
    if (event.status < 200 || event.status >= 300) continue;
    if (leg.response && !issuedTokens(leg)) continue;
    const cacheControl = event.responseHeaders.filter((h) => h.name.toLowerCase() === 'cache-control').map((h) => h.value).join(', ');
    if (/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl)) continue;
    out.push(
      finding('leak.token-cacheable', flow, {
        message: `The token response from ${originOf(event.url) ?? event.url} ${cacheControl ? `has Cache-Control: ${cacheControl}` : 'has no Cache-Control header'}, without no-store, so a browser or shared cache may keep the tokens.`,
        evidence: [evidence(event, 'response.header.cache-control', cacheControl || 'absent')],
        expected: 'Cache-Control: no-store',
        actual: cacheControl || 'absent',
      }),
    );
  }
}

function isPageScript(event: RequestEvent): boolean {
  const webOrigin = (origin: string | undefined) => !!origin && /^https?:\/\//.test(origin);
  if (event.type === 'xhr' || event.type === 'fetch') return event.initiator === undefined || webOrigin(event.initiator);
  return event.type === 'other' && webOrigin(event.initiator);
}

function checkSecretInBrowser(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of flow.legs) {
    if ((leg.kind !== 'token-request' && leg.kind !== 'par') || !isPageScript(leg.event)) continue;
    const basic = basicCredentials(leg.event.requestHeaders);
    const posted = leg.params.client_secret;
    const secret = posted || basic?.clientSecret;
    if (!secret) continue;
    const where = !posted ? 'header.authorization' : queryParams(leg.event.url).client_secret === posted ? 'url.query.client_secret' : whereOf(leg, 'client_secret');
    out.push(
      finding('leak.client-secret-in-browser', flow, {
        message: `Page script${leg.event.initiator ? ` on ${leg.event.initiator}` : ''} sends a client secret to the ${leg.kind === 'par' ? 'pushed authorization request' : 'token'} endpoint (${posted ? paramExcerpt('client_secret', secret, ctx.mask) : `HTTP Basic, client ${basic?.clientId ?? ''}`}): every user of the site can read it.`,
        evidence: [evidence(leg, where, posted ? paramExcerpt('client_secret', secret, ctx.mask) : `Basic ${ctx.mask(secret)}`)],
        expected: 'a public client (PKCE, no secret) or a backend holding the secret',
        actual: posted ? 'client_secret in the request' : 'Authorization: Basic with a secret',
      }),
    );
  }
}

const QUERY_CREDENTIALS = ['client_secret', 'code_verifier', 'code', 'refresh_token', 'password'] as const;

function checkCredentialsInQuery(ctx: CheckContext, flow: Flow, out: Finding[]): void {
  for (const leg of tokenLegs(flow)) {
    const query = queryParams(leg.event.url);
    const inQuery = QUERY_CREDENTIALS.filter((k) => query[k]);
    const get = leg.event.method === 'GET';
    if (inQuery.length === 0 && !get) continue;
    out.push(
      finding('leak.credentials-in-query', flow, {
        message:
          inQuery.length > 0
            ? `The token request${get ? ' uses GET and' : ''} carries ${inQuery.join(', ')} in its URL query, where servers, proxies and history record it; token requests must send credentials in a POST body.`
            : 'The token request uses GET, so its parameters travel in the URL, where servers, proxies and history record them; token requests must be POST.',
        evidence:
          inQuery.length > 0
            ? inQuery.map((k) => evidence(leg, `url.query.${k}`, paramExcerpt(k, query[k] ?? '', ctx.mask)))
            : [evidence(leg, 'method', `GET ${maskUrl(leg.event.url, ctx.mask)}`)],
        expected: 'POST with an application/x-www-form-urlencoded body',
        actual: inQuery.length > 0 ? `${leg.event.method} with ${inQuery.join(', ')} in the query` : 'GET',
      }),
    );
  }
}

// ---- web storage ----

async function checkStorage(ctx: CheckContext, secrets: Map<string, Observed>, out: Finding[], skipped: NotEvaluated[]): Promise<void> {
  const tokens = [...secrets.values()].filter((s) => s.kind === 'access_token' || s.kind === 'refresh_token');
  if (tokens.length === 0) return;
  const matches = ctx.options.storageMatches;
  if (!matches) {
    skipped.push(notEvaluated('leak.token-in-storage', '*', 'Web storage is inspected only from the devtools panel, on the inspected page.'));
    return;
  }
  if (matches.length === 0) return;
  const byHash = new Map<string, Observed>();
  for (const token of tokens) byHash.set(await sha256Hex(token.value), token);
  for (const match of matches) {
    const token = byHash.get(match.tokenHash.toLowerCase());
    if (!token) continue;
    out.push(
      finding('leak.token-in-storage', token.flow, {
        message: `The ${NAMES[token.kind]} issued in this flow (${paramExcerpt(token.kind, token.value, ctx.mask)}) is stored in ${match.storage}["${match.key}"]${match.origin ? ` of ${match.origin}` : ''}, where every script on the page can read it.`,
        evidence: [evidence(token.leg, token.where, paramExcerpt(token.kind, token.value, ctx.mask)), { requestId: token.leg.event.id, where: `${match.storage}.${match.key}`, excerpt: `${match.key}=${ctx.mask(token.value)}` }],
        expected: 'tokens kept in memory or behind a backend (HttpOnly cookie)',
        actual: `${match.storage}["${match.key}"]`,
      }),
    );
  }
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const findings: Finding[] = [];
  const skipped: NotEvaluated[] = [];
  const secrets = observedSecrets(ctx.analysis.flows);
  const byId = new Map(ctx.analysis.events.map((e) => [e.id, e]));
  for (const flow of ctx.analysis.flows) {
    checkFragment(ctx, flow, findings);
    checkReferrerPolicy(ctx, byId, flow, findings, skipped);
    if (flow.observability.tokenExchange === 'server-side') {
      const reason = 'Token exchange not observable: server-side client.';
      skipped.push(notEvaluated('leak.token-cacheable', flow, reason), notEvaluated('leak.credentials-in-query', flow, reason));
      continue;
    }
    checkCacheable(ctx, flow, findings, skipped);
    checkSecretInBrowser(ctx, flow, findings);
    checkCredentialsInQuery(ctx, flow, findings);
  }
  checkQueryTokens(ctx, secrets, findings);
  checkReferrer(ctx, secrets, findings);
  await checkStorage(ctx, secrets, findings, skipped);
  const once = new Map(skipped.map((n) => [`${n.check} ${n.flowId}`, n]));
  return { findings, notEvaluated: [...once.values()] };
}

export const leakageChecks: CheckFamily = {
  name: 'leakage',
  ids: [
    'leak.token-in-fragment',
    'leak.token-in-query',
    'leak.referrer',
    'leak.referrer-policy',
    'leak.token-cacheable',
    'leak.client-secret-in-browser',
    'leak.credentials-in-query',
    'leak.token-in-storage',
  ],
  run,
};


