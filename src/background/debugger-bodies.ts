/**
 * Chrome, DevTools closed: token responses read through chrome.debugger once
 * the user granted the optional `debugger` permission. Wires the attach
 * policy (attach-policy.ts) and the CDP body reader (cdp-bodies.ts) to the
 * platform; every decision lives in those two pure modules.
 */
import type { BeforeRequestDetails } from '../core/ingest/from-webrequest.ts';
import type { RequestBody } from '../core/model.ts';
import {
  attachToTab,
  attachedTabs,
  debuggerPermissionOffered,
  detachFromTab,
  ensureListening,
  getRequestPostData,
  getResponseBody,
  hasDebuggerPermission,
  listenToDebugger,
  onDebuggerPermissionChanged,
} from '../platform/debugger.ts';
import type { KeyValueStore } from '../platform/session-storage.ts';
import { AttachPolicy, emptyAttachState, type AttachState } from './attach-policy.ts';
import { CdpBodies } from './cdp-bodies.ts';
import type { BodyStatus, ResponseBodyMessage } from '../core/protocol/worker-panel.ts';

const STATE_KEY = 'attach';
const IDLE_CHECK_MS = 30_000;

export interface DebuggerBodiesDeps {
  store: KeyValueStore;
  deliver(message: ResponseBodyMessage): void;
  isKnownMetadata(url: string): boolean;
  /** Tabs with a flow under way (Capture's watched tabs): attached at once when the permission is granted. */
  recentFlowTabs?(): Record<string, number>;
  now?: () => number;
}

export class DebuggerBodies {
  private readonly policy = new AttachPolicy();
  private readonly cdp: CdpBodies;
  private readonly attaching = new Set<number>();
  private readonly now: () => number;
  private idleTimer: ReturnType<typeof setInterval> | undefined;
  readonly ready: Promise<void>;
  /** Every tab attached to since the worker started (test builds expose it). */
  readonly attachLog: number[] = [];

  constructor(private readonly deps: DebuggerBodiesDeps) {
    this.now = deps.now ?? Date.now;
    this.cdp = new CdpBodies({
      getBody: getResponseBody,
      getPostData: getRequestPostData,
      deliver: deps.deliver,
      isKnownMetadata: deps.isKnownMetadata,
    });
    // Top level (synchronously): the listeners must exist when the worker wakes for an event.
    listenToDebugger(
      (target, method, params) => this.cdp.onEvent(target, method, params),
      (tabId, reason) => {
        this.policy.detached(tabId, reason);
        this.cdp.forgetTab(tabId);
        this.save();
      },
    );
    onDebuggerPermissionChanged((granted) => void this.permissionChanged(granted));
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    const items = await this.deps.store.getAll();
    const saved = items[STATE_KEY] as Partial<AttachState> | undefined;
    this.policy.state = { ...emptyAttachState(), ...(saved ?? {}) };
    this.policy.granted = await hasDebuggerPermission();
    if (!this.policy.granted) return;
    ensureListening();
    // The worker restarted: attach again where a flow was under way.
    for (const tabId of this.policy.toRestore(this.now(), await attachedTabs())) void this.attach(tabId);
    this.armIdleTimer();
    this.save();
  }

  private async permissionChanged(granted: boolean): Promise<void> {
    await this.ready;
    this.policy.granted = granted;
    // chrome.debugger appears with the grant: listen from now on, and read the tabs that run a login now.
    if (granted) {
      ensureListening();
      this.policy.resume();
      for (const tab of Object.keys(this.deps.recentFlowTabs?.() ?? {})) if (Number(tab) >= 0) void this.attach(Number(tab));
    } else {
      for (const tabId of this.policy.attachedTabs()) {
        this.policy.detached(tabId, 'permission-removed');
        void detachFromTab(tabId);
      }
    }
    this.save();
  }

  /** A tracked webRequest (Capture's onTracked hook). */
  request(details: BeforeRequestDetails): void {
    void this.ready.then(() => {
      const wanted = this.policy.request(
        { tabId: details.tabId, method: details.method, url: details.url, initiator: details.initiator, requestBody: bodyOf(details) },
        this.now(),
      );
      this.save();
      if (wanted) void this.attach(details.tabId);
    });
  }

  /** webNavigation.onBeforeNavigate: attach before a site that ran a flow loads. */
  navigation(tabId: number, url: string): void {
    void this.ready.then(() => {
      if (this.policy.navigation(tabId, url, this.now())) void this.attach(tabId);
    });
  }

  tabRemoved(tabId: number): void {
    void this.ready.then(() => {
      this.policy.tabRemoved(tabId);
      this.cdp.forgetTab(tabId);
      this.save();
    });
  }

  /** The user asked to read bodies again after closing the debugging bar. */
  async resume(): Promise<void> {
    await this.ready;
    this.policy.resume();
    this.save();
  }

  async status(tabId: number): Promise<BodyStatus> {
    await this.ready;
    this.policy.granted = await hasDebuggerPermission();
    return { offered: debuggerPermissionOffered(), granted: this.policy.granted, tab: this.policy.status(tabId, this.now()) };
  }

  private async attach(tabId: number): Promise<void> {
    if (this.attaching.has(tabId) || this.policy.attachedTabs().includes(tabId)) return;
    this.attaching.add(tabId);
    try {
      const outcome = await attachToTab(tabId);
      if (outcome.ok) {
        this.policy.attached(tabId, this.now());
        if (this.attachLog.length < 1000) this.attachLog.push(tabId);
      }
      else this.policy.attachFailed(tabId, outcome.error, this.now());
    } finally {
      this.attaching.delete(tabId);
    }
    this.armIdleTimer();
    this.save();
  }

  private armIdleTimer(): void {
    if (this.idleTimer || this.policy.attachedTabs().length === 0) return;
    this.idleTimer = setInterval(() => {
      for (const tabId of this.policy.idleTabs(this.now())) {
        this.policy.detached(tabId, 'idle');
        this.cdp.forgetTab(tabId);
        void detachFromTab(tabId);
      }
      this.save();
      if (this.policy.attachedTabs().length === 0 && this.idleTimer) {
        clearInterval(this.idleTimer);
        this.idleTimer = undefined;
      }
    }, IDLE_CHECK_MS);
  }

  private saving: ReturnType<typeof setTimeout> | undefined;

  private save(): void {
    if (this.saving) return;
    this.saving = setTimeout(() => {
      this.saving = undefined;
      void this.deps.store.set({ [STATE_KEY]: this.policy.state });
    }, 50);
  }
}

function bodyOf(details: BeforeRequestDetails): RequestBody | undefined {
  const body = details.requestBody;
  if (!body) return undefined;
  if (body.formData) return { formData: body.formData as Record<string, string[]> };
  const bytes = body.raw?.find((part) => part.bytes)?.bytes;
  return bytes ? { text: new TextDecoder().decode(bytes.slice(0, 16_384)) } : undefined;
}
