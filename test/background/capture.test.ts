import { describe, expect, it } from 'vitest';
import type { BeforeRequestDetails } from '../../src/core/ingest/from-webrequest.ts';
import { Capture, isTokenRequest, WATCH_IDLE_MS } from '../../src/background/capture.ts';
import { EventLog } from '../../src/background/event-log.ts';
import { memoryStore } from './memory-store.ts';

const APP = 'https://app.example.test';
const AS = 'https://as.example.test';
let clock = 1_800_000_000_000;

function harness(store = memoryStore(), now = () => clock) {
  const log = new EventLog(store, { maxEventsPerTab: 100, maxTabs: 10, writeDelay: 0 }, now);
  const watched: number[] = [];
  const changed: number[] = [];
  const capture = new Capture({
    log,
    now,
    watchHeaders: (tabId) => watched.push(tabId),
    unwatchHeaders: (tabId) => watched.splice(watched.indexOf(tabId), 1),
    onTabChanged: (tabId) => changed.push(tabId),
  });
  return { store, log, capture, watched, changed };
}

function visit(capture: Capture, requestId: string, url: string, tabId: number, extra: Partial<BeforeRequestDetails> = {}) {
  clock += 10;
  const d = { requestId, url, method: 'GET', tabId, frameId: 0, type: 'main_frame', timeStamp: clock, ...extra };
  capture.handlers.beforeRequest(d);
  capture.handlers.completed({ ...d, statusCode: 200 });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Capture', () => {
  it('logs a popup login under the tab that opened it, also when the browser says so late', async () => {
    const { capture, log } = harness();
    await log.ready;
    visit(capture, 'a', `${AS}/auth?client_id=c&state=s1`, 20);
    await settle();
    expect(log.get(20)?.events).toHaveLength(1);
    await capture.openedBy(20, 10);
    visit(capture, 'b', `${APP}/cb?code=abcdefgh&state=s1`, 20);
    await settle();
    expect(log.get(20)).toBeUndefined();
    expect(log.get(10)?.events.map((e) => [e.tabId, e.sourceTabId])).toEqual([
      [10, 20],
      [10, 20],
    ]);
  });

  it('asks for request headers only on tabs where a flow is under way, and again after a restart', async () => {
    const { capture, watched, store, log } = harness();
    await log.ready;
    visit(capture, 'x', `${APP}/logo.png`, 3, { type: 'image' });
    visit(capture, 'y', `${AS}/auth?client_id=c&state=s1`, 4);
    expect(watched).toEqual([4]);
    await settle();
    await log.flush();
    const restarted = harness(store);
    await restarted.log.ready;
    await settle();
    expect(restarted.watched).toEqual([4]);
    clock += WATCH_IDLE_MS + 1;
    restarted.capture.expireWatches();
    expect(restarted.watched).toEqual([]);
  });

  it('attaches a body read by the devtools page, also when it arrives before its event', async () => {
    const { capture, log } = harness();
    await log.ready;
    clock += 10;
    const token = { requestId: 't', url: `${AS}/token`, method: 'POST', tabId: 5, type: 'xmlhttprequest', timeStamp: clock };
    capture.handlers.beforeRequest({ ...token, requestBody: { formData: { grant_type: ['authorization_code'] } } });
    const message = { type: 'oauth-lens/response-body' as const, tabId: 5, url: token.url, method: 'POST', status: 200, startedAt: clock + 3, body: '{"access_token":"AT-0123456789"}' };
    expect(await capture.responseBody(message)).toBe(false);
    capture.handlers.completed({ ...token, statusCode: 200 });
    await settle();
    expect(log.get(5)?.events[0]).toMatchObject({ responseBodyState: 'captured', responseBody: { text: message.body } });
    expect(capture.assembler.secrets.carriedBy(`${APP}/x?t=AT-0123456789`)).toBe(true);
  });

  it('gives each of two POSTs to one token endpoint its own answer, whichever DevTools reports first', async () => {
    const { capture, log } = harness();
    await log.ready;
    const post = (requestId: string, form: Record<string, string[]>) => {
      clock += 300;
      const d = { requestId, url: `${AS}/token`, method: 'POST', tabId: 6, type: 'xmlhttprequest', timeStamp: clock };
      capture.handlers.beforeRequest({ ...d, requestBody: { formData: form } });
      capture.handlers.completed({ ...d, statusCode: 200 });
      return clock;
    };
    const exchangeAt = post('x', { grant_type: ['authorization_code'], code: ['C-0123456789'] });
    const refreshAt = post('r', { grant_type: ['refresh_token'], refresh_token: ['R-0123456789'] });
    await settle();
    const answer = (startedAt: number, requestBody: string, body: string) =>
      capture.responseBody({ type: 'oauth-lens/response-body', tabId: 6, url: `${AS}/token`, method: 'POST', status: 200, startedAt, requestBody, body });
    expect(await answer(exchangeAt, 'grant_type=authorization_code&code=C-0123456789', '{"access_token":"from-exchange"}')).toBe(true);
    expect(await answer(refreshAt, 'grant_type=refresh_token&refresh_token=R-0123456789', '{"access_token":"from-refresh"}')).toBe(true);
    expect(log.get(6)?.events.map((e) => [e.requestId, e.responseBody?.text])).toEqual([
      ['x', '{"access_token":"from-exchange"}'],
      ['r', '{"access_token":"from-refresh"}'],
    ]);
  });

  const tokenRows: { description: string; details: Partial<BeforeRequestDetails> & { method: string }; expected: boolean }[] = [
    { description: 'a form POST with grant_type', details: { method: 'POST', requestBody: { formData: { grant_type: ['refresh_token'] } } }, expected: true },
    { description: 'a JSON POST with grant_type', details: { method: 'POST', requestBody: { raw: [{ bytes: new TextEncoder().encode('{"grant_type":"x"}').buffer }] } }, expected: true },
    { description: 'a POST without grant_type', details: { method: 'POST', requestBody: { formData: { code: ['c'] } } }, expected: false },
    { description: 'a PAR push (form)', details: { method: 'POST', requestBody: { formData: { client_id: ['app'], response_type: ['code'] } } }, expected: true },
    { description: 'a PAR push (raw form bytes)', details: { method: 'POST', requestBody: { raw: [{ bytes: new TextEncoder().encode('client_id=app&response_type=code&state=s').buffer }] } }, expected: true },
    { description: 'a GET', details: { method: 'GET' }, expected: false },
  ];
  for (const row of tokenRows) {
    it(`isTokenRequest: ${row.description} -> ${row.expected}`, () => {
      expect(isTokenRequest({ requestId: '1', url: `${AS}/token`, tabId: 1, type: 'xmlhttprequest', timeStamp: 1, ...row.details })).toBe(row.expected);
    });
  }
});
