/**
 * Engine benchmarks (run by scripts/bench.mjs with --expose-gc and tsx):
 *  (a) fast path: median cost of rejecting an ordinary request with
 *      mightBeOAuth(url, method, headers) vs one `new URL()` of the same URL;
 *  (b) HAR audit (best of 5 runs each): JSON.parse of a 100,000-entry HAR vs parse + ingest + audit,
 *      and vs the CLI's way (stream log.entries from the file's bytes, one
 *      JSON.parse per entry, so memory stays at the file's size).
 * Prints its own table, and one `##bench {json}` line per ratio for the runner.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { audit, mightBeOAuth } from '../../src/core/index.ts';
import { createHarIngester, ingestHar } from '../../src/core/ingest/from-har.ts';
import { scanHarEntries } from '../../src/cli/har-scan.ts';
import { generateHar } from './lib/generate-har.mjs';

const ENTRIES = Number(process.env.BENCH_HAR_ENTRIES ?? 100_000);
const gc = globalThis.gc ?? (() => {});
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const report = (name, value, goal, detail) => console.log(`##bench ${JSON.stringify({ name, value, goal, detail })}`);

// ---- (a) fast path -------------------------------------------------------
function ordinaryRequests(count) {
  const hosts = ['www.news.example', 'cdn.jsdelivr.example', 'fonts.gstatic.example', 'api.shop.example', 'www.google-analytics.example', 'i.ytimg.example', 'static.xx.fbcdn.example'];
  const paths = ['/', '/assets/index-4f9a2c.js', '/v1/products/4411', '/fonts/roboto-v30-latin-regular.woff2', '/g/collect', '/vi/dQw4w9WgXcQ/hqdefault.jpg', '/rsrc.php/v3/yX/r/abc.css', '/search', '/account/settings', '/oauth-news/latest-token-stories'];
  const queries = ['', '?v=3', '?page=2&sort=price&dir=asc', '?q=oauth+state+parameter&hl=en', '?utm_source=newsletter&utm_medium=email&utm_campaign=nov', '?tid=G-XXXX&cid=555.666&en=page_view&dl=https%3A%2F%2Fwww.news.example%2F', '?w=1280&h=720&fit=crop&auto=format'];
  const requests = [];
  for (let i = 0; i < count; i++) {
    const url = `https://${hosts[i % hosts.length]}${paths[(i * 7) % paths.length]}${queries[(i * 3) % queries.length]}`;
    const headers = [
      { name: 'Accept', value: '*/*' },
      { name: 'Accept-Language', value: 'en-GB,en;q=0.9' },
      { name: 'Referer', value: `https://www.news.example/article/${i}?ref=home` },
      { name: 'Sec-Fetch-Dest', value: 'empty' },
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'Sec-Fetch-Site', value: 'cross-site' },
      { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
    ];
    requests.push({ url, method: 'GET', headers });
  }
  return requests;
}

function perCallNs(fn, requests, reps) {
  const costs = [];
  let sink = 0;
  for (const request of requests) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) sink += fn(request) ? 1 : 0;
    costs.push(((performance.now() - start) * 1e6) / reps);
  }
  return { median: median(costs), sink };
}

function fastPathBench() {
  const requests = ordinaryRequests(1000);
  const reject = (r) => mightBeOAuth(r.url, r.method, r.headers);
  const parse = (r) => new URL(r.url).search.length > 0;
  if (requests.some(reject)) throw new Error('an ordinary request passed the fast path');
  // Warm both up, then alternate rounds so neither gets a cooler CPU.
  perCallNs(reject, requests, 200);
  perCallNs(parse, requests, 200);
  const rejects = [];
  const parses = [];
  for (let round = 0; round < 5; round++) {
    rejects.push(perCallNs(reject, requests, 400).median);
    parses.push(perCallNs(parse, requests, 400).median);
  }
  const rejectNs = median(rejects);
  const urlNs = median(parses);
  return { rejectNs, urlNs, ratio: rejectNs / urlNs };
}

// ---- (b) HAR audit -------------------------------------------------------
async function harBench() {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-lens-bench-'));
  const file = join(dir, 'bench.har');
  try {
    const bytes = await generateHar(file, { count: ENTRIES });
    const buf = readFileSync(file);
    const text = buf.toString('utf8');
    const parseTimes = [];
    const auditTimes = [];
    const streamTimes = [];
    let kept = 0;
    let flows = 0;
    for (let run = 0; run < 5; run++) {
      gc();
      let start = performance.now();
      let parsed = JSON.parse(text);
      parseTimes.push(performance.now() - start);
      parsed = undefined;
      gc();
      start = performance.now();
      const { events } = ingestHar(JSON.parse(text));
      const result = await audit(events);
      auditTimes.push(performance.now() - start);
      kept = events.length;
      flows = result.analysis.flows.length;
      gc();
      start = performance.now();
      const ingester = createHarIngester();
      scanHarEntries(buf, (entry, index) => ingester.add(entry, index));
      await audit(ingester.finish().events);
      streamTimes.push(performance.now() - start);
    }
    // Best of the runs: on a shared machine the minimum is the cost least disturbed by other work.
    const parseMs = Math.min(...parseTimes);
    const auditMs = Math.min(...auditTimes);
    const streamMs = Math.min(...streamTimes);
    return { bytes, parseMs, auditMs, ratio: auditMs / parseMs, streamMs, streamRatio: streamMs / parseMs, kept, flows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fast = fastPathBench();
const har = await harBench();
const rows = [
  ['fast path: reject ordinary request / new URL()', `${fast.rejectNs.toFixed(0)} ns / ${fast.urlNs.toFixed(0)} ns`, fast.ratio, 1],
  [`HAR audit (${ENTRIES.toLocaleString('en')} entries, ${(har.bytes / 1e6).toFixed(0)} MB) / JSON.parse`, `${har.auditMs.toFixed(0)} ms / ${har.parseMs.toFixed(0)} ms`, har.ratio, 1.5],
  ['HAR audit, streamed as the CLI does / JSON.parse', `${har.streamMs.toFixed(0)} ms / ${har.parseMs.toFixed(0)} ms`, har.streamRatio, 1.5],
];
console.log('engine');
for (const [name, detail, ratio, goal] of rows) {
  console.log(`  ${name.padEnd(62)} ${detail.padEnd(22)} ratio ${ratio.toFixed(2).padStart(5)} (goal ≤ ${goal}) ${ratio <= goal ? 'ok' : 'OVER'}`);
}
console.log(`  (${har.kept} of ${ENTRIES} entries kept past the fast path; ${har.flows} flows)`);
report('fast path reject / new URL()', fast.ratio, 1, `${fast.rejectNs.toFixed(0)} ns vs ${fast.urlNs.toFixed(0)} ns`);
report(`HAR audit / JSON.parse (${ENTRIES} entries)`, har.ratio, 1.5, `${har.auditMs.toFixed(0)} ms vs ${har.parseMs.toFixed(0)} ms`);
report('HAR audit streamed (CLI) / JSON.parse', har.streamRatio, 1.5, `${har.streamMs.toFixed(0)} ms vs ${har.parseMs.toFixed(0)} ms`);
