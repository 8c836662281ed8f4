/**
 * The service worker (Firefox: the background script). Every listener is
 * registered synchronously at the top level, so the browser wakes the worker
 * for it; state comes back from storage.session before anything is written.
 */
import { audit } from '../core/audit.ts';
import { analyze } from '../core/flows/analyze.ts';
import type { Report } from '../core/model.ts';
import { onConnect, onMessage, type Port } from '../platform/messaging.ts';
import { sessionStorage } from '../platform/session-storage.ts';
import { extensionVersion, keepAlive, onBeforeNavigate, onCreatedNavigationTarget, onTabRemoved, setBadge } from '../platform/tabs.ts';
import { debuggerPermissionOffered } from '../platform/debugger.ts';
import {
  canFilterResponses,
  readResponseBody,
  registerWebRequestListeners,
  unwatchTab,
  watchTab,
  watchedTabs,
  type WebRequestHandlers,
} from '../platform/web-request.ts';
import { registerActiveHandlers } from './active.ts';
import { Capture, WATCH_IDLE_MS } from './capture.ts';
import { DebuggerBodies } from './debugger-bodies.ts';
import { EventLog } from './event-log.ts';
import {
  BODY_RESUME_MESSAGE,
  BODY_STATUS_MESSAGE,
  type BodyResumeRequest,
  type BodyStatusRequest,
  PANEL_PORT,
  REPORT_MESSAGE,
  RESPONSE_BODY_MESSAGE,
  type PanelToWorker,
  type ReportRequest,
  type ResponseBodyMessage,
  type WorkerToPanel,
} from '../core/protocol/worker-panel.ts';
import { toJsonReport } from '../core/report/json.ts';
import { mergeReports } from './report.ts';
import { countDeliveries, exposeAttachLog, exposeListeners, openReportPage } from './e2e-hooks.ts';
import { KeyFetcher } from './key-fetcher.ts';
import { readSettings } from '../platform/settings.ts';

declare const __OAUTH_LENS_E2E__: boolean | undefined;
const E2E = typeof __OAUTH_LENS_E2E__ !== 'undefined' && __OAUTH_LENS_E2E__;

/** Test builds: the handlers count what the browser hands the worker, by tab and request type. Store builds: the handlers as they are. */
function countedInTests(handlers: WebRequestHandlers): WebRequestHandlers {
  return E2E ? countDeliveries(handlers) : handlers;
}

const log = new EventLog(sessionStorage);

// Chrome: token responses through chrome.debugger, once the user granted the optional permission.
const bodies = debuggerPermissionOffered()
  ? new DebuggerBodies({
      store: sessionStorage,
      deliver: (message) => void capture.responseBody(message),
      isKnownMetadata: (url) => capture.assembler.secrets.isMetadata(url),
      recentFlowTabs: () => log.meta.watched,
    })
  : undefined;

// Synchronously, at the top level (so the browser wakes the worker for them); events come
// only after this script has run, so `capture` is there by then.
const listenMode = registerWebRequestListeners(
  countedInTests({
    beforeRequest: (details) => {
      heard();
      capture.handlers.beforeRequest(details);
    },
    sendHeaders: (details) => capture.handlers.sendHeaders(details),
    headersReceived: (details) => capture.handlers.headersReceived(details),
    beforeRedirect: (details) => capture.handlers.beforeRedirect(details),
    completed: (details) => capture.handlers.completed(details),
    errorOccurred: (details) => capture.handlers.errorOccurred(details),
  }),
);

// --- Chrome: the worker stays up while the browser is in use ------------------
// A tab's own listeners go in when its first leg reaches the worker. A worker that Chrome
// stopped after 30 idle seconds first has to start, and meanwhile an AS that answers at once
// sends the browser to a callback page whose images load unheard (measured: a Referer leaking
// the code was missed in 8 logins of 8 from a stopped worker, seen in each from a running
// one). So the worker stays up while a flow is under way, and for LINGER_MS after the last
// request it heard; past that it may stop, and the next request starts it again.
const LINGER_MS = 5 * 60_000;
let lastHeard = Date.now();
let lingering = false;
let flowsUnderWay = false;

function heard(): void {
  if (listenMode !== 'per-tab') return;
  lastHeard = Date.now();
  if (!lingering) {
    lingering = true;
    keepAlive(true);
  }
}

function flowUnderWay(on: boolean): void {
  flowsUnderWay = on;
  if (on) heard();
}

setInterval(() => {
  if (lingering && !flowsUnderWay && Date.now() - lastHeard > LINGER_MS) {
    lingering = false;
    keepAlive(false);
  }
}, 60_000);

const capture = new Capture({
  log,
  bodyState: 'unavailable',
  // Chrome: images, scripts… and Referer/Origin/Cookie only in tabs with a flow under way (see registerWebRequestListeners).
  ...(listenMode === 'per-tab' ? { watchTab: (tabId: number, handlers: WebRequestHandlers) => watchTab(tabId, countedInTests(handlers)), unwatchTab, keepAlive: flowUnderWay } : {}),
  ...(canFilterResponses ? { readResponseBody } : {}),
  onTabChanged: (tabId) => {
    scheduleBadge(tabId);
    schedulePanelUpdate(tabId);
  },
  ...(bodies ? { onTracked: (details) => bodies.request(details) } : {}),
});

onCreatedNavigationTarget(({ tabId, sourceTabId }) => void capture.openedBy(tabId, sourceTabId));
onTabRemoved((tabId) => {
  void capture.tabRemoved(tabId);
  bodies?.tabRemoved(tabId);
});
if (bodies) onBeforeNavigate(({ tabId, url }) => bodies.navigation(tabId, url));

