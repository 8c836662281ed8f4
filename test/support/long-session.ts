/**
 * A long browsing session replayed into the worker's own capture code
 * (Capture + EventLog with DEFAULT_LIMITS over an in-memory storage.session):
 * `requests` ordinary requests over many origins and tabs, interleaved with
 * `flows` complete logins, on a simulated clock. Measures the heap (after a
 * forced GC), the bytes in storage and the worker's maps at checkpoints.
 * Shared by test/background/long-session.test.ts and scripts/bench/memory.mjs.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { WATCH_IDLE_MS } from '../../src/background/capture.ts';
import { DEFAULT_LIMITS } from '../../src/background/event-log.ts';
import { analyze } from '../../src/core/flows/analyze.ts';
import { authorizationLeg, callbackLeg, codeExchangeLeg } from '../../src/core/flows/legs.ts';
import { oauthFlow } from './long-session-flows.ts';
import { seeded, Traffic, unrelatedRequest, type Actor } from './long-session-traffic.ts';
import { captureWorker, forceGc } from './long-session-worker.ts';

export { forceGc };

export interface LongSessionOptions {
  requests: number;
  flows: number;
  /** Tabs that run the logins (the log keeps at most 20). */
  flowTabs?: number;
  /** Tabs with ordinary pages only; one of them closes and a new one opens now and then. */
  pageTabs?: number;
  /** Requests in flight at once (their events interleave). */
  inFlight?: number;
  /** A checkpoint every this many ordinary requests. */
  checkpointEvery?: number;
  seed?: number;
  /**
   * `chrome` (default): Referer/Origin/Cookie only for watched tabs, token
   * responses from the debugger after onCompleted. `firefox`: every header to
   * the one listener, token responses read by filterResponseData.
   */
  browser?: 'chrome' | 'firefox';
}

export interface Checkpoint {
  requests: number;
  heapUsed: number;
  storageBytes: number;
  loggedEvents: number;
  pending: number;
  untrackedRedirects: number;
  secrets: number;
  serviceWorkerTabs: number;
  watchedTabs: number;
  /** Firefox: token responses being read (filterResponseData) whose body has not come yet. */
  bodyReaders: number;
}

export interface LongSessionResult {
  checkpoints: Checkpoint[];
  /**
   * Heap held by the session at its end: the heap then, less the heap once the
   * session is let go (both after a forced GC), so code compiled on the way
   * does not count.
   */
  retained: number;
  peak: { heapUsed: number; storageBytes: number; pending: number; untrackedRedirects: number; secrets: number; serviceWorkerTabs: number; watchedTabs: number; bodyReaders: number };
  maxBytes: number;
  /** States of the logins started, and of those the engine finds complete (authorization request, callback, code exchange). */
  states: string[];
  complete: Set<string>;
  /** Code exchanges whose token response was attached to their event. */
  exchangesWithResponse: number;
  logTabs: number;
  dropped: number;
  notices: string[];
  orphanedBodies: number;
  elapsedMs: number;
}

export async function runLongSession(options: LongSessionOptions): Promise<LongSessionResult> {
  const result = await replay(options);
  // Past the log's write delay: no timer of the session is left to hold it.
  await new Promise((resolve) => setTimeout(resolve, 60));
  // Nothing of the session is reachable any more (its timers are done): what the GC frees is what it held.
  const gc = forceGc();
  gc();
  gc();
  result.retained = (result.checkpoints.at(-1)?.heapUsed ?? 0) - process.memoryUsage().heapUsed;
  return result;
}

/**
 * Runs a short session first, so that neither measured run pays for compiling
 * the code (or for the engine's own first-use tables): with it, the heap held
 * by the same session repeats within about 0.1 MB.
 */
export async function warmUp(browser: LongSessionOptions['browser'] = 'chrome'): Promise<void> {
  await runLongSession({ requests: 5_000, flows: 200, browser });
}

