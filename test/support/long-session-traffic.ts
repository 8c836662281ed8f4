/**
 * The traffic of a long browsing session, as Chrome's webRequest would report
 * it: each request is an actor yielding its events one by one (onBeforeRequest,
 * onSendHeaders, onBeforeRedirect, onCompleted / onErrorOccurred), so the
 * driver can interleave many requests in flight. Deterministic (seeded).
 * Used by test/background/long-session.test.ts and scripts/bench/memory.mjs.
 */
import type {
  BeforeRedirectDetails,
  BeforeRequestDetails,
  CompletedDetails,
  ErrorDetails,
  SendHeadersDetails,
  WebRequestHeader,
} from '../../src/core/ingest/from-webrequest.ts';
import type { ResponseBodyMessage } from '../../src/core/protocol/worker-panel.ts';

/**
 * One step of an actor: a webRequest event, a token response read by the
 * debugger (Chrome with the permission granted), or `undefined` to wait a tick.
 * An actor's code runs when the driver asks for its next step, so the details
 * carry the clock of their delivery.
 */
export type Step =
  | { on: 'beforeRequest'; details: BeforeRequestDetails }
  | { on: 'sendHeaders'; details: SendHeadersDetails }
  | { on: 'beforeRedirect'; details: BeforeRedirectDetails }
  | { on: 'completed'; details: CompletedDetails }
  | { on: 'errorOccurred'; details: ErrorDetails }
  | { on: 'responseBody'; requestId: string; message: ResponseBodyMessage }
  | undefined;
export type Actor = Generator<Step, void, undefined>;

/** mulberry32: a small seeded generator, so every run replays the same session. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Traffic {
  private nextId = 1;
  constructor(
    readonly random: () => number,
    readonly now: () => number,
    /** Chrome: the debugger reads a token response after onCompleted; Firefox: filterResponseData, before it. */
    readonly bodyFirst = false,
  ) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  token(prefix: string): string {
    let text = prefix;
    while (text.length < prefix.length + 24) text += this.int(36 ** 4).toString(36).padStart(4, '0');
    return text;
  }

  requestId(): string {
    return String(this.nextId++);
  }
}

const HEADERS: WebRequestHeader[] = [
  { name: 'Accept', value: '*/*' },
  { name: 'Accept-Language', value: 'en-GB,en;q=0.9' },
  { name: 'Sec-Fetch-Mode', value: 'no-cors' },
  { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
];
const RESPONSE_HEADERS: WebRequestHeader[] = [
  { name: 'content-type', value: 'text/plain' },
  { name: 'cache-control', value: 'max-age=3600' },
  { name: 'content-length', value: '1234' },
];

export interface Request {
  url: string;
  method?: string;
  tabId: number;
  type: string;
  initiator?: string;
  form?: Record<string, string>;
  json?: unknown;
  headers?: WebRequestHeader[];
  /** A 301/302 to this URL first (then the same requestId goes on there). */
  redirectTo?: string;
  status?: number;
  error?: string;
  /** Called with the start time once completed (a token response read by the debugger). */
  body?: (startedAt: number) => ResponseBodyMessage;
}

const encoder = new TextEncoder();

/** One request's events, in Chrome's order. */
export function* request(traffic: Traffic, r: Request): Actor {
  const requestId = traffic.requestId();
  const method = r.method ?? 'GET';
  let url = r.url;
  const details = (): BeforeRequestDetails => ({
    requestId,
    url,
    method,
    tabId: r.tabId,
    frameId: 0,
    type: r.type,
    timeStamp: traffic.now(),
    ...(r.initiator ? { initiator: r.initiator } : {}),
  });
  const requestBody = r.form
    ? { formData: Object.fromEntries(Object.entries(r.form).map(([k, v]) => [k, [v]])) }
    : r.json !== undefined
      ? { raw: [{ bytes: encoder.encode(JSON.stringify(r.json)).buffer as ArrayBuffer }] }
      : undefined;
  const headers = r.headers ? [...HEADERS, ...r.headers] : HEADERS;
  const startedAt = traffic.now();
  yield { on: 'beforeRequest', details: { ...details(), ...(requestBody ? { requestBody } : {}) } };
  yield { on: 'sendHeaders', details: { ...details(), requestHeaders: headers } };
  if (r.redirectTo) {
    yield { on: 'beforeRedirect', details: { ...details(), statusCode: 302, redirectUrl: r.redirectTo, responseHeaders: [{ name: 'location', value: r.redirectTo }] } };
    url = r.redirectTo;
    yield { on: 'beforeRequest', details: details() };
    yield { on: 'sendHeaders', details: { ...details(), requestHeaders: headers } };
  }
  yield undefined;
  if (r.error) {
    yield { on: 'errorOccurred', details: { ...details(), error: r.error } };
    return;
  }
  const body = r.body ? ({ on: 'responseBody', requestId, message: r.body(startedAt) } as const) : undefined;
  if (body && traffic.bodyFirst) yield body;
  yield { on: 'completed', details: { ...details(), statusCode: r.status ?? 200, responseHeaders: RESPONSE_HEADERS } };
  if (body && !traffic.bodyFirst) yield body;
}

export function* waitTicks(ticks: number): Actor {
  for (let i = 0; i < ticks; i++) yield undefined;
}

const SITES = ['news', 'shop', 'video', 'docs', 'mail', 'maps', 'social', 'bank', 'wiki', 'forum', 'cdn', 'fonts', 'analytics', 'ads'];

/** An ordinary request: an image, a script, a stylesheet, a font, a fetch, a JSON POST, a redirect. */
export function unrelatedRequest(traffic: Traffic, tabId: number): Actor {
  const site = `https://${traffic.pick(SITES)}${traffic.int(40)}.example.test`;
  const page = `${site}/page/${traffic.int(500)}?ref=home&sort=new`;
  const initiator = site;
  const referer = [{ name: 'Referer', value: page }];
  const roll = traffic.random();
  const path = `/${traffic.pick(['assets', 'static', 'img', 'api/v2', 'i'])}/${traffic.int(100_000).toString(36)}`;
  const base = { tabId, initiator, headers: referer, ...(traffic.random() < 0.02 ? { error: 'net::ERR_ABORTED' } : {}) };
  if (roll < 0.3) return request(traffic, { ...base, url: `${site}${path}.webp?w=${traffic.int(2000)}&h=720&fit=crop`, type: 'image' });
  if (roll < 0.45) return request(traffic, { ...base, url: `${site}${path}.js?v=${traffic.int(99)}`, type: 'script' });
  if (roll < 0.55) return request(traffic, { ...base, url: `${site}${path}.css`, type: 'stylesheet' });
  if (roll < 0.6) return request(traffic, { ...base, url: `${site}/fonts/inter-${traffic.int(9)}00.woff2`, type: 'font' });
  if (roll < 0.78) return request(traffic, { ...base, url: `${site}/api/items?page=${traffic.int(50)}&q=${traffic.token('')}`, type: 'xmlhttprequest' });
  if (roll < 0.93) {
    const json = { event: traffic.pick(['view', 'click', 'scroll']), item: traffic.int(1e6), page, ts: 1_800_000_000 + traffic.int(1e6), tags: ['a', 'b'] };
    return request(traffic, { ...base, url: `${site}/api/collect`, method: 'POST', type: 'xmlhttprequest', json });
  }
  // An http -> https or a short link: a redirect chain with no OAuth in it.
  return request(traffic, { ...base, url: `${site.replace('https:', 'http:')}/go/${traffic.int(1000)}`, redirectTo: `${site}/landing/${traffic.int(1000)}`, type: 'main_frame' });
}
