/**
 * Long-session memory benchmark (issue 12, "Memory"), run by scripts/bench.mjs
 * with --expose-gc and tsx. Replays 100,000 ordinary requests interleaved with
 * 200 complete logins into the worker's own Capture + EventLog (DEFAULT_LIMITS,
 * in-memory storage.session); the workload is test/support/long-session.ts,
 * shared with test/background/long-session.test.ts.
 * Ratios:
 *  - heap the session holds at its end (after a forced GC) / heap the same 200
 *    logins hold without the ordinary requests: ordinary requests keep no state;
 *  - peak bytes in storage.session (JSON length of every item) / EventLog's maxBytes.
 * Both as Chrome delivers the events (Referer only on watched tabs, token
 * responses from the debugger) and as Firefox does (filterResponseData).
 * Prints a checkpoint table and one `##bench {json}` line per ratio.
 */
import { runLongSession, warmUp } from '../../test/support/long-session.ts';

const REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 100_000);
const FLOWS = Number(process.env.BENCH_MEMORY_FLOWS ?? 200);
const MB = 1024 * 1024;
const mb = (bytes) => (bytes / MB).toFixed(2);
const report = (name, value, goal, detail) => console.log(`##bench ${JSON.stringify({ name, value, goal, detail })}`);

for (const browser of ['chrome', 'firefox']) {
  await warmUp(browser);
  const control = await runLongSession({ requests: 0, flows: FLOWS, browser });
  const session = await runLongSession({ requests: REQUESTS, flows: FLOWS, browser });

  console.log(`${browser}: ${REQUESTS} ordinary requests + ${FLOWS} logins replayed in ${(session.elapsedMs / 1000).toFixed(1)} s`);
  console.log('  requests  heap MB  storage KB  logged  pending  untracked-redirects  secrets  sw-entries  watched-tabs');
  for (const point of session.checkpoints) {
    console.log(
      `  ${String(point.requests).padStart(8)}  ${mb(point.heapUsed).padStart(7)}  ${(point.storageBytes / 1024).toFixed(0).padStart(10)}  ${String(point.loggedEvents).padStart(6)}  ${String(point.pending).padStart(7)}  ${String(point.untrackedRedirects).padStart(19)}  ${String(point.secrets).padStart(7)}  ${String(point.serviceWorkerTabs).padStart(10)}  ${String(point.watchedTabs).padStart(12)}`,
    );
  }
  const complete = session.states.filter((state) => session.complete.has(state)).length;
  console.log(`  logins complete (authorization request, callback, code exchange): ${complete}/${FLOWS}; code exchanges with their token response: ${session.exchangesWithResponse}`);
  console.log(`  heap held at the end: ${mb(session.retained)} MB; the same logins alone: ${mb(control.retained)} MB`);
  if (complete !== FLOWS) {
    console.log(`  LOGINS LOST: ${FLOWS - complete}`);
    process.exitCode = 1;
  }

  const at20k = session.checkpoints.find((point) => point.requests === Math.min(20_000, REQUESTS)) ?? session.checkpoints[0];
  const end = session.checkpoints.at(-1);
  report(
    `${browser}: heap held, requests + logins / logins alone`,
    Number((session.retained / control.retained).toFixed(3)),
    1.1,
    `${REQUESTS} requests + ${FLOWS} logins hold ${mb(session.retained)} MB, the logins alone ${mb(control.retained)} MB; peak heap ${mb(session.peak.heapUsed)} MB; ` +
      `heap at 20k ${mb(at20k.heapUsed)} MB, at the end ${mb(end.heapUsed)} MB (the growth is the logins' ${end.loggedEvents - at20k.loggedEvents} more logged events); ${complete}/${FLOWS} logins complete`,
  );
  report(
    `${browser}: storage.session peak / EventLog maxBytes`,
    Number((session.peak.storageBytes / session.maxBytes).toFixed(3)),
    1,
    `peak ${(session.peak.storageBytes / 1024).toFixed(0)} KB of ${(session.maxBytes / 1024).toFixed(0)} KB, ${end.loggedEvents} events; ` +
      `peak pending ${session.peak.pending}, untracked redirects ${session.peak.untrackedRedirects}, secrets ${session.peak.secrets}, service-worker entries ${session.peak.serviceWorkerTabs}`,
  );
}
