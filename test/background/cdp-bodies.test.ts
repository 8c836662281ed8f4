import { describe, expect, it } from 'vitest';
import { Capture } from '../../src/background/capture.ts';
import { bodyKindOf, CdpBodies, MAX_BODY_CHARS, type CdpTargetRef } from '../../src/background/cdp-bodies.ts';
import { EventLog } from '../../src/background/event-log.ts';
import type { ResponseBodyMessage } from '../../src/core/protocol/worker-panel.ts';
import { memoryStore } from './memory-store.ts';

const APP = 'https://app.example.test';
const AS = 'https://as.example.test';
const T0 = 1_800_000_000_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A CDP session stand-in: bodies by request id, and every message delivered. */
function reader(bodies: Record<string, string>, postData: Record<string, string> = {}) {
  const delivered: ResponseBodyMessage[] = [];
  const asked: string[] = [];
  const cdp = new CdpBodies({
    getBody: async (_target, requestId) => {
      asked.push(requestId);
      const body = bodies[requestId];
      return body === undefined ? undefined : { body, base64Encoded: false };
    },
    getPostData: async (_target, requestId) => postData[requestId],
    deliver: (message) => delivered.push(message),
  });
  return { cdp, delivered, asked };
}

/** The three CDP events of one request, as chrome.debugger.onEvent hands them over. */
function cdpRequest(
  cdp: CdpBodies,
  target: CdpTargetRef,
  requestId: string,
  request: { method: string; url: string; postData?: string; hasPostData?: boolean },
  at: number,
  status = 200,
) {
  cdp.onEvent(target, 'Network.requestWillBeSent', { requestId, request, wallTime: at / 1000, timestamp: 1234.5 });
  cdp.onEvent(target, 'Network.responseReceived', { requestId, response: { status, mimeType: 'application/json' } });
  cdp.onEvent(target, 'Network.loadingFinished', { requestId, encodedDataLength: 100 });
}

describe('bodyKindOf: the bodies the engine reads', () => {
  const none = () => false;
  it.each([
    { description: 'token request (form)', method: 'POST', url: `${AS}/token`, body: 'grant_type=authorization_code&code=x', expected: 'token' },
    { description: 'token request (JSON)', method: 'POST', url: `${AS}/oauth/token`, body: '{"grant_type":"refresh_token"}', expected: 'token' },
    { description: 'GitHub-style token request (no grant_type)', method: 'POST', url: `${AS}/login/oauth/access_token`, body: 'client_id=gh&code=abc&redirect_uri=x', expected: 'token' },
    { description: 'token request with its parameters in the query (GET)', method: 'GET', url: `${AS}/token?grant_type=authorization_code&code=x`, body: undefined, expected: 'token' },
    { description: 'a form_post callback (code and state, no client parameters)', method: 'POST', url: `${APP}/cb`, body: 'code=abc&state=s', expected: undefined },
    { description: 'PAR', method: 'POST', url: `${AS}/par`, body: 'client_id=spa&response_type=code', expected: 'par' },
    { description: 'discovery', method: 'GET', url: `${AS}/.well-known/openid-configuration`, body: undefined, expected: 'metadata' },
    { description: 'a login form POST', method: 'POST', url: `${AS}/login`, body: 'login=a&password=b', expected: undefined },
    { description: 'a GraphQL POST', method: 'POST', url: `${APP}/graphql`, body: '{"query":"{ grant_type }"}', expected: undefined },
    { description: 'an API GET', method: 'GET', url: `${APP}/api/me`, body: undefined, expected: undefined },
  ])('$description', ({ method, url, body, expected }) => {
    expect(bodyKindOf(method, url, body, none)).toBe(expected);
  });
});

