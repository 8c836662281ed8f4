/**
 * The client's session around a login: the ID token it puts in a logout URL,
 * and the cookie a backend-held login gives the browser instead of tokens.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc10017#section-6.1
 */
import type { CheckResult, Flow, HttpHeader, Leg, RequestEvent } from '../model.ts';
import { callbackLeg, callbackUrl, legsOf } from '../flows/legs.ts';
import { originOf } from '../oauth/params.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence, paramExcerpt } from './excerpt.ts';

// ---- logout.id-token-in-url ----

function checkLogoutUrl(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  for (const leg of legsOf(flow, 'end-session')) {
    if (leg.logout !== 'rp-initiated' || leg.paramSource !== 'query') continue;
    const hint = leg.params.id_token_hint;
    if (!hint) continue;
    result.findings.push(
      finding('logout.id-token-in-url', flow, {
        message: `The logout request ${leg.event.method} ${originOf(leg.event.url) ?? ''} carries the ID token (id_token_hint) in its URL, where it stays in the browser history, server and proxy logs, and can leave in a Referer header. It holds the user's identity claims; send the logout request as a form POST instead (OIDC RP-Initiated Logout §2).`,
        evidence: [evidence(leg, 'url.query.id_token_hint', paramExcerpt('id_token_hint', hint, ctx.mask))],
        expected: 'id_token_hint in a POST body',
        actual: `id_token_hint in the ${leg.event.method} URL`,
      }),
    );
  }
}

// ---- session.cookie-weak ----

interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
  event: RequestEvent;
}

function parseSetCookie(value: string, event: RequestEvent): SetCookie | undefined {
  const parts = value.slice(0, 4096).split(';');
  const pair = parts.shift() ?? '';
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key) attributes.set(key, i < 0 ? '' : part.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, event };
}

function setCookies(headers: readonly HttpHeader[] | undefined, event: RequestEvent): SetCookie[] {
  const cookies: SetCookie[] = [];
  for (const h of headers ?? []) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    // webRequest may fold several Set-Cookie headers into one value separated by newlines.
    for (const line of h.value.split('\n')) {
      const cookie = parseSetCookie(line, event);
      if (cookie) cookies.push(cookie);
    }
  }
  return cookies;
}

/** A cookie being deleted (Max-Age ≤ 0, or an expiry in the past) is not a session. */
function isDeletion(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get('max-age');
  if (maxAge !== undefined && Number(maxAge) <= 0) return true;
  const expires = cookie.attributes.get('expires');
  const when = expires ? Date.parse(expires) : Number.NaN;
  return !Number.isNaN(when) && when < cookie.event.time;
}

const SESSION_NAME = /sess|sid|auth|login|token|connect|__host-|__secure-/i;
const MIN_SESSION_VALUE = 16;

const WHY: Record<string, string> = {
  HttpOnly: 'without HttpOnly any script injected into the page can read it',
  Secure: 'without Secure it also travels over plain http',
  SameSite: 'without SameSite=Lax/Strict other sites can make the browser send it (CSRF against the backend)',
};

/** The events that answer the callback on the client: the request to the redirect URI and its redirect hops there. */
function callbackResponses(callback: Leg, events: readonly RequestEvent[]): RequestEvent[] {
  const clientOrigin = originOf(callbackUrl(callback));
  const docId = callback.documentId ?? callback.event.id;
  const doc = events.find((e) => e.id === docId) ?? callback.event;
  return events.filter((e) => e.requestId === doc.requestId && e.hop >= doc.hop && originOf(e.url) === clientOrigin);
}

function checkCookie(ctx: CheckContext, flow: Flow, result: CheckResult): void {
  const kind = flow.architecture.kind;
  if (kind !== 'bff' && kind !== 'server-side' && kind !== 'token-mediating-backend') return;
  const callback = callbackLeg(flow);
  if (!callback) return;
  const responses = callbackResponses(callback, ctx.analysis.events);
  const all = responses.flatMap((e) => setCookies(e.responseHeaders, e)).filter((c) => !isDeletion(c));
  if (all.length === 0) {
    result.notEvaluated.push(
      notEvaluated('session.cookie-weak', flow, 'No Set-Cookie header was seen on the callback response (Chrome shows Set-Cookie to extensions only with extraHeaders; a HAR may strip it), so the session cookie cannot be judged.'),
    );
    return;
  }
  // A session cookie by its name, else the one cookie whose value is long enough to be a session id (not a preference).
  const named = all.filter((c) => SESSION_NAME.test(c.name));
  const opaque = all.filter((c) => c.value.length >= MIN_SESSION_VALUE);
  const judged = named.length > 0 ? named : opaque.length === 1 ? opaque : [];
  if (judged.length === 0) {
    result.notEvaluated.push(notEvaluated('session.cookie-weak', flow, `The callback response set ${all.length} cookie${all.length === 1 ? '' : 's'} and none is recognisably the session cookie (${all.map((c) => c.name).join(', ')}).`));
    return;
  }
  const https = callbackUrl(callback)?.startsWith('https:') ?? false;
  for (const cookie of judged) {
    const missing: string[] = [];
    if (!cookie.attributes.has('httponly')) missing.push('HttpOnly');
    if (https && !cookie.attributes.has('secure')) missing.push('Secure');
    const sameSite = cookie.attributes.get('samesite')?.toLowerCase();
    if (sameSite !== 'lax' && sameSite !== 'strict') missing.push(sameSite === undefined ? 'SameSite (absent)' : `SameSite=Lax/Strict (it is SameSite=${cookie.attributes.get('samesite') ?? ''})`);
    const prefixed = cookie.name.startsWith('__Host-');
    if (missing.length === 0 && prefixed) continue;
    const where = `response.header.set-cookie.${cookie.name}`;
    const attrs = [...cookie.attributes.entries()].map(([k, v]) => (v ? `${k}=${v}` : k)).join('; ');
    const excerpt = `${cookie.name}=${ctx.mask(cookie.value)}${attrs ? `; ${attrs}` : ''}`;
    const httpNote = https ? '' : ' (Secure is not asked for: the callback was served over http)';
    result.findings.push(
      finding('session.cookie-weak', flow, {
        message:
          missing.length > 0
            ? `This flow keeps its tokens on a server (${kind}), so the session cookie ${cookie.name} set on the callback is the login; it lacks ${missing.join(', ')}${httpNote}: ${missing.map((m) => WHY[m.split(/[ =]/)[0] ?? ''] ?? '').filter(Boolean).join('; ')}.`
            : `The session cookie ${cookie.name} has HttpOnly, Secure and SameSite, but no __Host- prefix, which would also pin it to this host and path and stop a sibling subdomain from overwriting it.`,
        evidence: [evidence(cookie.event, where, excerpt)],
        expected: '__Host- prefix; HttpOnly; Secure; SameSite=Lax or Strict',
        actual: missing.length > 0 ? `missing ${missing.join(', ')}` : 'no __Host- prefix',
        ...(missing.length === 0 ? { severity: 'info' as const } : {}),
      }),
    );
  }
}

function run(ctx: CheckContext): CheckResult {
  const result = emptyResult();
  for (const flow of ctx.analysis.flows) {
    checkLogoutUrl(ctx, flow, result);
    checkCookie(ctx, flow, result);
  }
  return result;
}

export const sessionChecks: CheckFamily = {
  name: 'session',
  ids: ['logout.id-token-in-url', 'session.cookie-weak'],
  run,
};