async function replay(options: LongSessionOptions): Promise<LongSessionResult> {
  const { requests, flows, flowTabs = 15, pageTabs = 15, inFlight = 12, checkpointEvery = 10_000, seed = 12, browser = 'chrome' } = options;
  const started = performance.now();
  const gc = forceGc();
  let clock = 1_800_000_000_000;
  const now = () => clock;
  const traffic = new Traffic(seeded(seed), now, browser === 'firefox');
  const worker = await captureWorker(browser, now);
  const { capture, log, store } = worker;

  const flowTabIds = Array.from({ length: flowTabs }, (_, i) => i + 1);
  const pageTabIds = Array.from({ length: pageTabs }, (_, i) => flowTabs + i + 1);
  let nextTabId = flowTabs + pageTabs + 1;
  const states: string[] = [];
  const later: { at: number; actor: Actor }[] = [];
  let unrelated = 0;
  const flowEvery = requests / flows;

  const nextActor = (): Actor | undefined => {
    const due = later.findIndex((entry) => entry.at <= unrelated);
    if (due >= 0) return later.splice(due, 1)[0]?.actor;
    if (states.length < flows && unrelated >= states.length * flowEvery) {
      const n = states.length;
      const flow = oauthFlow(traffic, {
        n,
        tabId: flowTabIds[n % flowTabs] ?? 1,
        serviceWorkerToken: n % 10 === 3,
        userinfo: n % 2 === 0,
        ...(n % 3 === 0 ? { refreshLater: (actor: Actor) => later.push({ at: unrelated + 500 + traffic.int(3000), actor }) } : {}),
      });
      states.push(flow.state);
      return flow.actor;
    }
    if (unrelated < requests) {
      unrelated += 1;
      const roll = traffic.random();
      const tabId = roll < 0.1 ? -1 : roll < 0.4 ? traffic.pick(flowTabIds) : traffic.pick(pageTabIds);
      return unrelatedRequest(traffic, tabId);
    }
    return later.shift()?.actor;
  };

  const checkpoints: Checkpoint[] = [];
  const peak = { heapUsed: 0, storageBytes: 0, pending: 0, untrackedRedirects: 0, secrets: 0, serviceWorkerTabs: 0, watchedTabs: 0, bodyReaders: 0 };
  const maps = () => ({
    pending: capture.assembler.pendingCount,
    untrackedRedirects: capture.assembler.untrackedRedirectCount,
    secrets: capture.assembler.secrets.size + capture.assembler.secrets.keySetUrls.size,
    serviceWorkerTabs: capture.serviceWorkerTabs.size,
    watchedTabs: worker.watchedTabs(),
    bodyReaders: worker.bodyReaders(),
  });
  const trackPeaks = () => {
    const now = maps();
    for (const key of Object.keys(now) as (keyof typeof now)[]) peak[key] = Math.max(peak[key], now[key]);
  };
  const settle = async () => {
    for (let i = 0; i < 3; i++) await nextMacrotask();
    await log.flush();
  };
  const checkpoint = async () => {
    await settle();
    gc();
    gc();
    const loggedEvents = log.tabs().reduce((sum, tab) => sum + (log.get(tab)?.events.length ?? 0), 0);
    trackPeaks();
    const point = { requests: unrelated, heapUsed: process.memoryUsage().heapUsed, storageBytes: store.bytes(), loggedEvents, ...maps() };
    checkpoints.push(point);
    peak.heapUsed = Math.max(peak.heapUsed, point.heapUsed);
  };

  const slots: Actor[] = [];
  let ticks = 0;
  let nextCheckpoint = checkpointEvery;
  for (;;) {
    while (slots.length < inFlight) {
      const actor = nextActor();
      if (!actor) break;
      slots.push(actor);
    }
    if (slots.length === 0) break;
    const index = traffic.int(slots.length);
    clock += 1 + traffic.int(25);
    const step = slots[index]?.next();
    if (!step || step.done) {
      slots.splice(index, 1);
      continue;
    }
    const value = step.value;
    if (value) {
      // The browser delivers each event as a task of its own: the worker's async
      // work for a request it keeps (logging, a body) is done before the next one.
      const id = value.on === 'responseBody' ? undefined : value.details.requestId;
      const kept = id === undefined || capture.assembler.isTracked(id);
      worker.deliver(value);
      if (kept || capture.assembler.isTracked(id)) await nextMacrotask();
    }
    peak.pending = Math.max(peak.pending, capture.assembler.pendingCount);
    peak.untrackedRedirects = Math.max(peak.untrackedRedirects, capture.assembler.untrackedRedirectCount);
    if (ticks % 64 === 0) trackPeaks();
    if (++ticks % 256 === 0) {
      capture.expireWatches();
      await nextMacrotask();
    }
    if (ticks % 20_000 === 0) {
      // A page tab closes; another opens.
      const at = traffic.int(pageTabIds.length);
      await capture.tabRemoved(pageTabIds[at] ?? 0);
      pageTabIds[at] = nextTabId++;
    }
    if (unrelated >= nextCheckpoint && unrelated <= requests) {
      nextCheckpoint += checkpointEvery;
      await checkpoint();
    }
  }
  await settle();
  const complete = new Set<string>();
  let exchangesWithResponse = 0;
  let dropped = 0;
  const notices: string[] = [];
  for (const tab of log.tabs()) {
    const tabLog = log.get(tab);
    if (!tabLog) continue;
    dropped += tabLog.dropped;
    if (tabLog.notice) notices.push(`tab ${tab}: ${tabLog.notice}`);
    for (const flow of analyze(tabLog.events).flows) {
      const exchange = codeExchangeLeg(flow);
      const state = authorizationLeg(flow)?.params.state;
      if (state === undefined || !callbackLeg(flow) || !exchange) continue;
      complete.add(state);
      if (exchange.response?.access_token !== undefined) exchangesWithResponse += 1;
    }
  }
  // The worker's expiry timer stops once no tab is watched. Measured last, so the heap
  // at the end and the heap once the session is let go are taken back to back.
  clock += WATCH_IDLE_MS + 1;
  capture.expireWatches();
  // Its storage write (the meta that forgot the watches) is done, so no timer holds the session.
  await log.flush();
  await checkpoint();
  peak.storageBytes = store.peak();
  return {
    checkpoints,
    retained: 0,
    peak,
    maxBytes: DEFAULT_LIMITS.maxBytes ?? Number.POSITIVE_INFINITY,
    states,
    complete,
    exchangesWithResponse,
    logTabs: log.tabs().length,
    dropped,
    notices,
    orphanedBodies: worker.orphanedBodies(),
    elapsedMs: performance.now() - started,
  };
}
