/**
 * What the page cannot make the active checks do. A page shapes the traffic a
 * flow is read from, so before the inspector sends anything (and again in the
 * worker, on the flow it captured itself) these rules hold:
 *  - the token endpoint belongs to the flow's authorization server: same site
 *    as its authorization endpoint, or as its issuer when the issuer came from
 *    a discovery document, or exactly the `token_endpoint` that a discovery
 *    document served from the authorization endpoint's site names (Google's
 *    accounts.google.com names oauth2.googleapis.com);
 *  - every URL the inspector sends to or opens is https, or http on loopback;
 *  - only the headers the protocol needs are replayed (REPLAY_HEADERS);
 *  - the Origin sent is the app's origin as the browser itself reported it;
 *  - a URL used in a declarativeNetRequest urlFilter holds none of its
 *    wildcard characters (`*`, `^`, `|`).
 */
import { isLoopback } from '../checks/authorization-request.ts';
import type { Flow, HttpHeader } from '../model.ts';
import { safeUrl } from '../oauth/params.ts';

/**
 * Headers a token request needs: its media types, client authentication
 * (client_secret_basic, RFC 6749 §2.3.1) and a DPoP proof (RFC 9449). The
 * rest (`X-*`, Cookie, Origin…) is the page's choice, not the protocol's.
 */
export const REPLAY_HEADERS: ReadonlySet<string> = new Set(['authorization', 'accept', 'content-type', 'dpop']);

export function replayHeaders(headers: readonly HttpHeader[] | undefined): HttpHeader[] {
  return (headers ?? []).filter((h) => REPLAY_HEADERS.has(h.name.toLowerCase()) && !/[\r\n]/.test(h.value));
}

/** https, or http to a loopback host (RFC 8252 §7.3): what the inspector may send to or open. */
export function transportAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

/**
 * Public suffixes of more than one label that OAuth servers are often under.
 * Without the whole Public Suffix List, a site is the last two labels of a
 * host, or three under these.
 */
const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'gov.au', 'co.jp', 'ne.jp', 'or.jp', 'co.nz', 'co.za', 'com.br', 'co.in', 'com.cn', 'com.tw', 'co.kr',
  'github.io', 'gitlab.io', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com', 'appspot.com',
  'azurewebsites.net', 'cloudfront.net', 'amazonaws.com', 'blogspot.com', 'glitch.me', 'onrender.com', 'fly.dev', 'ngrok.io', 'ngrok-free.app',
]);

/** The registrable part of a host (approximate, see MULTI_LABEL_SUFFIXES); an IP address is its own site. */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host;
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const lastTwo = labels.slice(-2).join('.');
  return MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

export function sameSite(a: URL, b: URL): boolean {
  return siteOf(a.hostname) === siteOf(b.hostname);
}

/** The URLs that say which authorization server a flow talked to. */
function authorizationServerUrls(flow: Flow): URL[] {
  const out: URL[] = [];
  const auth = flow.authorizationEndpoint ? safeUrl(flow.authorizationEndpoint) : undefined;
  if (auth) out.push(auth);
  const issuer = flow.issuerSource === 'discovery' && flow.issuer ? safeUrl(flow.issuer) : undefined;
  if (issuer) out.push(issuer);
  return out;
}

/**
 * Whether a discovery document fetched from the authorization endpoint's own
 * site names this very URL as its token endpoint. A page can serve a
 * look-alike document from its own origin, so where the document came from is
 * what makes it the AS's word.
 */
function namedByDiscovery(flow: Flow, target: URL): boolean {
  const named = flow.discovery?.tokenEndpoint ? safeUrl(flow.discovery.tokenEndpoint) : undefined;
  const source = flow.discovery ? safeUrl(flow.discovery.url) : undefined;
  const auth = flow.authorizationEndpoint ? safeUrl(flow.authorizationEndpoint) : undefined;
  if (!named || !source || !auth || !sameSite(source, auth)) return false;
  return named.origin === target.origin && named.pathname === target.pathname;
}

/** Why the inspector may not send a token request to `url` for this flow, or undefined when it may. */
export function tokenEndpointProblem(flow: Flow, url: string): string | undefined {
  const target = safeUrl(url);
  if (!target) return 'the token endpoint URL cannot be read';
  if (!transportAllowed(target)) return `the token endpoint is not https (${target.protocol.replace(':', '')} is allowed only on loopback)`;
  const servers = authorizationServerUrls(flow);
  if (servers.length === 0) return 'the token endpoint cannot be tied to the flow’s authorization server (no authorization request or discovery document was captured)';
  if (!servers.some((server) => sameSite(server, target)) && !namedByDiscovery(flow, target)) {
    return `the token endpoint (${target.host}) is not on the site of the flow’s authorization server (${servers.map((s) => s.host).join(', ')})`;
  }
  return undefined;
}

/** Why the inspector may not open `url` in a probe tab, or undefined when it may. */
export function probeUrlProblem(url: string): string | undefined {
  const target = safeUrl(url);
  if (!target) return 'the authorization request URL cannot be read';
  if (!transportAllowed(target)) return `the authorization endpoint is not https (${target.protocol.replace(':', '')} is allowed only on loopback)`;
  return undefined;
}

/**
 * The app's origin as the browser reported it: its own Origin header (which
 * a page cannot set) or the initiator webRequest gave; when both are known
 * they must agree. Only an http(s) origin.
 */
export function observedAppOrigin(originHeader: string | undefined, initiator: string | undefined): string | undefined {
  const read = (value: string | undefined): string | undefined => {
    if (!value || value === 'null') return undefined;
    const url = safeUrl(value);
    return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : undefined;
  };
  const fromHeader = read(originHeader);
  const fromInitiator = read(initiator);
  if (fromHeader && fromInitiator && fromHeader !== fromInitiator) return undefined;
  return fromHeader ?? fromInitiator;
}

/**
 * A URL as a declarativeNetRequest urlFilter can match it exactly: `*`, `^`
 * and `|` are that syntax's wildcard, separator and anchor, and it has no
 * escape, so they are percent-encoded (the same request to the server; the
 * URL is sent in this form too).
 * @see https://developer.chrome.com/docs/extensions/reference/api/declarativeNetRequest#property-RuleCondition-urlFilter
 */
export function dnrSafeUrl(url: string): string {
  return url.replace(/[*^|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
