import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/core/model.ts';
import { EventLog, isFlowEvent, type LogLimits } from '../../src/background/event-log.ts';
import { memoryStore } from './memory-store.ts';

const limits: LogLimits = { maxEventsPerTab: 4, maxTabs: 2, writeDelay: 0 };

function event(seq: number, url: string, extra: Partial<RequestEvent> = {}): RequestEvent {
  return { id: String(seq), requestId: String(seq), hop: 0, seq, time: seq, tabId: 1, method: 'GET', url, type: 'main_frame', responseBodyState: 'none', ...extra };
}
const flow = (seq: number) => event(seq, `https://as.example.test/auth?client_id=c&state=${seq}`);
const traffic = (seq: number) => event(seq, `https://cdn.example.test/${seq}.js`, { requestHeaders: [{ name: 'Referer', value: 'https://app.example.test/cb?code=x' }] });

describe('EventLog', () => {
  it('reloads what a stopped worker left before writing anything', async () => {
    const store = memoryStore();
    const first = new EventLog(store, limits);
    await first.append(1, [flow(1)]);
    await first.flush();
    const restarted = new EventLog(store, limits);
    await restarted.append(1, [flow(2)]);
    await restarted.flush();
    expect(restarted.get(1)?.events.map((e) => e.seq)).toEqual([1, 2]);
    expect((store.items['log:1'] as { events: RequestEvent[] }).events).toHaveLength(2);
  });

  it('keeps events in capture order whatever order they complete in', async () => {
    const log = new EventLog(memoryStore(), limits);
    await log.append(1, [flow(5), flow(2), flow(9), flow(3)]);
    expect(log.get(1)?.events.map((e) => e.seq)).toEqual([2, 3, 5, 9]);
  });

  const caps = [
    {
      description: 'drops the oldest traffic (kept only for a header) before any flow event',
      input: [flow(1), traffic(2), flow(3), traffic(4), flow(5), traffic(6)],
      kept: [1, 3, 5, 6],
      dropped: 2,
    },
    {
      description: 'drops the oldest flow events when there is no traffic left to drop',
      input: [flow(1), flow(2), flow(3), flow(4), flow(5), flow(6)],
      kept: [3, 4, 5, 6],
      dropped: 2,
    },
  ];
  for (const row of caps) {
    it(row.description, async () => {
      const log = new EventLog(memoryStore(), limits);
      for (const e of row.input) await log.append(1, [e]);
      expect(log.get(1)?.events.map((e) => e.seq)).toEqual(row.kept);
      expect(log.get(1)?.dropped).toBe(row.dropped);
    });
  }

  it('forgets the least recently updated tab past maxTabs', async () => {
    let now = 0;
    const store = memoryStore();
    const log = new EventLog(store, limits, () => ++now);
    await log.append(1, [flow(1)]);
    await log.append(2, [flow(2)]);
    await log.append(1, [flow(3)]);
    await log.append(3, [flow(4)]);
    await log.flush();
    expect(log.tabs().sort()).toEqual([1, 3]);
    expect(Object.keys(store.items).sort()).toEqual(['log:1', 'log:3']);
  });

  it('keeps the total across tabs bounded, dropping the least recently updated tabs first', async () => {
    let now = 0;
    const log = new EventLog(memoryStore(), { maxEventsPerTab: 4, maxTabs: 10, maxTotalEvents: 5, writeDelay: 0 }, () => ++now);
    await log.append(1, [flow(1), flow(2)]);
    await log.append(2, [flow(3), flow(4)]);
    await log.append(3, [flow(5), flow(6)]);
    expect(log.tabs().sort()).toEqual([2, 3]);
  });

  it('patches an event in place (a response body read later)', async () => {
    const log = new EventLog(memoryStore(), limits);
    await log.append(1, [flow(1)]);
    const found = await log.patch(1, (e) => e.seq === 1, (e) => (e.responseBodyState = 'captured'));
    expect(found).toBe(true);
    expect(log.get(1)?.events[0]?.responseBodyState).toBe('captured');
    expect(await log.patch(1, (e) => e.seq === 99, () => {})).toBe(false);
  });

  it('tells flow events from header-only traffic', () => {
    expect(isFlowEvent(flow(1))).toBe(true);
    expect(isFlowEvent(traffic(1))).toBe(false);
    expect(isFlowEvent(event(1, 'https://as.example.test/token', { method: 'POST', requestBody: { formData: { grant_type: ['authorization_code'] } } }))).toBe(true);
    expect(isFlowEvent(event(1, 'https://as.example.test/resume', { redirectUrl: 'https://app.example.test/cb?code=abc' }))).toBe(true);
  });
});

describe('EventLog near the storage quota', () => {
  const big = (seq: number, tabId = 1) => event(seq, `https://cdn.example.test/${seq}.js?pad=${'x'.repeat(900)}`, { tabId, requestHeaders: [{ name: 'Referer', value: 'https://app.example.test/cb?code=x' }] });

  it('drops the oldest non-flow events of any tab first, and says so', async () => {
    const log = new EventLog(memoryStore(), { maxEventsPerTab: 100, maxTabs: 5, writeDelay: 0, maxBytes: 5_000 });
    await log.append(1, [flow(1), big(2), big(3)]);
    await log.append(2, [big(4, 2), flow(5), big(6, 2), big(7, 2)]);
    const kept = [...(log.get(1)?.events ?? []), ...(log.get(2)?.events ?? [])].map((e) => e.seq).sort((a, b) => a - b);
    expect(kept).toContain(1);
    expect(kept).toContain(5);
    expect(kept).toContain(7);
    expect(kept).not.toContain(2);
    expect(log.get(1)?.notice).toMatch(/nearly full/);
    expect((log.get(1)?.dropped ?? 0) + (log.get(2)?.dropped ?? 0)).toBe(7 - kept.length);
  });

  it('a write the browser refuses is never silent: the tab says so and older traffic goes', async () => {
    const store = memoryStore();
    let refuse = true;
    const failing = { ...store, async set(values: Record<string, unknown>) {
      if (refuse) {
        refuse = false;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      await store.set(values);
    } };
    const log = new EventLog(failing, { maxEventsPerTab: 100, maxTabs: 5, writeDelay: 0 });
    await log.append(1, [flow(1), big(2), big(3), big(4)]);
    await log.flush();
    await expect.poll(() => log.get(1)?.notice).toMatch(/QUOTA_BYTES quota exceeded/);
    await log.flush();
    await expect.poll(() => (store.items['log:1'] as { notice?: string } | undefined)?.notice).toMatch(/failed/);
    expect(log.get(1)?.events.map((e) => e.seq)).toContain(1);
    expect(log.get(1)?.dropped).toBeGreaterThan(0);
  });
});
