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
import type { BodyReader, WebRequestHandlers } from '../../src/platform/web-request.ts';
import { memoryStore } from '../background/memory-store.ts';
import type { Step } from './long-session-traffic.ts';

let exposedGc: (() => void) | undefined;

/**
 * global.gc when node runs with --expose-gc, else the same function exposed at
 * run time (once: each new context costs heap of its own).
 */
export function forceGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  if (!exposedGc) {
    setFlagsFromString('--expose-gc');
    exposedGc = runInNewContext('gc') as () => void;
  }
  return exposedGc;
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
 * Chrome, as registerWebRequestListeners sets it up ('per-tab' mode, src/platform/web-request.ts):
 * the global listeners take only the types that can start a flow; onSendHeaders only fetch/XHR.
 */
const FLOW_START_TYPES = new Set(['main_frame', 'sub_frame', 'xmlhttprequest']);

/**
 * `chrome`: the global listeners see navigations and fetch/XHR (request headers
 * of fetch/XHR only, without Referer/Origin/Cookie); a tab with a flow under
 * way gets its own listeners (`watchTab`) for every other type and every
 * request's headers; token responses come from the debugger
 * (`capture.responseBody`). `firefox`: every event of every tab to the global
 * listeners, every header; token responses through filterResponseData.
 */
export async function captureWorker(browser: 'chrome' | 'firefox', now: () => number) {
  const firefox = browser === 'firefox';
  const store = measuredStore();
  const log = new EventLog(store, DEFAULT_LIMITS, now);
  const tabListeners = new Map<number, WebRequestHandlers>();
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
          watchTab: (tabId, handlers) => tabListeners.set(tabId, handlers),
          unwatchTab: (tabId) => tabListeners.delete(tabId),
        },
  );
  await log.ready;
  let orphanedBodies = 0;
  const h = capture.handlers;

  const deliver = (step: NonNullable<Step>): void => {
    if (step.on === 'responseBody') {
      if (!firefox) return void capture.responseBody(step.message).then((attached) => void (attached || orphanedBodies++));
      const reader = bodyReaders.get(step.requestId);
      bodyReaders.delete(step.requestId);
      if (reader) reader.onBody(step.message.body);
      else orphanedBodies++;
      return;
    }
    const type = step.details.type;
    // Which listeners the browser hands this event to: the global ones, the tab's own (Chrome), or both.
    const global = firefox || FLOW_START_TYPES.has(type) ? h : undefined;
    const tab = firefox ? undefined : tabListeners.get(step.details.tabId);
    switch (step.on) {
      case 'beforeRequest':
        return (global ?? tab)?.beforeRequest(step.details);
      case 'sendHeaders': {
        if (firefox) return h.sendHeaders(step.details);
        const all = step.details.requestHeaders ?? [];
        if (type === 'xmlhttprequest') h.sendHeaders({ ...step.details, requestHeaders: all.filter((header) => !EXTRA_HEADERS.has(header.name.toLowerCase())) });
        return tab?.sendHeaders(step.details);
      }
      case 'beforeRedirect':
        return (global ?? tab)?.beforeRedirect(step.details);
      case 'completed':
        return (global ?? tab)?.completed(step.details);
      case 'errorOccurred':
        return (global ?? tab)?.errorOccurred(step.details);
    }
  };

  return {
    capture,
    log,
    store,
    deliver,
    /** Chrome: tabs with listeners of their own right now. */
    watchedTabs: () => tabListeners.size,
    /** Firefox: token responses being read whose body has not come yet. */
    bodyReaders: () => bodyReaders.size,
    /** Token responses no logged event took when they came. */
    orphanedBodies: () => orphanedBodies,
  };
}
