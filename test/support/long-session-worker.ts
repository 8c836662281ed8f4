/**
 * The worker under test in a long session: the real Capture and EventLog
 * (DEFAULT_LIMITS) over an in-memory storage.session that tracks the bytes
 * stored, wired as the worker wires them for Chrome or for Firefox, and the
 * one place that delivers a replayed step the way that browser would.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Capture } from '../../src/background/capture.ts';
import { DEFAULT_LIMITS, EventLog } from '../../src/background/event-log.ts';
import type { SendHeadersDetails } from '../../src/core/ingest/from-webrequest.ts';
import type { BodyReader } from '../../src/platform/web-request.ts';
import { memoryStore } from '../background/memory-store.ts';
import type { Step } from './long-session-traffic.ts';

/** global.gc when node runs with --expose-gc, else the same function exposed at run time. */
export function forceGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** storage.session stand-in that tracks the JSON size of everything stored (key + value), and its peak. */
export function measuredStore() {
  const inner = memoryStore();
  const sizes = new Map<string, number>();
  let bytes = 0;
  let peak = 0;
  const account = (key: string, size: number) => {
    bytes += size - (sizes.get(key) ?? 0);
    if (size === 0) sizes.delete(key);
    else sizes.set(key, size);
    peak = Math.max(peak, bytes);
  };
  return {
    getAll: () => inner.getAll(),
    async set(values: Record<string, unknown>) {
      await inner.set(values);
      for (const [key, value] of Object.entries(values)) account(key, key.length + JSON.stringify(value).length);
    },
    async remove(keys: string[]) {
      await inner.remove(keys);
      for (const key of keys) account(key, 0);
    },
    bytes: () => bytes,
    peak: () => peak,
  };
}

/** Chrome hides these from a listener without `extraHeaders` (the global one). */
const EXTRA_HEADERS = new Set(['referer', 'origin', 'cookie']);

/**
 * `chrome`: the global onSendHeaders listener sees no Referer/Origin/Cookie, a
 * watched tab's own listener sees them all; token responses come from the
 * debugger (`capture.responseBody`). `firefox`: every header to the one
 * listener; token responses through filterResponseData (`readResponseBody`).
 */
export async function captureWorker(browser: 'chrome' | 'firefox', now: () => number) {
  const firefox = browser === 'firefox';
  const store = measuredStore();
  const log = new EventLog(store, DEFAULT_LIMITS, now);
  const headerListeners = new Map<number, (details: SendHeadersDetails) => void>();
  const bodyReaders = new Map<string, BodyReader>();
  const capture = new Capture(
    firefox
      ? {
          log,
          now,
          bodyState: 'none',
          readResponseBody: (requestId, reader) => {
            bodyReaders.set(requestId, reader);
            return true;
          },
        }
      : {
          log,
          now,
          bodyState: 'unavailable',
          watchHeaders: (tabId, handler) => headerListeners.set(tabId, handler),
          unwatchHeaders: (tabId) => headerListeners.delete(tabId),
        },
  );
  await log.ready;
  let orphanedBodies = 0;
  const h = capture.handlers;

  const deliver = (step: NonNullable<Step>): void => {
    switch (step.on) {
      case 'beforeRequest':
        return h.beforeRequest(step.details);
      case 'sendHeaders': {
        if (firefox) return h.sendHeaders(step.details);
        const all = step.details.requestHeaders ?? [];
        h.sendHeaders({ ...step.details, requestHeaders: all.filter((header) => !EXTRA_HEADERS.has(header.name.toLowerCase())) });
        return headerListeners.get(step.details.tabId)?.(step.details);
      }
      case 'beforeRedirect':
        return h.beforeRedirect(step.details);
      case 'completed':
        return h.completed(step.details);
      case 'errorOccurred':
        return h.errorOccurred(step.details);
      case 'responseBody': {
        if (!firefox) return void capture.responseBody(step.message).then((attached) => void (attached || orphanedBodies++));
        const reader = bodyReaders.get(step.requestId);
        bodyReaders.delete(step.requestId);
        if (reader) reader.onBody(step.message.body);
        else orphanedBodies++;
        return;
      }
    }
  };

  return {
    capture,
    log,
    store,
    deliver,
    /** Tabs with Chrome's costly header listener right now. */
    watchedTabs: () => headerListeners.size,
    /** Firefox: token responses being read whose body has not come yet. */
    bodyReaders: () => bodyReaders.size,
    /** Token responses no logged event took when they came. */
    orphanedBodies: () => orphanedBodies,
  };
}
