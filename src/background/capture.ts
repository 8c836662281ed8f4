/**
 * The capture pipeline: webRequest details -> assembler -> the logical tab's
 * event log. Knows nothing of chrome.*: the platform calls come in as `deps`,
 * so tests drive it with plain detail objects.
 */
import { bodyParams } from '../core/oauth/params.ts';
import { WebRequestAssembler, type BeforeRequestDetails } from '../core/ingest/from-webrequest.ts';
import { ServiceWorkerTabs } from '../core/ingest/service-worker-tabs.ts';
import type { RequestEvent } from '../core/model.ts';
import type { WebRequestHandlers, BodyReader } from '../platform/web-request.ts';
import type { EventLog } from './event-log.ts';
import type { ResponseBodyMessage } from '../core/protocol/worker-panel.ts';
import { cappedResponseBody } from '../core/ingest/body-cap.ts';
import { isTokenParams } from './cdp-bodies.ts';

/** A tab stops being watched this long after its last OAuth request. */
export const WATCH_IDLE_MS = 10 * 60_000;
/** A body from DevTools waits this long for its event to be logged. */
const ORPHAN_BODY_MS = 30_000;
/** Bodies waiting at most (each up to 256 KB): a page polling a JSON endpoint must not pile them up. */
export const MAX_ORPHAN_BODIES = 32;

export interface CaptureDeps {
  log: EventLog;
  now?: () => number;
  /** Completed responses whose body nobody reads: 'unavailable' (Chrome) or 'none'. */
  bodyState?: 'unavailable' | 'none';
  /**
   * Start/stop the listeners of one tab with a flow under way (Chrome: every
   * request type, request headers with `extraHeaders`); the global listeners
   * see only what can start a flow.
   */
  watchTab?: (tabId: number, handlers: WebRequestHandlers) => void;
  unwatchTab?: (tabId: number) => void;
  keepAlive?: (on: boolean) => void;
  /** Firefox: read a response body from inside onBeforeRequest. */
  readResponseBody?: (requestId: string, reader: BodyReader) => boolean;
  /** A tab's log changed (badge, panel snapshots). */
  onTabChanged?: (tabId: number) => void;
  /** A request the assembler keeps (OAuth-looking): Chrome's debugger attach policy sees it. */
  onTracked?: (details: BeforeRequestDetails) => void;
}

/**
 * A request whose response body is worth reading: a token request (a POST
 * with grant_type, or GitHub's kind: a code with client_id, redirect_uri or a
 * verifier and no grant_type — the same rule as Chrome's debugger reader) or a
 * PAR push (a POST with response_type or request, answered with request_uri
 * and expires_in). Discovery documents and key sets are read too.
 */
export function isTokenRequest(details: BeforeRequestDetails): boolean {
  if (details.method !== 'POST' || !details.requestBody) return false;
  const wanted = ['grant_type', 'response_type', 'request'];
  const form = details.requestBody.formData;
  if (form) return wanted.some((name) => name in form) || isTokenParams(bodyParams({ formData: form }));
  return (
    details.requestBody.raw?.some((part) => {
      if (!part.bytes) return false;
      const text = new TextDecoder().decode(part.bytes.slice(0, 8192));
      return text.includes('grant_type') || /(?:^|&)(?:response_type|request)=/.test(text) || isTokenParams(bodyParams({ text }));
    }) ?? false
  );
}

export class Capture {
  readonly assembler: WebRequestAssembler;
  readonly handlers: WebRequestHandlers;
  /** Which tab a service worker's request (tabId -1) belongs to. */
  readonly serviceWorkerTabs = new ServiceWorkerTabs({ idleMs: WATCH_IDLE_MS });
  private readonly now: () => number;
  private orphanBodies: { message: ResponseBodyMessage; at: number }[] = [];

