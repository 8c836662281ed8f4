/**
 * Checks on the authorization response (the callback): state echoed and
 * enforced, the RFC 9207 `iss` parameter, and the code leaving the client.
 */
import { BODY_HINT } from '../body-hint.ts';
import type { AuthorizationServerMetadata, CheckResult, Finding, Flow, Leg, NotEvaluated, RequestEvent } from '../model.ts';
import { authorizationParams, callbackUrl, legsOf, tokenLegs, whereOf } from '../flows/legs.ts';
import { tryDecodeJwt } from '../oauth/jwt.ts';
import { compareIssuers } from '../oauth/issuer.ts';
import { header, originOf } from '../oauth/params.ts';
import { hiddenParameters } from './authorization-request.ts';
import type { CheckContext, CheckFamily } from './context.ts';
import { finding, notEvaluated } from './context.ts';
import { evidence, maskUrl, paramExcerpt } from './excerpt.ts';

/** Values shorter than this are too likely to appear by chance in unrelated URLs. */
const MIN_SECRET_LENGTH = 8;

/** Replaces every occurrence of the secrets (raw or percent-encoded) in a text by their mask. */
export function redactIn(text: string, secrets: readonly string[], mask: (value: string) => string): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([encodeURIComponent(encodeURIComponent(secret)), encodeURIComponent(secret), secret])) {
      result = result.split(form).join(mask(secret));
    }
  }
  return result;
}

/** True when the URL carries the value, raw or percent-encoded (once or twice, as in a URL inside a URL). */
export function urlCarries(url: string, value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  return url.includes(value) || url.includes(encodeURIComponent(value)) || url.includes(encodeURIComponent(encodeURIComponent(value)));
}

/** The discovery document the flow's issuer came from. */
export function metadataOf(flow: Flow, metadata: readonly AuthorizationServerMetadata[]): AuthorizationServerMetadata | undefined {
  if (flow.issuerSource !== 'discovery' || flow.issuer === undefined) return undefined;
  return metadata.find((doc) => doc.document.issuer === flow.issuer);
}

