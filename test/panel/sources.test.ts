import { afterEach, describe, expect, it, vi } from 'vitest';
import { PANEL_PORT } from '../../src/core/protocol/worker-panel.ts';
import type { Port } from '../../src/platform/messaging.ts';
import { mergeSnapshot } from '../../src/panel/event-store.ts';
import type { Snapshot } from '../../src/panel/flow-source.ts';
import { portSource } from '../../src/panel/sources/port-source.ts';
import { event } from './fixtures.ts';

function fakePort() {
  const sent: unknown[] = [];
  let onMessage: (m: unknown) => void = () => {};
  let onDisconnect: () => void = () => {};
  const port: Port = {
    name: PANEL_PORT,
    post: (m) => sent.push(m),
    onMessage: (l) => (onMessage = l),
    onDisconnect: (l) => (onDisconnect = l),
    disconnect: vi.fn(),
  };
  return { port, sent, receive: (m: unknown) => onMessage(m), drop: () => onDisconnect() };
}

// The real port comes from src/platform, which needs the extension API; tests pass their own.
vi.mock('../../src/platform/messaging.ts', () => ({ connect: () => { throw new Error('no extension API in tests'); } }));

afterEach(() => vi.useRealTimers());

describe('port source (panel.html?tabId=N)', () => {
  it('subscribes to its tab, takes only its tab\'s snapshots, and re-connects when the worker goes away', () => {
    vi.useFakeTimers();
    const ports = [fakePort(), fakePort()];
    let opened = 0;
    const source = portSource(12, (name) => {
      expect(name).toBe(PANEL_PORT);
      return ports[opened++]!.port;
    });
    const seen: Snapshot[] = [];
    source.subscribe((s) => seen.push(s));
    expect(ports[0]!.sent).toEqual([{ type: 'subscribe', tabId: 12 }]);
    const e = event('GET https://as.example/authorize?response_type=code');
    ports[0]!.receive({ type: 'snapshot', tabId: 99, events: [e], dropped: 0 });
    ports[0]!.receive({ type: 'snapshot', tabId: 12, events: [e], dropped: 3 });
    expect(seen).toEqual([{ events: [e], dropped: 3 }]);
    ports[0]!.drop();
    vi.advanceTimersByTime(300);
    expect(opened).toBe(2);
    expect(ports[1]!.sent).toEqual([{ type: 'subscribe', tabId: 12 }]);
    source.clear();
    expect(ports[1]!.sent).toContainEqual({ type: 'clear', tabId: 12 });
  });
});

describe('preserve log', () => {
  const a = event('GET https://as.example/authorize?response_type=code&state=a');
  const b = event('GET https://app.example/cb?code=x&state=a');
  const c = event('GET https://as.example/authorize?response_type=code&state=c');

  it('keeps what was seen when the capture forgets it (navigation, dropped traffic)', () => {
    expect(mergeSnapshot([a, b], [c], true)).toEqual([a, b, c]);
  });
  it('mirrors the capture when off', () => {
    expect(mergeSnapshot([a, b], [c], false)).toEqual([c]);
  });
  it('takes the later copy of an event (its response arrived)', () => {
    const bWithResponse = { ...b, status: 302 };
    expect(mergeSnapshot([a, b], [a, bWithResponse], true)).toEqual([a, bWithResponse]);
  });
  it('returns the same array when nothing changed, so the panel does not re-audit', () => {
    const prev = [a, b];
    expect(mergeSnapshot(prev, [a, b], true)).toBe(prev);
  });
});
