/**
 * The worker's hot path (run by scripts/bench.mjs with --expose-gc and tsx):
 * webRequest events of requests that are not OAuth — what the global
 * listeners hand the worker: navigations, fetch GET, fetch POST with a JSON
 * body (raw bytes, as Chrome gives it), form POSTs (formData) — through
 * `Capture.handlers` (onBeforeRequest, onSendHeaders, onCompleted), as the
 * worker runs them. Measures:
 *  - time per rejected request against one `new URL()` of its URL;
 *  - bytes allocated per rejected request (heap growth over a batch that new
 *    space holds), against `new URL()`'s.
 * Prints one `##bench {json}` line per ratio for the runner.
 */
import { performance } from 'node:perf_hooks';
import { Capture } from '../../src/background/capture.ts';
import { EventLog } from '../../src/background/event-log.ts';

const gc = globalThis.gc;
const report = (name, value, goal, detail) => console.log(`##bench ${JSON.stringify({ name, value, goal, detail })}`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const store = { getAll: async () => ({}), set: async () => {}, remove: async () => {} };
const capture = new Capture({ log: new EventLog(store), watchTab: () => {}, unwatchTab: () => {} });
await new Promise((resolve) => setTimeout(resolve, 10));
// A flow seen earlier: its code and token are watched for in every later URL (the worst case).
capture.assembler.secrets.learnUrl('https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz');
capture.assembler.secrets.learnText('{"access_token":"eyJhbGciOiJSUzI1NiJ9.e30.sig-0123456789"}');

const encoder = new TextEncoder();
function requests(count) {
  const hosts = ['www.news.example', 'api.shop.example', 'www.google-analytics.example', 'static.xx.fbcdn.example'];
  const out = [];
  for (let i = 0; i < count; i++) {
    const host = hosts[i % hosts.length];
    const kind = i % 4;
    const url =
      kind === 0 ? `https://${host}/article/${i}?ref=home&utm_source=newsletter` : kind === 1 ? `https://${host}/v1/products/${i}?page=2&sort=price` : `https://${host}/g/collect?v=2&tid=G-X&cid=${i}`;
    const type = kind === 0 ? 'main_frame' : 'xmlhttprequest';
    const method = kind >= 2 ? 'POST' : 'GET';
    const requestBody =
      kind === 2
        ? { raw: [{ bytes: encoder.encode(JSON.stringify({ id: i, events: [{ name: 'page_view', params: { title: 'News', page: i } }], session: 'abc' })).buffer }] }
        : kind === 3
          ? { formData: { comment: ['hello'], page: [String(i)], csrf: ['t0k3n'] } }
          : undefined;
    const base = { requestId: String(i), url, method, tabId: 3, frameId: 0, type, timeStamp: 1_800_000_000_000 + i, initiator: `https://${host}` };
    out.push({
      before: requestBody ? { ...base, requestBody } : base,
      headers: {
        ...base,
        requestHeaders: [
          { name: 'Accept', value: '*/*' },
          { name: 'Accept-Language', value: 'en-GB,en;q=0.9' },
          { name: 'Content-Type', value: 'application/json' },
          { name: 'Sec-Fetch-Dest', value: 'empty' },
          { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' },
        ],
      },
      completed: { ...base, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: [{ name: 'Content-Type', value: 'text/html' }, { name: 'Cache-Control', value: 'max-age=60' }] },
    });
  }
  return out;
}

const h = capture.handlers;
const reject = (r) => {
  h.beforeRequest(r.before);
  h.sendHeaders(r.headers);
  h.completed(r.completed);
};
const parse = (r) => new URL(r.before.url).search.length;

// Through structuredClone, as the extension bindings hand them over (flat strings, plain objects).
const batch = structuredClone(requests(20_000));
for (let i = 0; i < 40; i++) for (const r of batch) (reject(r), parse(r));
if (capture.assembler.pendingCount !== 0) throw new Error('an ordinary request was kept');

function nsPer(fn) {
  const start = performance.now();
  for (const r of batch) fn(r);
  return ((performance.now() - start) * 1e6) / batch.length;
}

/**
 * Heap growth per call over one batch, after a full collection (new space holds
 * a batch: no collection in between). The least of several rounds: compiled
 * code landing from the optimising compiler counts as heap growth too.
 */
function bytesPer(fn) {
  if (!gc) return Number.NaN;
  const samples = [];
  for (let round = 0; round < 7; round++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (const r of batch) fn(r);
    const grown = process.memoryUsage().heapUsed - before;
    if (grown >= 0) samples.push(grown / batch.length);
  }
  return Math.min(...samples);
}

function measure() {
  const rejectNs = [];
  const urlNs = [];
  for (let round = 0; round < 7; round++) {
    rejectNs.push(nsPer(reject));
    urlNs.push(nsPer(parse));
  }
  return { time: { reject: median(rejectNs), url: median(urlNs) }, bytes: { reject: bytesPer(reject), url: bytesPer(parse) } };
}

const few = measure();
// A long session: the watch list full (256 codes and tokens), every request searched for all of them.
for (let n = 0; n < 300; n++) capture.assembler.secrets.learnUrl(`https://app.example/cb?code=${n.toString(36).padStart(6, '0')}-SplxlOBeZQQYbYS6WxSb&state=s`);
for (let i = 0; i < 3; i++) for (const r of batch) reject(r);
const many = measure();
console.log('worker reject path (onBeforeRequest + onSendHeaders + onCompleted of a request that is not OAuth)');
for (const [label, { time, bytes }] of [['2 codes/tokens watched', few], ['256 codes/tokens watched', many]]) {
  console.log(`  ${label}: ${time.reject.toFixed(0)} ns and ${bytes.reject.toFixed(1)} bytes allocated per request; one new URL(): ${time.url.toFixed(0)} ns, ${bytes.url.toFixed(1)} bytes`);
}
report('worker reject path / new URL() (time)', few.time.reject / few.time.url, 1, `${few.time.reject.toFixed(0)} ns vs ${few.time.url.toFixed(0)} ns for three events`);
report('worker reject path, 256 secrets watched / new URL() (time)', many.time.reject / many.time.url, 1.5, `${many.time.reject.toFixed(0)} ns vs ${many.time.url.toFixed(0)} ns`);
report('worker reject path / new URL() (bytes allocated)', few.bytes.reject / few.bytes.url, 0.25, `${few.bytes.reject.toFixed(1)} B vs ${few.bytes.url.toFixed(1)} B (a POST's body is looked at through one typed-array view)`);
