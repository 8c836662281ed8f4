/**
 * Panel render benchmark (run by scripts/bench.mjs with tsx): the time the
 * panel takes from being handed an audit result to showing the flow list and
 * the first flow's timeline, for 2,000 flows over the same for 10 flows, in
 * jsdom, medians of interleaved runs. Goal ≤ 2: the list is virtualised, so
 * the DOM work does not grow with the number of flows.
 * Prints its own lines and one `##bench {json}` line for the runner.
 */
import { performance } from 'node:perf_hooks';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body><div id="app"></div></body></html>', { url: 'https://panel.test/' });
for (const key of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'KeyboardEvent', 'MouseEvent', 'CSS', 'getComputedStyle']) {
  Object.defineProperty(globalThis, key, { value: dom.window[key], configurable: true, writable: true });
}
globalThis.requestAnimationFrame = (cb) => setTimeout(cb, 0);
globalThis.cancelAnimationFrame = (id) => clearTimeout(id);

const { h, render } = await import('preact');
const { act } = await import('preact/test-utils');
const { App } = await import('../../src/panel/components/App.tsx');
const { staticSource } = await import('../../src/panel/sources/static-source.ts');
const { finding, manyFlows, result } = await import('../../test/panel/fixtures.ts');

const RUNS = Number(process.env.BENCH_PANEL_RUNS ?? 25);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const report = (name, value, goal, detail) => console.log(`##bench ${JSON.stringify({ name, value, goal, detail })}`);

function auditResultOf(count) {
  const flows = manyFlows(count);
  const severities = ['info', 'low', 'medium', 'high', 'critical'];
  const findings = flows.flatMap((f, i) =>
    i % 3 === 0 ? [] : [finding('state.weak', f, severities[i % 5], 'weak state', [{ requestId: f.legs[0].id, where: 'url.query.state', excerpt: 'abcd' }])],
  );
  return result(flows, findings);
}

/** Milliseconds from handing the panel an audit result to the list and the first flow's timeline on screen. */
async function renderOnce(auditResult) {
  const root = document.getElementById('app');
  const events = auditResult.analysis.events;
  const auditFn = () => Promise.resolve(auditResult);
  const start = performance.now();
  await act(async () => {
    render(h(App, { source: staticSource('bench', events), auditFn, now: 0 }), root);
  });
  for (let i = 0; i < 50 && !root.querySelector('[data-leg-id]'); i++) await act(async () => {});
  const elapsed = performance.now() - start;
  if (!root.querySelector('[role=option]') || !root.querySelector('[data-leg-id]')) throw new Error('the panel did not render the flows');
  const rows = root.querySelectorAll('[role=option]').length;
  await act(async () => render(null, root));
  return { elapsed, rows };
}

const small = auditResultOf(10);
const large = auditResultOf(2000);
// Warm up (JIT, module init) before measuring.
for (let i = 0; i < 3; i++) {
  await renderOnce(small);
  await renderOnce(large);
}
const times = { small: [], large: [] };
let domRows = 0;
for (let i = 0; i < RUNS; i++) {
  globalThis.gc?.();
  times.small.push((await renderOnce(small)).elapsed);
  globalThis.gc?.();
  const run = await renderOnce(large);
  times.large.push(run.elapsed);
  domRows = run.rows;
}
const smallMs = median(times.small);
const largeMs = median(times.large);
console.log(`panel render, 10 flows:    ${smallMs.toFixed(1)} ms (median of ${RUNS})`);
console.log(`panel render, 2,000 flows: ${largeMs.toFixed(1)} ms (median of ${RUNS}); ${domRows} list rows in the DOM`);
console.log(`ratio: ${(largeMs / smallMs).toFixed(2)} (goal ≤ 2)`);
report('panel render 2,000 flows / 10 flows', largeMs / smallMs, 2, `${largeMs.toFixed(1)} ms vs ${smallMs.toFixed(1)} ms, jsdom`);