describe('CdpBodies', () => {
  it('reads the token response and the discovery, key set and userinfo it names, nothing else', async () => {
    const discovery = JSON.stringify({ issuer: AS, jwks_uri: `${AS}/jwks`, userinfo_endpoint: `${AS}/me` });
    const { cdp, delivered, asked } = reader({ d: discovery, k: '{"keys":[]}', u: '{"sub":"1"}', t: '{"access_token":"at"}', x: 'nope', i: 'img' });
    const tab = { tabId: 4 };
    cdpRequest(cdp, tab, 'i', { method: 'GET', url: `${APP}/logo.png` }, T0);
    cdpRequest(cdp, tab, 'k0', { method: 'GET', url: `${AS}/jwks` }, T0); // before discovery named it: not read
    cdpRequest(cdp, tab, 'd', { method: 'GET', url: `${AS}/.well-known/openid-configuration` }, T0);
    await settle();
    cdpRequest(cdp, tab, 'k', { method: 'GET', url: `${AS}/jwks` }, T0 + 1);
    cdpRequest(cdp, tab, 'u', { method: 'GET', url: `${AS}/me` }, T0 + 2);
    cdpRequest(cdp, tab, 'x', { method: 'POST', url: `${APP}/save`, postData: 'name=a' }, T0 + 3);
    cdpRequest(cdp, tab, 't', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=authorization_code&code=c' }, T0 + 4);
    await settle();
    expect(asked.sort()).toEqual(['d', 'k', 't', 'u']);
    expect(delivered.map((m) => [m.url, m.startedAt])).toEqual([
      [`${AS}/.well-known/openid-configuration`, T0],
      [`${AS}/jwks`, T0 + 1],
      [`${AS}/me`, T0 + 2],
      [`${AS}/token`, T0 + 4],
    ]);
    expect(delivered.at(-1)).toMatchObject({ method: 'POST', status: 200, requestBody: 'grant_type=authorization_code&code=c', mimeType: 'application/json', tabId: 4 });
    expect(cdp.pendingCount).toBe(0);
  });

  it('asks for a request body CDP left out (too large to inline), then decides', async () => {
    const { cdp, delivered } = reader({ t: '{"access_token":"at"}' }, { t: 'grant_type=refresh_token&refresh_token=r' });
    cdpRequest(cdp, { tabId: 1 }, 't', { method: 'POST', url: `${AS}/token`, hasPostData: true }, T0);
    await settle();
    expect(delivered.map((m) => m.requestBody)).toEqual(['grant_type=refresh_token&refresh_token=r']);
  });

  it('keeps sessions apart: one request id in the page and in its worker are two requests', async () => {
    const { cdp, delivered } = reader({ '7.1': '{"access_token":"from-worker"}' });
    const page = { tabId: 3 };
    const worker = { tabId: 3, sessionId: 'W1' };
    cdp.onEvent(page, 'Network.requestWillBeSent', { requestId: '7.1', request: { method: 'GET', url: `${APP}/x.png` }, wallTime: T0 / 1000 });
    cdpRequest(cdp, worker, '7.1', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=refresh_token' }, T0);
    await settle();
    expect(delivered.map((m) => m.body)).toEqual(['{"access_token":"from-worker"}']);
  });

  it('a service worker session sends its bodies with tabId -1, as webRequest logs its requests', async () => {
    const { cdp, delivered } = reader({ s: '{"access_token":"from-sw"}', p: '{"access_token":"from-page"}' });
    cdp.onEvent({ tabId: 3 }, 'Target.attachedToTarget', { sessionId: 'SW', targetInfo: { type: 'service_worker', url: `${APP}/sw.js` } });
    cdp.onEvent({ tabId: 3 }, 'Target.attachedToTarget', { sessionId: 'DW', targetInfo: { type: 'worker', url: `${APP}/w.js` } });
    cdpRequest(cdp, { tabId: 3, sessionId: 'SW' }, 's', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=authorization_code' }, T0);
    cdpRequest(cdp, { tabId: 3, sessionId: 'DW' }, 'p', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=refresh_token' }, T0);
    await settle();
    expect(delivered.map((m) => [m.body, m.tabId])).toEqual([
      ['{"access_token":"from-sw"}', -1],
      ['{"access_token":"from-page"}', 3],
    ]);
  });

  it('follows a redirect (same request id, latest URL), drops failed loads, and cuts bodies past the cap', async () => {
    const big = `{"access_token":"${'a'.repeat(MAX_BODY_CHARS)}"}`;
    const { cdp, delivered } = reader({ r: '{"issuer":"x"}', f: '{}', b: big });
    const tab = { tabId: 2 };
    cdp.onEvent(tab, 'Network.requestWillBeSent', { requestId: 'r', request: { method: 'GET', url: `${AS}/old` }, wallTime: T0 / 1000 });
    cdpRequest(cdp, tab, 'r', { method: 'GET', url: `${AS}/.well-known/openid-configuration` }, T0 + 1);
    cdp.onEvent(tab, 'Network.requestWillBeSent', { requestId: 'f', request: { method: 'POST', url: `${AS}/token`, postData: 'grant_type=x' }, wallTime: T0 / 1000 });
    cdp.onEvent(tab, 'Network.loadingFailed', { requestId: 'f' });
    cdp.onEvent(tab, 'Network.loadingFinished', { requestId: 'f' });
    cdpRequest(cdp, tab, 'b', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=y' }, T0 + 2);
    await settle();
    expect(delivered.map((m) => [m.url, m.body.length])).toEqual([
      [`${AS}/.well-known/openid-configuration`, 14],
      [`${AS}/token`, MAX_BODY_CHARS],
    ]);
    expect(cdp.truncated).toBe(1);
  });

  it('survives hostile events: missing fields, odd types, a body that cannot be read', async () => {
    const { cdp, delivered } = reader({});
    const tab = { tabId: 1 };
    cdp.onEvent(tab, 'Network.requestWillBeSent', {});
    cdp.onEvent(tab, 'Network.requestWillBeSent', { requestId: 5, request: null });
    cdp.onEvent(tab, 'Network.requestWillBeSent', { requestId: 'z', request: { url: 7, method: [] } });
    cdp.onEvent(tab, 'Network.responseReceived', { requestId: 'z' });
    cdpRequest(cdp, tab, 'gone', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=x' }, T0);
    await settle();
    expect(delivered).toEqual([]);
  });
});

describe('CDP bodies joined to webRequest events (request ids differ)', () => {
  function harness() {
    const log = new EventLog(memoryStore(), { maxEventsPerTab: 100, maxTabs: 10, writeDelay: 0 }, () => T0);
    const capture = new Capture({ log, now: () => T0 });
    return { log, capture };
  }

  it('a code exchange and a refresh to one token endpoint a second apart each get their own answer', async () => {
    const { log, capture } = harness();
    await log.ready;
    const exchange = { requestId: '31', url: `${AS}/token`, method: 'POST', tabId: 6, frameId: 0, type: 'xmlhttprequest', timeStamp: T0 };
    const refresh = { ...exchange, requestId: '32', timeStamp: T0 + 900 };
    capture.handlers.beforeRequest({ ...exchange, requestBody: { formData: { grant_type: ['authorization_code'], code: ['c0de'] } } });
    capture.handlers.completed({ ...exchange, statusCode: 200 });
    capture.handlers.beforeRequest({ ...refresh, requestBody: { formData: { grant_type: ['refresh_token'], refresh_token: ['rt-1'] } } });
    capture.handlers.completed({ ...refresh, statusCode: 200 });
    await settle();
    const cdp = new CdpBodies({
      getBody: async (_t, id) => ({ body: id === '13290.6' ? '{"access_token":"AT-exchange-1"}' : '{"access_token":"AT-refresh-22"}', base64Encoded: false }),
      deliver: (message) => void capture.responseBody(message),
    });
    // CDP's ids, in the opposite order, from a dedicated worker's session.
    const worker = { tabId: 6, sessionId: 'S' };
    cdpRequest(cdp, worker, '13290.7', { method: 'POST', url: `${AS}/token`, postData: 'grant_type=refresh_token&refresh_token=rt-1' }, T0 + 902);
    cdpRequest(cdp, worker, '13290.6', { method: 'POST', url: `${AS}/token`, postData: 'code=c0de&grant_type=authorization_code' }, T0 + 2);
    await settle();
    await settle();
    const events = log.get(6)?.events ?? [];
    expect(events.map((e) => [e.requestId, e.responseBodyState, e.responseBody?.text])).toEqual([
      ['31', 'captured', '{"access_token":"AT-exchange-1"}'],
      ['32', 'captured', '{"access_token":"AT-refresh-22"}'],
    ]);
  });

  it('a body that arrives before its webRequest event waits for it', async () => {
    const { log, capture } = harness();
    await log.ready;
    const cdp = new CdpBodies({ getBody: async () => ({ body: btoa('{"issuer":"https://as.example.test"}'), base64Encoded: true }), deliver: (m) => void capture.responseBody(m) });
    cdpRequest(cdp, { tabId: 8 }, '1.1', { method: 'GET', url: `${AS}/.well-known/openid-configuration` }, T0);
    await settle();
    const d = { requestId: '90', url: `${AS}/.well-known/openid-configuration`, method: 'GET', tabId: 8, frameId: 0, type: 'xmlhttprequest', timeStamp: T0 + 1 };
    capture.handlers.beforeRequest(d);
    capture.handlers.completed({ ...d, statusCode: 200 });
    await settle();
    await settle();
    expect(log.get(8)?.events[0]).toMatchObject({ responseBodyState: 'captured', responseBody: { text: '{"issuer":"https://as.example.test"}' } });
  });
});