/** Origins that belong to the flow's authorization server: its endpoints as seen and as published. */
export function authorizationServerOrigins(flow: Flow, metadata: readonly AuthorizationServerMetadata[]): Set<string> {
  const origins = new Set<string>();
  const add = (url: unknown) => {
    const origin = typeof url === 'string' ? originOf(url) : undefined;
    if (origin) origins.add(origin);
  };
  for (const leg of flow.legs) {
    // Front-channel logout frames and the redirect back after logout are at the client, not the AS.
    if (leg.kind === 'authorization-request' || leg.kind === 'par' || leg.kind === 'token-request' || leg.kind === 'interaction' || (leg.kind === 'end-session' && leg.logout === 'rp-initiated')) {
      add(leg.event.url);
    }
  }
  add(flow.issuer);
  const doc = metadataOf(flow, metadata);
  if (doc) {
    add(doc.url);
    for (const value of Object.values(doc.document)) if (typeof value === 'string' && /^https?:\/\//.test(value)) add(value);
  }
  return origins;
}

export { callbackUrl };

/**
 * The authorization responses of the flow. A later leg repeating a code or
 * token already seen is the same response travelling on (a 307 re-POST, an
 * open redirector, a GET to the token endpoint), not a new response.
 */
export function distinctCallbacks(flow: Flow): Leg[] {
  const seen = new Set<string>();
  return legsOf(flow, 'callback').filter((leg) => {
    const p = leg.params;
    const credentials = [p.code, p.access_token, p.id_token].filter((v): v is string => !!v);
    const key = JSON.stringify([p.code, p.state, p.error, p.access_token, p.id_token, p.iss]);
    if (seen.has(key) || credentials.some((v) => seen.has(v))) return false;
    seen.add(key);
    for (const v of credentials) seen.add(v);
    return true;
  });
}

// ---- state ----

function checkState(ctx: CheckContext, flow: Flow, callbacks: Leg[], out: Finding[], skipped: NotEvaluated[]): void {
  const request = authorizationParams(flow);
  if (!request || hiddenParameters(flow)) {
    const reason = request ? 'The authorization parameters were pushed by reference (request_uri), so the state sent is unknown.' : 'The authorization request is not in this capture, so there is no state to compare with.';
    skipped.push(notEvaluated('state.not-returned', flow, reason), notEvaluated('state.mismatch-accepted', flow, reason));
    return;
  }
  const sent = request.state;
  if (sent === undefined || sent === '') return;
  for (const callback of callbacks) {
    const returned = callback.params.state;
    const kind = callback.params.error ? `error response (error=${callback.params.error})` : 'response';
    if (returned === undefined) {
      out.push(
        finding('state.not-returned', flow, {
          message: `The authorization request sent ${paramExcerpt('state', sent, ctx.mask)}, but the authorization ${kind} came back without state, so the client cannot tell it belongs to the login it started.`,
          evidence: [evidence(callback, whereOf(callback, 'state'), Object.keys(callback.params).map((k) => paramExcerpt(k, callback.params[k] ?? '', ctx.mask)).join('&'))],
          expected: `state=${sent}`,
          actual: 'no state',
        }),
      );
      continue;
    }
    if (returned === sent) continue;
    checkMismatchAccepted(ctx, flow, callback, sent, returned, out, skipped);
  }
}

function checkMismatchAccepted(ctx: CheckContext, flow: Flow, callback: Leg, sent: string, returned: string, out: Finding[], skipped: NotEvaluated[]): void {
  const code = callback.params.code;
  const token = callback.params.access_token;
  let accepted: Leg | undefined;
  let how = '';
  if (code) {
    accepted = tokenLegs(flow).find((l) => l.grantType === 'authorization_code' && l.params.code === code);
    how = 'the client redeemed its code at the token endpoint';
  }
  if (!accepted && token) {
    accepted = flow.legs.find((l) => (l.kind === 'api' || l.kind === 'userinfo') && l.event.requestHeaders?.some((h) => h.value.includes(token)));
    how = 'the client used its access token';
  }
  if (!accepted) {
    if (code && flow.observability.tokenExchange === 'server-side') {
      skipped.push(notEvaluated('state.mismatch-accepted', flow, 'The callback state differs from the request\'s, but the token exchange is not observable (server-side client): whether the client still redeemed the code cannot be seen.'));
    }
    return;
  }
  out.push(
    finding('state.mismatch-accepted', flow, {
      message: `The callback's ${paramExcerpt('state', returned, ctx.mask)} differs from the ${paramExcerpt('state', sent, ctx.mask)} the request sent, yet ${how}: the client does not check state, which is what login CSRF exploits.`,
      evidence: [
        evidence(callback, whereOf(callback, 'state'), paramExcerpt('state', returned, ctx.mask)),
        evidence(accepted, accepted.kind === 'token-request' ? whereOf(accepted, 'code') : 'header.authorization', accepted.kind === 'token-request' ? paramExcerpt('code', code ?? '', ctx.mask) : `Bearer ${ctx.mask(token ?? '')}`),
      ],
      expected: `state=${sent}, and no token request after a mismatch`,
      actual: `state=${returned}, code redeemed`,
    }),
  );
}

// ---- iss (RFC 9207) ----

/** The first ID token of the flow that names an issuer: its iss and tenant (`tid`). */
function idTokenIssuerOf(flow: Flow): { iss: string; tid: unknown } | undefined {
  for (const leg of flow.legs) {
    const raw = leg.kind === 'callback' ? leg.params.id_token : typeof leg.response?.id_token === 'string' ? leg.response.id_token : undefined;
    const payload = tryDecodeJwt(raw)?.payload;
    if (typeof payload?.iss === 'string') return { iss: payload.iss, tid: payload.tid };
  }
  return undefined;
}

function checkIss(ctx: CheckContext, flow: Flow, callbacks: Leg[], out: Finding[], skipped: NotEvaluated[]): void {
  const doc = metadataOf(flow, ctx.analysis.metadata);
  for (const callback of callbacks) {
    const iss = callback.params.iss;
    if (iss === undefined) {
      // An ID token in the response names its issuer itself (RFC 9700 §4.4.2.1); jwt.iss-mismatch checks it.
      if (callback.params.id_token) continue;
      if (!doc) {
        skipped.push(notEvaluated('iss.missing', flow, `No discovery document for this authorization server is in the capture, so whether it advertises authorization_response_iss_parameter_supported is unknown. ${BODY_HINT}`));
      } else if (doc.document.authorization_response_iss_parameter_supported === true) {
        out.push(
          finding('iss.missing', flow, {
            message: `The authorization server ${String(doc.document.issuer)} advertises authorization_response_iss_parameter_supported, but this authorization response has no iss parameter, so a client cannot detect a mix-up.`,
            evidence: [evidence(callback, whereOf(callback, 'iss'), 'no iss')],
            expected: `iss=${String(doc.document.issuer)}`,
            actual: 'no iss',
          }),
        );
      }
      continue;
    }
    let expected: string | undefined;
    let against = '';
    if (doc && typeof doc.document.issuer === 'string') {
      expected = doc.document.issuer;
      against = `the issuer of the discovery document at ${doc.url}`;
    } else {
      expected = idTokenIssuerOf(flow)?.iss;
      against = 'the iss of the ID token issued in this flow (no discovery document for this server is in the capture)';
    }
    if (expected === undefined) {
      skipped.push(notEvaluated('iss.mismatch', flow, `Neither a discovery document nor an ID token of this flow is in the capture, so the response iss has nothing to be compared with. ${BODY_HINT}`));
      continue;
    }
    const comparison = compareIssuers(expected, iss, idTokenIssuerOf(flow)?.tid);
    if (comparison === 'same') continue;
    if (comparison === 'unresolved') {
      skipped.push(notEvaluated('iss.mismatch', flow, `The issuer ${expected} is a multi-tenant template, and no ID token of this flow carries the tenant (tid) that fills it in.`));
      continue;
    }
    // Google's ID tokens may carry the legacy scheme-less issuer `accounts.google.com` for
    // `https://accounts.google.com` (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken).
    if (!doc && !expected.includes('://') && iss === `https://${expected}`) continue;
    out.push(
      finding('iss.mismatch', flow, {
        message: `The authorization response says iss=${iss}, but ${against} is ${expected}. A client must reject a response whose iss differs (mix-up attack).`,
        evidence: [evidence(callback, whereOf(callback, 'iss'), `iss=${iss}`)],
        expected,
        actual: iss,
      }),
    );
  }
}

// ---- code.forwarded ----

/**
 * Collects findings that the same leak would repeat for every request (a page
 * loading fifty images): one finding per key, saying how many more there were.
 */
export class RepeatedFindings {
  private readonly groups = new Map<string, { finding: Finding; more: number; to: string }>();

  add(key: string, to: string, make: () => Finding): void {
    const group = this.groups.get(key);
    if (group) group.more += 1;
    else this.groups.set(key, { finding: make(), more: 0, to });
  }

  findings(): Finding[] {
    return [...this.groups.values()].map(({ finding: f, more, to }) =>
      more === 0 ? f : { ...f, message: `${f.message} The same happened in ${more} more request${more === 1 ? '' : 's'} to ${to}.` },
    );
  }
}

interface Carried {
  name: 'code' | 'access_token' | 'id_token';
  value: string;
  flow: Flow;
  callback: Leg;
  clientOrigins: Set<string>;
  asOrigins: Set<string>;
  tokenUses: Set<string>;
}

const URL_DELIMITERS = /[?&=#\/:;,\s"'<>]+/;

/** The pieces of a URL a credential could be (decoded up to twice, as in a URL inside a URL). */
function urlPieces(url: string): Set<string> {
  const pieces = new Set<string>();
  let text = url;
  for (let round = 0; round < 3; round++) {
    for (const piece of text.split(URL_DELIMITERS)) if (piece.length >= MIN_SECRET_LENGTH) pieces.add(piece);
    if (!text.includes('%')) break;
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return pieces;
}

function checkForwarded(ctx: CheckContext, callbacksByFlow: ReadonlyMap<Flow, Leg[]>, out: Finding[]): void {
  const byValue = new Map<string, Carried>();
  /** Values with URL delimiters in them (Google codes start `4/0A…`): found by substring. */
  const awkward: Carried[] = [];
  for (const [flow, callbacks] of callbacksByFlow) {
    const asOrigins = authorizationServerOrigins(flow, ctx.analysis.metadata);
    const clientOrigins = new Set<string>();
    const redirectOrigin = originOf(flow.redirectUri);
    if (redirectOrigin) clientOrigins.add(redirectOrigin);
    for (const callback of callbacks) {
      const origin = originOf(callbackUrl(callback));
      if (origin) clientOrigins.add(origin);
    }
    // Token presentations to the resource server are the token's purpose (a query token is leak.token-in-query).
    const tokenUses = new Set(flow.legs.filter((l) => l.kind === 'api' || l.kind === 'userinfo').map((l) => l.event.id));
    for (const callback of callbacks) {
      for (const name of ['code', 'access_token', 'id_token'] as const) {
        const value = callback.params[name];
        if (!value || value.length < MIN_SECRET_LENGTH || byValue.has(value)) continue;
        const carried = { name, value, flow, callback, clientOrigins, asOrigins, tokenUses };
        byValue.set(value, carried);
        if (value.split(URL_DELIMITERS).length > 1) awkward.push(carried);
      }
    }
  }
  if (byValue.size === 0) return;
  const groups = new RepeatedFindings();
  for (const event of ctx.analysis.events) {
    if (event.fromInspector) continue;
    const origin = originOf(event.url);
    if (!origin) continue;
    const candidates = [...urlPieces(event.url)].map((piece) => byValue.get(piece)).filter((c): c is Carried => !!c);
    for (const c of awkward) if (urlCarries(event.url, c.value)) candidates.push(c);
    const carried = candidates.find(
      (c) =>
        event.seq > c.callback.event.seq &&
        !c.clientOrigins.has(origin) &&
        !c.asOrigins.has(origin) &&
        !(c.name !== 'code' && c.tokenUses.has(event.id)),
    );
    if (!carried) continue;
    groups.add(`${carried.flow.id} ${carried.value} ${origin}`, origin, () => forwardedFinding(ctx, carried.flow, carried.callback, event, carried.name, carried.value, carried.clientOrigins));
  }
  out.push(...groups.findings());
}

/** The origin that made the request: the browser's initiator, else the Origin or Referer header. */
export function initiatorOf(event: RequestEvent): string | undefined {
  return event.initiator ?? originOf(header(event.requestHeaders, 'origin')) ?? originOf(header(event.requestHeaders, 'referer'));
}

function forwardedFinding(ctx: CheckContext, flow: Flow, callback: Leg, event: RequestEvent, name: string, value: string, clientOrigins: Set<string>): Finding {
  const what = name === 'code' ? 'authorization code' : name === 'access_token' ? 'access token' : 'ID token';
  const target = originOf(event.url) ?? event.url;
  const initiator = initiatorOf(event);
  const byScript = (event.type === 'fetch' || event.type === 'xhr') && !!initiator && clientOrigins.has(initiator);
  return finding('code.forwarded', flow, {
    message: byScript
      ? `The ${what} from the callback (${paramExcerpt(name, value, ctx.mask)}) was sent by the client's own script in a URL to ${target}, another origin than the redirect URI's. Severity lowered to medium: this may be the client's own backend, but a credential in a URL ends up in logs; send it in a POST body.`
      : `The ${what} from the callback (${paramExcerpt(name, value, ctx.mask)}) shows up in a later request URL to ${target}, which is neither the client's redirect URI origin nor the authorization server: it was forwarded (an open redirector, or a third party reading the page URL).`,
    evidence: [
      evidence(callback, whereOf(callback, name), paramExcerpt(name, value, ctx.mask)),
      evidence(event, 'url', maskUrl(redactIn(event.url, [value], ctx.mask), ctx.mask)),
    ],
    expected: `the ${what} only at the redirect URI and the authorization server`,
    actual: `sent to ${target}`,
    ...(byScript ? { severity: 'medium' as const } : {}),
  });
}

function run(ctx: CheckContext): CheckResult {
  const findings: Finding[] = [];
  const skipped: NotEvaluated[] = [];
  const callbacksByFlow = new Map<Flow, Leg[]>();
  for (const flow of ctx.analysis.flows) {
    const callbacks = distinctCallbacks(flow);
    if (callbacks.length === 0) continue;
    callbacksByFlow.set(flow, callbacks);
    checkState(ctx, flow, callbacks, findings, skipped);
    checkIss(ctx, flow, callbacks, findings, skipped);
  }
  checkForwarded(ctx, callbacksByFlow, findings);
  const once = new Map(skipped.map((n) => [`${n.check} ${n.flowId}`, n]));
  return { findings, notEvaluated: [...once.values()] };
}

export const callbackChecks: CheckFamily = {
  name: 'callback',
  ids: ['state.not-returned', 'state.mismatch-accepted', 'iss.missing', 'iss.mismatch', 'code.forwarded'],
  run,
};