// Active checks (re-runs on the user's click): their own requests are logged in the tab's capture.
registerActiveHandlers({
  record: async (tabId, events) => {
    await log.ready;
    const tab = capture.logicalTab(tabId);
    await log.append(tab, events);
    scheduleBadge(tab);
    schedulePanelUpdate(tab);
  },
  flowFor: async (tabId, flowId) => {
    await log.ready;
    return analyze(log.get(capture.logicalTab(tabId))?.events ?? []).flows.find((flow) => flow.id === flowId);
  },
});

// The issuer's keys the capture lacks, fetched only while the setting is on; logged in the tab as the inspector's own.
const keys = new KeyFetcher({
  fetch: (url, init) => fetch(url, init),
  enabled: async () => (await readSettings()).fetchKeys,
  record: async (tabId, events) => {
    await log.append(tabId, events);
    schedulePanelUpdate(tabId);
  },
});

onMessage((message) => {
  if (isMessage<ReportRequest>(message, REPORT_MESSAGE)) return reportFor(message.tabId, message.reveal ?? false);
  if (isMessage<ResponseBodyMessage>(message, RESPONSE_BODY_MESSAGE)) return capture.responseBody(message);
  if (isMessage<BodyStatusRequest>(message, BODY_STATUS_MESSAGE)) {
    return bodies ? bodies.status(message.tabId) : Promise.resolve({ offered: false, granted: false, tab: 'no-permission' });
  }
  if (isMessage<BodyResumeRequest>(message, BODY_RESUME_MESSAGE)) return bodies ? bodies.resume().then(() => true) : Promise.resolve(false);
  return undefined;
});

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

async function reportFor(tabId: number | undefined, reveal: boolean): Promise<Report> {
  await log.ready;
  const tabs = tabId === undefined ? log.tabs() : [capture.logicalTab(tabId)];
  const reports: Report[] = [];
  for (const tab of tabs) {
    const tabLog = log.get(tab);
    const result = await audit(tabLog?.events ?? [], await keys.optionsFor(tab));
    reports.push(toJsonReport(result, { reveal, dropped: tabLog?.dropped ?? 0, toolVersion: extensionVersion(), ...(tabLog?.notice ? { warnings: [tabLog.notice] } : {}) }));
  }
  return reports.length === 1 && reports[0] ? reports[0] : mergeReports(reports, extensionVersion());
}

// --- badge: high and critical findings of the tab -----------------------------

const badgeTimers = new Map<number, ReturnType<typeof setTimeout>>();

function scheduleBadge(tabId: number): void {
  if (badgeTimers.has(tabId)) return;
  badgeTimers.set(
    tabId,
    setTimeout(() => {
      badgeTimers.delete(tabId);
      void updateBadge(tabId);
    }, 300),
  );
}

async function updateBadge(tabId: number): Promise<void> {
  const events = log.get(tabId)?.events ?? [];
  const { findings } = await audit(events, await keys.optionsFor(tabId));
  await setBadge(tabId, findings.filter((finding) => finding.severity === 'high' || finding.severity === 'critical').length);
}

// --- the panel's port: snapshots of the tab's events --------------------------

/** Logical tab -> the ports watching it, each with the tab id it asked for. */
const subscribers = new Map<number, Map<Port, number>>();
const panelTimers = new Map<number, ReturnType<typeof setTimeout>>();

function snapshot(tabId: number, askedFor = tabId): WorkerToPanel {
  const tabLog = log.get(tabId);
  return { type: 'snapshot', tabId: askedFor, events: tabLog?.events ?? [], dropped: tabLog?.dropped ?? 0, ...(tabLog?.notice ? { notice: tabLog.notice } : {}) };
}

function postSnapshots(tabId: number): void {
  for (const [port, askedFor] of subscribers.get(tabId) ?? []) port.post(snapshot(tabId, askedFor));
}

function schedulePanelUpdate(tabId: number): void {
  if (!subscribers.get(tabId)?.size || panelTimers.has(tabId)) return;
  panelTimers.set(
    tabId,
    setTimeout(() => {
      panelTimers.delete(tabId);
      postSnapshots(tabId);
    }, 100),
  );
}

onConnect(PANEL_PORT, (port) => {
  let subscribed: number | undefined;
  port.onMessage((raw) => {
    const message = raw as PanelToWorker;
    void (async () => {
      await log.ready;
      const tabId = capture.logicalTab(message.tabId);
      if (message.type === 'subscribe') {
        if (subscribed !== undefined) subscribers.get(subscribed)?.delete(port);
        subscribed = tabId;
        if (!subscribers.has(tabId)) subscribers.set(tabId, new Map());
        subscribers.get(tabId)?.set(port, message.tabId);
        port.post(snapshot(tabId, message.tabId));
      } else if (message.type === 'clear') {
        await log.clear(tabId);
        scheduleBadge(tabId);
        postSnapshots(tabId);
      }
    })();
  });
  port.onDisconnect(() => {
    if (subscribed !== undefined) subscribers.get(subscribed)?.delete(port);
  });
});

// --- test builds only ----------------------------------------------------------
// (A static import: a service worker may not use import().)
if (E2E) {
  if (canFilterResponses) openReportPage();
  exposeListeners(listenMode, watchedTabs, () => capture.expireWatches(Date.now() + WATCH_IDLE_MS + 1));
  // Chrome: which tabs the debugger was attached to (Playwright's own CDP sessions make getTargets() say every page is).
  if (bodies) exposeAttachLog(bodies.attachLog);
}
