/**
 * Where a flow keeps its tokens, inferred from what the browser saw after the
 * callback (OAuth 2.0 for Browser-Based Applications, RFC 10017 §6):
 *
 * - `browser-only`: the page's script redeems the code (or the tokens come in
 *   the authorization response itself);
 * - `token-mediating-backend`: the code is redeemed out of sight, and the page
 *   then gets an access token from its own backend or presents one;
 * - `bff`: the code is redeemed out of sight, and the page calls its own
 *   origin with no token (a session cookie carries the session);
 * - `server-side`: the code is redeemed out of sight and the page makes no
 *   script calls of its own (a classic web application).
 *
 * Every verdict names the requests it rests on; too little to go on is `unknown`.
 */
import type { Architecture, Flow, RequestEvent } from '../model.ts';
import { header, originOf } from '../oauth/params.ts';
import { presentedToken, responseParams } from './classify.ts';
import { callbackLeg, callbackUrl, codeExchangeLeg } from './legs.ts';

function isScript(event: RequestEvent): boolean {
  return event.type === 'fetch' || event.type === 'xhr';
}

/** Tokens the capture saw an AS issue to the browser: their use proves nothing about a backend. */
function tokensSeenIssued(flows: readonly Flow[]): Set<string> {
  const tokens = new Set<string>();
  for (const flow of flows) {
    for (const leg of flow.legs) {
      for (const source of [leg.response, leg.kind === 'callback' ? leg.params : undefined]) {
        const token = source?.access_token;
        if (typeof token === 'string') tokens.add(token);
      }
    }
  }
  return tokens;
}

/** The events of the page after the callback, up to the next flow that starts in the same tab. */
function afterCallback(flow: Flow, flows: readonly Flow[], events: readonly RequestEvent[], from: number): RequestEvent[] {
  const next = flows
    .filter((other) => other !== flow && other.tabId === flow.tabId)
    .map((other) => other.legs[0]?.event.seq ?? 0)
    .filter((seq) => seq > from)
    .reduce((min, seq) => Math.min(min, seq), Number.POSITIVE_INFINITY);
  return events.filter((e) => e.seq > from && e.seq < next && !e.fromInspector && (e.tabId === flow.tabId || flow.tabId === -1));
}

export function unknownArchitecture(): Architecture {
  return { kind: 'unknown', evidence: [] };
}

export function inferArchitecture(flow: Flow, flows: readonly Flow[], events: readonly RequestEvent[]): Architecture {
  const callback = callbackLeg(flow);
  if (callback && (callback.params.access_token || callback.params.id_token) && !callback.params.code) {
    return { kind: 'browser-only', evidence: [{ requestId: callback.event.id, note: 'the authorization response hands the tokens to the browser (implicit flow)' }] };
  }
  const exchange = codeExchangeLeg(flow);
  if (exchange) {
    if (isScript(exchange.event)) {
      const from = exchange.event.initiator ?? originOf(header(exchange.event.requestHeaders, 'origin'));
      return {
        kind: 'browser-only',
        evidence: [{ requestId: exchange.event.id, note: `the page's script redeemed the code at the token endpoint (${exchange.event.type}${from ? ` from ${from}` : ''})` }],
      };
    }
    return unknownArchitecture();
  }
  if (flow.observability.tokenExchange !== 'server-side' || !callback) return unknownArchitecture();
  const serverSide = { requestId: callback.event.id, note: 'the code went to the redirect URI and no token request followed in the browser: the server redeemed it' };
  const clientOrigin = originOf(callbackUrl(callback));
  const issued = tokensSeenIssued(flows);
  const later = afterCallback(flow, flows, events, callback.event.seq).filter(isScript);
  for (const event of later) {
    const body = event.responseBodyState === 'captured' ? responseParams(event) : undefined;
    if (clientOrigin && originOf(event.url) === clientOrigin && typeof body?.access_token === 'string') {
      return { kind: 'token-mediating-backend', evidence: [serverSide, { requestId: event.id, note: `the page fetched an access token from its own backend (${event.method} ${originOf(event.url) ?? ''})` }] };
    }
    const presented = presentedToken(event);
    if (presented && !issued.has(presented.token)) {
      return { kind: 'token-mediating-backend', evidence: [serverSide, { requestId: event.id, note: `the page presents an access token it did not get from the authorization server itself (${presented.where} to ${originOf(event.url) ?? event.url})` }] };
    }
  }
  const ownCall = later.find((event) => clientOrigin !== undefined && originOf(event.url) === clientOrigin && !presentedToken(event));
  if (ownCall) {
    const cookie = header(ownCall.requestHeaders, 'cookie') !== undefined;
    return {
      kind: 'bff',
      evidence: [serverSide, { requestId: ownCall.id, note: `the page's script calls its own backend (${ownCall.method} ${clientOrigin}) with no token${cookie ? ', only a cookie' : ''}` }],
    };
  }
  return { kind: 'server-side', evidence: [serverSide, { requestId: callback.event.id, note: 'after the callback the page makes no script calls that carry or fetch a token' }] };
}
