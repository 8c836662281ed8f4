/**
 * Per-tab, append-only event logs kept in storage.session. Flows are
 * re-derived from the log, so a stopped worker loses nothing: the logs are
 * loaded before anything is written (`ready`).
 *
 * Bounded: at most `maxEventsPerTab` per tab (the oldest events that carry no
 * OAuth parameter of their own — kept only for a Referer or an Authorization
 * header — go first) and `maxTabs` tabs (the least recently updated go).
 * Bounded in bytes too (`maxBytes`, under storage.session's 10 MB quota): past
 * it the oldest non-flow events of any tab go first, then the oldest events of
 * the least recently updated tabs. Either way, and when a write fails, the
 * tab's `notice` says so: the panel shows it and the report lists it.
 */
import { bodyMightBeOAuth, urlMightBeOAuth } from '../core/ingest/prefilter.ts';
import type { RequestEvent } from '../core/model.ts';
import type { KeyValueStore } from '../platform/session-storage.ts';

export interface TabLog {
  events: RequestEvent[];
  /** Events dropped to stay within the cap. */
  dropped: number;
  updated: number;
  /** What the user must know about this log: requests dropped for storage, a failed write. */
  notice?: string;
}

export interface LogLimits {
  maxEventsPerTab: number;
  maxTabs: number;
  /**
   * Events across all tabs: storage.session holds 10 MB in Chrome. Past it the
   * least recently updated tabs go first (never the one just written).
   */
  maxTotalEvents?: number;
  /** Milliseconds to gather writes into one storage call. */
  writeDelay: number;
  /** Estimated bytes across all logs (JSON length); Chrome's storage.session quota is 10 MB. */
  maxBytes?: number;
}

export const DEFAULT_LIMITS: LogLimits = { maxEventsPerTab: 500, maxTabs: 20, maxTotalEvents: 2_500, writeDelay: 25, maxBytes: 8_000_000 };

const LOG_PREFIX = 'log:';
const META_KEY = 'meta';

/** Small state beside the logs, persisted with them. */
export interface Meta {
  /** Popup/child tab -> the tab that opened it. */
  openers: Record<string, number>;
  /** Tabs with a flow under way -> last OAuth activity (epoch ms). */
  watched: Record<string, number>;
}

/** An event that carries OAuth parameters itself (not just a header pointing at one). */
export function isFlowEvent(event: RequestEvent): boolean {
  return (
    urlMightBeOAuth(event.url) ||
    (event.redirectUrl !== undefined && urlMightBeOAuth(event.redirectUrl)) ||
    bodyMightBeOAuth(event.requestBody) ||
    event.responseBodyState === 'captured'
  );
}

