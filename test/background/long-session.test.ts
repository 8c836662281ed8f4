/**
 * Issue 12, "Memory": a long session through the worker's own capture code
 * (Capture + EventLog with DEFAULT_LIMITS over an in-memory storage.session).
 * 100,000 ordinary requests must keep no state: the worker holds as much
 * after them as after the same 200 logins alone, and every login survives.
 * Chrome (headers by tab, token responses from the debugger) and Firefox
 * (every header, token responses through filterResponseData).
 * The same replay is `npm run bench -- memory` (scripts/bench/memory.mjs).
 */
import { describe, expect, it } from 'vitest';
import { runLongSession, warmUp, type LongSessionResult } from '../support/long-session.ts';

const FLOW_TABS = 15;
const IN_FLIGHT = 12;
const MB = 1024 * 1024;

const last = (result: LongSessionResult) => result.checkpoints.at(-1)!;

describe('a long session through the capture worker', () => {
  // The full size as Chrome delivers it; Firefox's path (filterResponseData) at a third, to keep the suite quick
  // (scripts/bench/memory.mjs runs both at full size).
  it.each([
    ['chrome', 100_000, 200],
    ['firefox', 30_000, 60],
  ] as const)('%s: keeps %i ordinary requests and %i logins with heap, maps and storage.session bounded, every login complete', async (browser, requests, flows) => {
    await warmUp(browser);
    const control = await runLongSession({ requests: 0, flows, flowTabs: FLOW_TABS, inFlight: IN_FLIGHT, browser });
    const session = await runLongSession({ requests, flows, flowTabs: FLOW_TABS, inFlight: IN_FLIGHT, browser });
    const at20k = session.checkpoints.find((point) => point.requests === 20_000)!;
    expect(at20k).toBeDefined();
    console.log(
      `long session (${browser}): ${requests} requests + ${flows} logins in ${(session.elapsedMs / 1000).toFixed(1)} s; ` +
        `heap held ${(session.retained / MB).toFixed(2)} MB (the logins alone: ${(control.retained / MB).toFixed(2)} MB), ` +
        `heap at 20k ${(at20k.heapUsed / MB).toFixed(1)} MB, at the end ${(last(session).heapUsed / MB).toFixed(1)} MB (peak ${(session.peak.heapUsed / MB).toFixed(1)} MB); ` +
        `storage.session peak ${session.peak.storageBytes} bytes of ${session.maxBytes}; ${last(session).loggedEvents} events logged; ` +
        `peak pending ${session.peak.pending}, untracked redirects ${session.peak.untrackedRedirects}, secrets ${session.peak.secrets}, ` +
        `service-worker entries ${session.peak.serviceWorkerTabs}, watched tabs ${session.peak.watchedTabs}`,
    );

    // Every login is complete: authorization request, callback, code exchange (with its token response).
    expect(session.states).toHaveLength(flows);
    expect(session.states.filter((state) => !session.complete.has(state))).toEqual([]);
    expect(session.exchangesWithResponse).toBe(flows);
    expect(session.orphanedBodies).toBe(0);
    expect({ dropped: session.dropped, notices: session.notices, tabs: session.logTabs }).toEqual({ dropped: 0, notices: [], tabs: FLOW_TABS });

    // Ordinary requests leave nothing behind: what the worker keeps equals what the logins alone leave.
    const kept = (result: LongSessionResult) => {
      const { loggedEvents, secrets, serviceWorkerTabs, pending, untrackedRedirects } = last(result);
      return { loggedEvents, secrets, serviceWorkerTabs, pending, untrackedRedirects };
    };
    expect(kept(session)).toEqual(kept(control));
    expect(kept(session)).toMatchObject({ pending: 0, untrackedRedirects: 0 });
    // While running, the per-request maps hold at most the requests in flight.
    expect(session.peak.pending).toBeLessThanOrEqual(IN_FLIGHT);
    expect(session.peak.untrackedRedirects).toBeLessThanOrEqual(IN_FLIGHT);
    expect(session.peak.bodyReaders).toBeLessThanOrEqual(IN_FLIGHT);
    // Chrome: the costly header listener only on tabs with a flow under way (Firefox needs none).
    expect(session.peak.watchedTabs).toBe(browser === 'chrome' ? FLOW_TABS : 0);

    // storage.session: the peak stays under EventLog's byte budget.
    expect(session.peak.storageBytes).toBeGreaterThan(0);
    expect(session.peak.storageBytes).toBeLessThan(session.maxBytes);

    // Heap (after a forced GC): the ordinary requests cost under 1 MB in all over the logins alone (10-35 bytes each).
    expect(control.retained).toBeGreaterThan(0);
    expect(session.retained - control.retained).toBeLessThan(1 * MB);
  }, 120_000);
});