  /** Bodies waiting for their event (bounded: MAX_ORPHAN_BODIES, ORPHAN_BODY_MS). */
  get orphanBodyCount(): number {
    return this.orphanBodies.length;
  }
  private expiryTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: CaptureDeps) {
    this.now = deps.now ?? Date.now;
    this.assembler = new WebRequestAssembler({
      emit: (event) => void this.store(event),
      bodyState: deps.bodyState ?? 'unavailable',
      // A site's service worker: its requests have no tab; store() finds the tab by their parameters.
      includeNonTab: 'web',
    });
    const a = this.assembler;
    this.handlers = {
      beforeRequest: (details) => {
        a.onBeforeRequest(details);
        if (!a.isTracked(details.requestId)) return;
        this.touchWatch(details.tabId);
        deps.onTracked?.(details);
        if (deps.readResponseBody && (isTokenRequest(details) || (details.method === 'GET' && a.secrets.isMetadata(details.url)))) {
          this.readBody(details.requestId);
        }
      },
      sendHeaders: (details) => a.onSendHeaders(details),
      headersReceived: (details) => {
        a.onHeadersReceived(details);
        if (a.isTracked(details.requestId)) this.touchWatch(details.tabId);
      },
      beforeRedirect: (details) => a.onBeforeRedirect(details),
      completed: (details) => a.onCompleted(details),
      errorOccurred: (details) => a.onErrorOccurred(details),
    };
    void deps.log.ready.then(() => {
      this.restoreWatches();
      this.relearnSecrets();
    });
  }

  /** Worker start: codes and tokens already logged are watched for in later URLs again, and tell service-worker requests their tab. */
  private relearnSecrets(): void {
    const secrets = this.assembler.secrets;
    for (const tab of this.deps.log.tabs()) {
      for (const event of this.deps.log.get(tab)?.events ?? []) {
        this.serviceWorkerTabs.observe(tab, event);
        secrets.learnUrl(event.url);
        secrets.learnUrl(event.redirectUrl);
        secrets.learnForm(event.requestBody?.formData);
        secrets.learnText(event.responseBody?.text);
      }
    }
  }

  /** The tab a tab's traffic belongs to: a popup's opener (followed up the chain). */
  logicalTab(tabId: number): number {
    const openers = this.deps.log.meta.openers;
    let tab = tabId;
    for (let depth = 0; depth < 8; depth++) {
      const opener = openers[String(tab)];
      if (opener === undefined || opener === tab) break;
      tab = opener;
    }
    return tab;
  }

  /** webNavigation.onCreatedNavigationTarget: `tabId` was opened by `sourceTabId`. */
  async openedBy(tabId: number, sourceTabId: number): Promise<void> {
    if (tabId === sourceTabId || tabId < 0 || sourceTabId < 0) return;
    if (this.isWatched(sourceTabId)) this.touchWatch(tabId);
    await this.deps.log.ready;
    this.deps.log.meta.openers[String(tabId)] = sourceTabId;
    await this.deps.log.saveMeta();
    const opener = this.logicalTab(tabId);
    // Events logged before the browser told us who opened the tab move to the opener.
    if (this.deps.log.get(tabId)) {
      await this.deps.log.move(tabId, opener, (event) => ({ ...event, tabId: opener, sourceTabId: event.sourceTabId ?? tabId }));
      this.deps.onTabChanged?.(opener);
    }
  }

  async tabRemoved(tabId: number): Promise<void> {
    this.unwatch(tabId);
    this.serviceWorkerTabs.forget(tabId);
    await this.deps.log.ready;
    delete this.deps.log.meta.openers[String(tabId)];
    delete this.deps.log.meta.watched[String(tabId)];
    await this.deps.log.saveMeta();
  }

  /**
   * A response body read elsewhere (Chrome: the devtools page or the debugger).
   * `tabId` -1: a service worker's response, whose event was logged on the tab
   * it was attributed to; every tab is tried.
   */
  async responseBody(message: ResponseBodyMessage): Promise<boolean> {
    await this.deps.log.ready;
    this.assembler.secrets.learnText(message.body);
    const attached = await this.attachBodyAnywhere(message);
    if (!attached) {
      const now = this.now();
      // Expired ones go here too: retryOrphans runs only when something is logged.
      this.orphanBodies = this.orphanBodies.filter((orphan) => now - orphan.at < ORPHAN_BODY_MS).slice(-(MAX_ORPHAN_BODIES - 1));
      this.orphanBodies.push({ message, at: now });
    }
    return attached;
  }

  private async attachBodyAnywhere(message: ResponseBodyMessage, onlyTab?: number): Promise<boolean> {
    const tabs = message.tabId >= 0 ? [this.logicalTab(message.tabId)] : this.deps.log.tabs();
    for (const tab of tabs) {
      if (onlyTab !== undefined && tab !== onlyTab) continue;
      if (await this.attachBody(tab, message)) return true;
    }
    return false;
  }

  private attachBody(tab: number, message: ResponseBodyMessage): Promise<boolean> {
    return this.deps.log.patch(
      tab,
      (event) =>
        event.responseBodyState !== 'captured' &&
        event.method === message.method &&
        sameUrl(event.url, message.url) &&
        (event.status === undefined || event.status === message.status) &&
        Math.abs(event.time - message.startedAt) < 10_000 &&
        sameRequestBody(event, message.requestBody),
      (event) => {
        event.responseBody = cappedResponseBody(message.body, message.mimeType);
        event.responseBodyState = 'captured';
        this.serviceWorkerTabs.observe(tab, event);
      },
    );
  }

  private async store(event: RequestEvent): Promise<void> {
    await this.deps.log.ready;
    const owner = event.tabId < 0 ? this.serviceWorkerTabs.tabOf(event, this.now()) : event.tabId;
    // A request without a tab that no tab's flow explains is not shown anywhere.
    if (owner === undefined) return;
    const tab = this.logicalTab(owner);
    const logged = tab === event.tabId ? event : { ...event, tabId: tab, sourceTabId: event.tabId };
    this.serviceWorkerTabs.observe(tab, logged);
    // The service worker's OAuth traffic keeps its tab's flow under way, as the tab's own does.
    if (event.tabId < 0) this.touchWatch(tab);
    await this.deps.log.append(tab, [logged]);
    await this.retryOrphans(tab);
    this.deps.onTabChanged?.(tab);
  }

  private async retryOrphans(tab: number): Promise<void> {
    if (this.orphanBodies.length === 0) return;
    const now = this.now();
    const waiting = this.orphanBodies.filter((orphan) => now - orphan.at < ORPHAN_BODY_MS);
    this.orphanBodies = [];
    for (const orphan of waiting) {
      if (await this.attachBodyAnywhere(orphan.message, tab)) continue;
      this.orphanBodies.push(orphan);
    }
  }

  private readBody(requestId: string): void {
    const a = this.assembler;
    const started = this.deps.readResponseBody?.(requestId, {
      onBody: (text) => {
        if (!a.attachResponseBody(requestId, { text })) {
          void this.patchByRequestId(requestId, text);
        }
      },
      onFail: () => a.releaseResponseBody(requestId),
    });
    if (started) a.expectResponseBody(requestId);
  }

  private async patchByRequestId(requestId: string, text: string): Promise<void> {
    await this.deps.log.ready;
    this.assembler.secrets.learnText(text);
    for (const tab of this.deps.log.tabs()) {
      const found = await this.deps.log.patch(
        tab,
        (event) => event.requestId === requestId && event.responseBodyState !== 'captured',
        (event) => {
          event.responseBody = cappedResponseBody(text);
          event.responseBodyState = 'captured';
          this.serviceWorkerTabs.observe(tab, event);
        },
      );
      if (found) {
        this.deps.onTabChanged?.(tab);
        return;
      }
    }
  }

  // --- which tabs get their own listeners ---------------------------------------

  private readonly watched = new Map<number, number>();

  isWatched(tabId: number): boolean {
    return this.watched.has(tabId);
  }

  private touchWatch(tabId: number): void {
    if (tabId < 0 || !this.deps.watchTab) return;
    const isNew = !this.watched.has(tabId);
    const now = this.now();
    this.watched.set(tabId, now);
    if (!isNew) return;
    this.deps.watchTab(tabId, this.handlers);
    this.deps.keepAlive?.(true);
    this.startExpiry();
    void this.deps.log.ready.then(() => {
      this.deps.log.meta.watched[String(tabId)] = now;
      return this.deps.log.saveMeta();
    });
  }

  private unwatch(tabId: number): void {
    if (!this.watched.delete(tabId)) return;
    this.deps.unwatchTab?.(tabId);
    if (this.watched.size === 0) {
      this.deps.keepAlive?.(false);
      if (this.expiryTimer) clearInterval(this.expiryTimer);
      this.expiryTimer = undefined;
    }
  }

  /** Worker start: put back the listeners of tabs with a flow under way. */
  private restoreWatches(): void {
    const now = this.now();
    for (const [tab, last] of Object.entries(this.deps.log.meta.watched)) {
      if (now - last > WATCH_IDLE_MS) continue;
      const tabId = Number(tab);
      if (!this.watched.has(tabId)) {
        this.touchWatch(tabId);
        this.watched.set(tabId, Math.max(last, this.watched.get(tabId) ?? 0));
      }
    }
  }

  /** Drops watches idle for WATCH_IDLE_MS (as of `now`: tests pass a later time). */
  expireWatches(now = this.now()): void {
    for (const [tabId, last] of [...this.watched]) {
      if (now - last > WATCH_IDLE_MS) {
        this.unwatch(tabId);
        delete this.deps.log.meta.watched[String(tabId)];
        void this.deps.log.saveMeta();
      }
    }
  }

  private startExpiry(): void {
    if (this.expiryTimer) return;
    this.expiryTimer = setInterval(() => this.expireWatches(), 60_000);
  }
}

function sameUrl(a: string, b: string): boolean {
  return a === b || a.split('#')[0] === b.split('#')[0];
}

/**
 * Whether the body DevTools saw is this event's request body: a code exchange
 * and a refresh to one token endpoint a second apart must not swap answers.
 * Without a body on either side, time and URL decide.
 */
function sameRequestBody(event: RequestEvent, text: string | undefined): boolean {
  if (text === undefined || !event.requestBody) return true;
  const fingerprint = (params: Record<string, string>) => JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
  return fingerprint(bodyParams(event.requestBody)) === fingerprint(bodyParams({ text }));
}
