import { describe, expect, it } from 'vitest';
import type { BeforeRequestDetails } from '../../src/core/ingest/from-webrequest.ts';
import { Capture, isTokenRequest, MAX_ORPHAN_BODIES, WATCH_IDLE_MS } from '../../src/background/capture.ts';
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
    watchTab: (tabId) => watched.push(tabId),
    unwatchTab: (tabId) => watched.splice(watched.indexOf(tabId), 1),
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

  it('listens to a tab itself (every request type, request headers) only while a flow is under way there, and again after a restart', async () => {
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

  it('keeps a bounded number of bodies waiting for their event, and forgets expired ones even when nothing is logged', async () => {
    const { capture, log } = harness();
    await log.ready;
    const body = (n: number) => ({ type: 'oauth-lens/response-body' as const, tabId: 5, url: `${APP}/api/me?n=${n}`, method: 'GET', status: 200, startedAt: clock, body: '{"sub":"alice"}' });
    for (let n = 0; n < 5 * MAX_ORPHAN_BODIES; n++) expect(await capture.responseBody(body(n))).toBe(false);
    expect(capture.orphanBodyCount).toBe(MAX_ORPHAN_BODIES);
    clock += 31_000;
    expect(await capture.responseBody(body(-1))).toBe(false);
    expect(capture.orphanBodyCount).toBe(1);
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

  describe("a site's service worker (tabId -1)", () => {
    const swPost = (requestId: string, form: Record<string, string[]>, initiator = APP) => {
      clock += 10;
      return { requestId, url: `${AS}/token`, method: 'POST', tabId: -1, type: 'xmlhttprequest', timeStamp: clock, initiator, requestBody: { formData: form } };
    };
    /** A login on `tab` up to the callback whose URL carries `code`. */
    const loginUpToCallback = (capture: Capture, tab: number, code: string) => {
      visit(capture, `a${tab}`, `${AS}/auth?response_type=code&client_id=c&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&state=s${tab}`, tab);
      visit(capture, `cb${tab}`, `${APP}/cb?code=${code}&state=s${tab}`, tab);
    };
    /** Firefox: filterResponseData answers with `bodies[requestId]`. */
    const firefoxHarness = (bodies: Record<string, string>, store = memoryStore()) => {
      const log = new EventLog(store, { maxEventsPerTab: 100, maxTabs: 10, writeDelay: 0 }, () => clock);
      const capture = new Capture({
        log,
        now: () => clock,
        bodyState: 'none',
        readResponseBody: (requestId, reader) => {
          const body = bodies[requestId];
          if (body === undefined) return false;
          queueMicrotask(() => reader.onBody(body));
          return true;
        },
      });
      return { log, capture, store };
    };
    const send = async (capture: Capture, details: ReturnType<typeof swPost>) => {
      capture.handlers.beforeRequest(details);
      await settle();
      capture.handlers.completed({ ...details, statusCode: 200 });
      await settle();
    };

    it("joins the tab whose callback carried its code, body included, and its refresh joins by the refresh token the tab's exchange issued", async () => {
      const { capture, log } = firefoxHarness({ x: '{"access_token":"AT-0123456789","refresh_token":"RT-0123456789"}', r: '{"access_token":"AT-9876543210"}' });
      await log.ready;
      loginUpToCallback(capture, 3, 'CODE-0123456789');
      loginUpToCallback(capture, 4, 'CODE-4444444444');
      await send(capture, swPost('x', { grant_type: ['authorization_code'], code: ['CODE-0123456789'] }));
      // The refresh comes after tab 4 was active last: its refresh token still names tab 3.
      visit(capture, 'a4b', `${AS}/auth?response_type=code&client_id=c&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&state=t4`, 4);
      await send(capture, swPost('r', { grant_type: ['refresh_token'], refresh_token: ['RT-0123456789'] }));
      const tokenEvents = log.get(3)?.events.filter((e) => e.url === `${AS}/token`);
      expect(tokenEvents?.map((e) => [e.requestId, e.tabId, e.sourceTabId, e.responseBodyState])).toEqual([
        ['x', 3, -1, 'captured'],
        ['r', 3, -1, 'captured'],
      ]);
      expect(log.get(4)?.events.some((e) => e.url === `${AS}/token`)).toBe(false);
    });

    it('falls back to the most recent tab with a flow of the same client origin, also after a worker restart', async () => {
      const first = firefoxHarness({});
      await first.log.ready;
      loginUpToCallback(first.capture, 5, 'CODE-5555555555');
      loginUpToCallback(first.capture, 6, 'CODE-6666666666');
      await settle();
      await first.log.flush();
      const restarted = firefoxHarness({}, first.store);
      await restarted.log.ready;
      await settle();
      // Unknown code: the most recent tab whose client is the initiator's origin.
      await send(restarted.capture, swPost('u', { grant_type: ['authorization_code'], code: ['NOT-SEEN-ANYWHERE'] }));
      // Known code after the restart: its tab, though tab 6 was active last.
      await send(restarted.capture, swPost('k', { grant_type: ['authorization_code'], code: ['CODE-5555555555'] }));
      expect(restarted.log.get(5)?.events.filter((e) => e.sourceTabId === -1).map((e) => e.requestId)).toEqual(['k']);
      expect(restarted.log.get(6)?.events.filter((e) => e.sourceTabId === -1).map((e) => e.requestId)).toEqual(['u']);
    });

    it('Chrome: a body read for the service worker (tabId -1) finds its event on the tab it joined, before or after it is logged', async () => {
      const { capture, log } = harness();
      await log.ready;
      loginUpToCallback(capture, 8, 'CODE-8888888888');
      loginUpToCallback(capture, 9, 'CODE-9999999999');
      const bodyFor = (details: ReturnType<typeof swPost>, text: string) =>
        capture.responseBody({ type: 'oauth-lens/response-body', tabId: -1, url: details.url, method: 'POST', status: 200, startedAt: details.timeStamp, body: text });
      const early = swPost('e', { grant_type: ['authorization_code'], code: ['CODE-9999999999'] });
      capture.handlers.beforeRequest(early);
      expect(await bodyFor(early, '{"access_token":"AT-early-0000"}')).toBe(false);
      capture.handlers.completed({ ...early, statusCode: 200 });
      const late = swPost('l', { grant_type: ['authorization_code'], code: ['CODE-8888888888'] });
      await send(capture, late);
      expect(await bodyFor(late, '{"access_token":"AT-late-00000"}')).toBe(true);
      await settle();
      const tokenBody = (tab: number) => log.get(tab)?.events.filter((e) => e.sourceTabId === -1).map((e) => [e.requestId, e.responseBody?.text]);
      expect(tokenBody(8)).toEqual([['l', '{"access_token":"AT-late-00000"}']]);
      expect(tokenBody(9)).toEqual([['e', '{"access_token":"AT-early-0000"}']]);
      // A service worker's request keeps its tab watched (Chrome's extraHeaders listener).
      clock += WATCH_IDLE_MS - 5;
      await send(capture, swPost('k', { grant_type: ['authorization_code'], code: ['CODE-8888888888'] }));
      clock += 20;
      capture.expireWatches();
      expect([capture.isWatched(8), capture.isWatched(9)]).toEqual([true, false]);
    });

    it("logs nothing for an extension's own replay of a tab's code, nor for a stranger's service worker", async () => {
      const { capture, log } = firefoxHarness({});
      await log.ready;
      loginUpToCallback(capture, 7, 'CODE-7777777777');
      await send(capture, swPost('e', { grant_type: ['authorization_code'], code: ['CODE-7777777777'] }, 'chrome-extension://abcdefghijklmnop'));
      await send(capture, swPost('s', { grant_type: ['authorization_code'], code: ['OTHER-CODE-0000'] }, 'https://elsewhere.example.test'));
      expect(log.tabs()).toEqual([7]);
      expect(log.get(7)?.events.map((e) => e.requestId)).toEqual(['a7', 'cb7']);
    });
  });

  const tokenRows: { description: string; details: Partial<BeforeRequestDetails> & { method: string }; expected: boolean }[] = [
    { description: 'a form POST with grant_type', details: { method: 'POST', requestBody: { formData: { grant_type: ['refresh_token'] } } }, expected: true },
    { description: 'a JSON POST with grant_type', details: { method: 'POST', requestBody: { raw: [{ bytes: new TextEncoder().encode('{"grant_type":"x"}').buffer }] } }, expected: true },
    { description: 'a POST with a code and nothing else', details: { method: 'POST', requestBody: { formData: { code: ['c'] } } }, expected: false },
    { description: 'a comment form', details: { method: 'POST', requestBody: { formData: { comment: ['hello'], page: ['2'] } } }, expected: false },
    { description: "GitHub's token request (form, no grant_type)", details: { method: 'POST', requestBody: { formData: { client_id: ['c'], client_secret: ['s'], code: ['abc'], redirect_uri: ['https://app/cb'] } } }, expected: true },
    { description: "GitHub's token request (raw bytes, no grant_type)", details: { method: 'POST', requestBody: { raw: [{ bytes: new TextEncoder().encode('client_id=c&code=abc&redirect_uri=https%3A%2F%2Fapp%2Fcb').buffer }] } }, expected: true },
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