export class EventLog {
  readonly ready: Promise<void>;
  meta: Meta = { openers: {}, watched: {} };
  private readonly logs = new Map<number, TabLog>();
  private readonly dirty = new Set<number>();
  private metaDirty = false;
  private removed = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Estimated size of each event in storage (JSON length), computed once per event version. */
  private readonly sizes = new WeakMap<RequestEvent, number>();
  /** Lowered after a write the browser refused (quota), so the next write fits. */
  private byteBudget: number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly limits: LogLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.byteBudget = limits.maxBytes ?? Infinity;
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    const items = await this.store.getAll();
    for (const [key, value] of Object.entries(items)) {
      if (key === META_KEY) {
        const meta = value as Partial<Meta>;
        this.meta = { openers: meta.openers ?? {}, watched: meta.watched ?? {} };
      } else if (key.startsWith(LOG_PREFIX)) {
        const tabId = Number(key.slice(LOG_PREFIX.length));
        // Events appended before the load finished (none: writers await `ready`) would be merged here.
        if (Number.isInteger(tabId)) this.logs.set(tabId, value as TabLog);
      }
    }
  }

  tabs(): number[] {
    return [...this.logs.keys()];
  }

  get(tabId: number): TabLog | undefined {
    return this.logs.get(tabId);
  }

  async append(tabId: number, events: RequestEvent[]): Promise<void> {
    await this.ready;
    if (events.length === 0) return;
    let log = this.logs.get(tabId);
    if (!log) {
      log = { events: [], dropped: 0, updated: 0 };
      this.logs.set(tabId, log);
      this.removed.delete(tabId);
    }
    for (const event of events) insertBySeq(log.events, event);
    log.updated = this.now();
    this.trim(log);
    this.dirty.add(tabId);
    this.trimTabs(tabId);
    this.trimBytes(tabId);
    this.scheduleWrite();
  }

  /** Changes one event in place (a response body read later); true when found. */
  async patch(tabId: number, match: (event: RequestEvent) => boolean, update: (event: RequestEvent) => void): Promise<boolean> {
    await this.ready;
    const log = this.logs.get(tabId);
    const event = log?.events.findLast(match);
    if (!log || !event) return false;
    update(event);
    this.sizes.delete(event);
    this.trimBytes(tabId);
    this.dirty.add(tabId);
    this.scheduleWrite();
    return true;
  }

  /** Moves a tab's events into another tab's log (a popup attributed to its opener late). */
  async move(fromTab: number, toTab: number, mark: (event: RequestEvent) => RequestEvent): Promise<void> {
    await this.ready;
    const from = this.logs.get(fromTab);
    if (!from || fromTab === toTab) return;
    await this.remove(fromTab);
    await this.append(toTab, from.events.map(mark));
  }

  async remove(tabId: number): Promise<void> {
    await this.ready;
    if (!this.logs.delete(tabId)) return;
    this.dirty.delete(tabId);
    this.removed.add(tabId);
    this.scheduleWrite();
  }

  async clear(tabId: number): Promise<void> {
    await this.remove(tabId);
  }

  async saveMeta(): Promise<void> {
    await this.ready;
    this.metaDirty = true;
    this.scheduleWrite();
  }

  /** Resolves once everything appended so far is in storage. */
  async flush(): Promise<void> {
    await this.ready;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }
    await this.writing;
  }

  private scheduleWrite(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, this.limits.writeDelay);
  }

  private async write(): Promise<void> {
    const items: Record<string, unknown> = {};
    for (const tabId of this.dirty) {
      const log = this.logs.get(tabId);
      if (log) items[LOG_PREFIX + tabId] = log;
    }
    this.dirty.clear();
    if (this.metaDirty) items[META_KEY] = this.meta;
    this.metaDirty = false;
    const removed = [...this.removed].map((tabId) => LOG_PREFIX + tabId);
    this.removed.clear();
    try {
      await this.store.remove(removed);
      if (Object.keys(items).length > 0) await this.store.set(items);
    } catch (error) {
      this.writeFailed(Object.keys(items), error);
    }
  }

  /**
   * The browser refused a write (quota, most likely): never silent. The tabs
   * say so; the budget drops below what was there, older traffic goes, and
   * one more write is tried.
   */
  private writeFailed(keys: readonly string[], error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const tabs = keys.filter((key) => key.startsWith(LOG_PREFIX)).map((key) => Number(key.slice(LOG_PREFIX.length)));
    for (const tabId of tabs) {
      const log = this.logs.get(tabId);
      if (!log) continue;
      log.notice = `Saving this capture to session storage failed (${reason}); older requests were dropped to make room, and what is not saved is lost if the browser stops the extension's worker.`;
      this.dirty.add(tabId);
    }
    const total = this.totalBytes();
    if (total === 0 || this.byteBudget <= total * 0.5) return;
    this.byteBudget = Math.floor(total * 0.8);
    this.trimBytes(tabs[0] ?? Number.NaN);
    this.scheduleWrite();
  }

  private sizeOf(event: RequestEvent): number {
    let size = this.sizes.get(event);
    if (size === undefined) {
      size = JSON.stringify(event).length;
      this.sizes.set(event, size);
    }
    return size;
  }

  private totalBytes(): number {
    let total = 0;
    for (const log of this.logs.values()) for (const event of log.events) total += this.sizeOf(event);
    return total;
  }

  /**
   * Keeps the logs under the byte budget: the oldest events without OAuth
   * parameters of their own go first, from any tab; then, if need be, the
   * oldest events of the other tabs, least recently updated first.
   */
  private trimBytes(current: number): void {
    let excess = this.totalBytes() - this.byteBudget;
    if (excess <= 0) return;
    const dropped = new Map<TabLog, Set<RequestEvent>>();
    const drop = (log: TabLog, event: RequestEvent) => {
      let set = dropped.get(log);
      if (!set) dropped.set(log, (set = new Set()));
      set.add(event);
      excess -= this.sizeOf(event);
    };
    const all = [...this.logs.values()].flatMap((log) => log.events.map((event) => ({ log, event })));
    all.sort((a, b) => a.event.time - b.event.time);
    for (const { log, event } of all) {
      if (excess <= 0) break;
      if (!isFlowEvent(event)) drop(log, event);
    }
    const others = [...this.logs.entries()].filter(([tabId]) => tabId !== current).sort((a, b) => a[1].updated - b[1].updated);
    for (const [, log] of others) {
      for (const event of log.events) {
        if (excess <= 0) break;
        if (!dropped.get(log)?.has(event)) drop(log, event);
      }
    }
    for (const [tabId, log] of this.logs) {
      const gone = dropped.get(log);
      if (!gone || gone.size === 0) continue;
      log.events = log.events.filter((event) => !gone.has(event));
      log.dropped += gone.size;
      log.notice ??= 'Session storage is nearly full: older requests were dropped, those without OAuth parameters first.';
      this.dirty.add(tabId);
    }
  }

  private trim(log: TabLog): void {
    let excess = log.events.length - this.limits.maxEventsPerTab;
    if (excess <= 0) return;
    log.dropped += excess;
    // Oldest traffic first: events kept only for a header.
    const keep: RequestEvent[] = [];
    for (const event of log.events) {
      if (excess > 0 && !isFlowEvent(event)) excess -= 1;
      else keep.push(event);
    }
    log.events = excess > 0 ? keep.slice(excess) : keep;
  }

  private trimTabs(current: number): void {
    const byAge = [...this.logs.entries()].filter(([tabId]) => tabId !== current).sort((a, b) => a[1].updated - b[1].updated);
    let tabs = this.logs.size;
    let total = 0;
    for (const log of this.logs.values()) total += log.events.length;
    const maxTotal = this.limits.maxTotalEvents ?? Infinity;
    for (const [tabId, log] of byAge) {
      if (tabs <= this.limits.maxTabs && total <= maxTotal) break;
      tabs -= 1;
      total -= log.events.length;
      this.logs.delete(tabId);
      this.dirty.delete(tabId);
      this.removed.add(tabId);
    }
  }
}

function insertBySeq(events: RequestEvent[], event: RequestEvent): void {
  const existing = events.findIndex((known) => known.id === event.id);
  if (existing >= 0) {
    events[existing] = event;
    return;
  }
  let index = events.length;
  while (index > 0 && (events[index - 1]?.seq ?? 0) > event.seq) index -= 1;
  events.splice(index, 0, event);
}
