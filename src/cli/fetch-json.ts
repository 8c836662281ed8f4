/**
 * The one network access of the CLI, only with --fetch-keys: discovery
 * documents and JWKS the capture lacks. The URLs come from the capture (an ID
 * token's `iss`, then the discovery document's `jwks_uri`), so whoever wrote
 * the HAR chooses them. Hence:
 *  - https only; http only when the issuer itself is on loopback;
 *  - no loopback, private, link-local or otherwise reserved address unless
 *    the issuer is on one: names are resolved here, every address checked, and
 *    the connection made to the address that was checked (no second lookup for
 *    a rebinding DNS to answer differently);
 *  - redirects followed only within the same origin, at most 3;
 *  - the body read as a stream and cut at MAX_BYTES (Content-Length is not
 *    trusted), and the whole exchange under a timeout.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 1_000_000;
const MAX_REDIRECTS = 3;

export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

function blockList(ranges: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return list;
}

const LOOPBACK = blockList([['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]);
const PRIVATE = blockList([['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['fc00::', 7, 'ipv6']]);
const LINK_LOCAL = blockList([['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]);
/** This network, documentation, benchmarking, multicast, reserved, unspecified, NAT64 and 6to4 prefixes (RFC 6890). */
const RESERVED = blockList([
  ['0.0.0.0', 8, 'ipv4'], ['192.0.0.0', 24, 'ipv4'], ['192.0.2.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'], ['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'], ['64:ff9b::', 96, 'ipv6'], ['64:ff9b:1::', 48, 'ipv6'], ['100::', 64, 'ipv6'], ['2001:db8::', 32, 'ipv6'], ['2002::', 16, 'ipv6'], ['ff00::', 8, 'ipv6'],
]);

/** What kind of address this is; an IPv4-mapped IPv6 address is judged by its IPv4 address. */
export function addressKind(address: string): AddressKind {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const type = isIP(ip) === 4 ? 'ipv4' : isIP(ip) === 6 ? 'ipv6' : undefined;
  if (!type) return 'reserved';
  if (LOOPBACK.check(ip, type)) return 'loopback';
  if (LINK_LOCAL.check(ip, type)) return 'link-local';
  if (PRIVATE.check(ip, type)) return 'private';
  if (RESERVED.check(ip, type)) return 'reserved';
  return 'public';
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

export interface KeyFetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Name resolution (tests map names to addresses). */
  resolve?: Resolver;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

async function addressesOf(url: URL, resolve: Resolver): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  const literal = isIP(host);
  if (literal) return [{ address: host, family: literal === 6 ? 6 : 4 }];
  if (host === 'localhost' || host.endsWith('.localhost')) return [{ address: '127.0.0.1', family: 4 }];
  const found = await resolve(host);
  if (found.length === 0) throw new Error(`${host} does not resolve`);
  return found;
}

/** Fetches JSON for the keys of `issuer` from `url` under the rules above. */
export function createKeyFetcher(options: KeyFetcherOptions = {}): (url: string, context: { issuer: string }) => Promise<unknown> {
  const resolve = options.resolve ?? systemResolver;
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;

  return async (url, { issuer }) => {
    const issuerUrl = URL.canParse(issuer) ? new URL(issuer) : undefined;
    if (!issuerUrl) throw new Error(`refusing to fetch ${url}: the issuer ${issuer} is not a URL`);
    const issuerKinds = new Set((await addressesOf(issuerUrl, resolve).catch(() => [])).map((a) => addressKind(a.address)));
    const issuerLoopback = issuerKinds.size > 0 && [...issuerKinds].every((kind) => kind === 'loopback');
    const issuerInternal = [...issuerKinds].some((kind) => kind !== 'public');
    const deadline = AbortSignal.timeout(timeoutMs);

    let target = url;
    for (let hop = 0; ; hop++) {
      const parsed = URL.canParse(target) ? new URL(target) : undefined;
      if (!parsed) throw new Error(`refusing to fetch ${target}: not a URL`);
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && issuerLoopback)) {
        throw new Error(`refusing to fetch ${target}: not https${parsed.protocol === 'http:' ? ' (http only for an issuer on loopback)' : ''}`);
      }
      const addresses = await addressesOf(parsed, resolve);
      const blocked = addresses.find((a) => addressKind(a.address) !== 'public');
      if (blocked && !issuerInternal) {
        throw new Error(`refusing to fetch ${target}: ${parsed.hostname} is a ${addressKind(blocked.address)} address (${blocked.address}) and the issuer is not`);
      }
      const response = await get(parsed, addresses[0]!, deadline);
      if (response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw new Error(`fetching ${target}: HTTP ${response.statusCode} without a Location`);
        const next = new URL(location, parsed);
        if (next.origin !== parsed.origin) throw new Error(`fetching ${target}: refusing a redirect to another origin (${next.origin})`);
        if (hop >= MAX_REDIRECTS) throw new Error(`fetching ${url}: too many redirects`);
        target = next.href;
        continue;
      }
      if (response.statusCode !== 200) {
        response.resume();
        throw new Error(`fetching ${target}: HTTP ${response.statusCode}`);
      }
      return JSON.parse(await readCapped(response, maxBytes, target)) as unknown;
    }
  };
}

/** One GET, connected to the address that was checked. */
function get(url: URL, pinned: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' }, lookup, signal }, resolve);
    req.on('error', (error) => reject(signal.aborted ? new Error(`fetching ${url.href}: timed out`) : error));
    req.end();
  });
}

/** The body, read as it streams, refused past `maxBytes` whatever Content-Length said. */
function readCapped(response: IncomingMessage, maxBytes: number, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error(`fetching ${url}: response too large (over ${maxBytes} bytes)`));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', (error) => reject(response.destroyed && size > maxBytes ? new Error(`fetching ${url}: response too large`) : error));
    response.on('aborted', () => reject(new Error(`fetching ${url}: timed out`)));
  });
}

export const fetchJson = createKeyFetcher();
