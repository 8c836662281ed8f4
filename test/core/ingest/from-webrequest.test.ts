import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../src/core/model.ts';
import {
  WebRequestAssembler,
  absoluteLocation,
  toRequestBody,
  type AssemblerOptions,
  type WebRequestDetails,
} from '../../../src/core/ingest/from-webrequest.ts';

const APP = 'https://app.example.test';
const AS = 'https://as.example.test';

function setup(options: Partial<AssemblerOptions> = {}) {
  const events: RequestEvent[] = [];
  const assembler = new WebRequestAssembler({ emit: (event) => events.push(event), ...options });
  return { events, assembler };
}

let clock = 1_700_000_000_000;
function base(requestId: string, url: string, extra: Partial<WebRequestDetails> = {}): WebRequestDetails {
  clock += 1;
  return { requestId, url, method: 'GET', tabId: 7, frameId: 0, type: 'main_frame', timeStamp: clock, ...extra };
}

/** Drives one request through the usual event order. */
function plainRequest(
  assembler: WebRequestAssembler,
  requestId: string,
  url: string,
  opts: { method?: string; type?: string; requestHeaders?: { name: string; value: string }[]; responseHeaders?: { name: string; value: string }[]; status?: number; formData?: Record<string, string[]>; tabId?: number } = {},
) {
  const d = base(requestId, url, { method: opts.method ?? 'GET', type: opts.type ?? 'main_frame', tabId: opts.tabId ?? 7 });
  assembler.onBeforeRequest({ ...d, requestBody: opts.formData ? { formData: opts.formData } : undefined });
  assembler.onSendHeaders({ ...d, requestHeaders: opts.requestHeaders ?? [{ name: 'Accept', value: '*/*' }] });
  const response = { ...d, statusCode: opts.status ?? 200, statusLine: `HTTP/1.1 ${opts.status ?? 200} OK`, responseHeaders: opts.responseHeaders ?? [] };
  assembler.onHeadersReceived(response);
  assembler.onCompleted(response);
}

describe('WebRequestAssembler: which requests are kept', () => {
  const rows: { description: string; url: string; method?: string; type?: string; tabId?: number; requestHeaders?: { name: string; value: string }[]; responseHeaders?: { name: string; value: string }[]; formData?: Record<string, string[]>; status?: number; kept: boolean }[] = [
    { description: 'an authorization request', url: `${AS}/auth?response_type=code&client_id=app&state=s`, kept: true },
    { description: 'a callback with a code', url: `${APP}/cb?code=c1&state=s`, kept: true },
    { description: 'a discovery document', url: `${AS}/.well-known/openid-configuration`, type: 'xmlhttprequest', kept: true },
    { description: 'an image', url: `${APP}/logo.png`, type: 'image', kept: false },
    { description: 'a query that only looks similar', url: `${APP}/search?barcode=1&statement=2`, kept: false },
    { description: 'a form POST with no OAuth fields', url: `${APP}/comment`, method: 'POST', formData: { text: ['hi'] }, kept: false },
    { description: 'a token request (form body)', url: `${AS}/token`, method: 'POST', type: 'xmlhttprequest', formData: { grant_type: ['authorization_code'], code: ['c1'] }, kept: true },
    { description: 'a Referer carrying a code (late, at send-headers)', url: `https://cdn.example.test/a.js`, type: 'script', requestHeaders: [{ name: 'Referer', value: `${APP}/cb?code=c1&state=s` }], kept: true },
    { description: 'a Referer without OAuth parameters', url: `https://cdn.example.test/a.js`, type: 'script', requestHeaders: [{ name: 'Referer', value: `${APP}/home` }], kept: false },
    { description: 'an API call with a bearer token (late)', url: `${APP}/api/me`, type: 'xmlhttprequest', requestHeaders: [{ name: 'Authorization', value: 'Bearer abc' }], kept: true },
    { description: 'a Location carrying a code (late, at headers-received)', url: `${AS}/auth/resume`, status: 302, responseHeaders: [{ name: 'Location', value: `${APP}/cb?code=c1&state=s` }], kept: true },
    { description: 'a request from no tab', url: `${AS}/auth?client_id=x`, tabId: -1, kept: false },
  ];
  for (const row of rows) {
    it(`${row.kept ? 'keeps' : 'drops'} ${row.description}`, () => {
      const { events, assembler } = setup();
      plainRequest(assembler, 'r1', row.url, row);
      expect(events.length).toBe(row.kept ? 1 : 0);
      expect(assembler.pendingCount).toBe(0);
    });
  }
});

describe("WebRequestAssembler: requests without a tab (includeNonTab: 'web')", () => {
  const token = { method: 'POST', type: 'xmlhttprequest', formData: { grant_type: ['authorization_code'], code: ['c1'] } };
  const rows: { description: string; extra: Partial<WebRequestDetails>; kept: boolean }[] = [
    { description: "a site's service worker (Chrome: initiator)", extra: { initiator: APP }, kept: true },
    { description: "a site's service worker (Firefox: originUrl of the worker script)", extra: { originUrl: `${APP}/sw.js` }, kept: true },
    { description: 'a Firefox documentUrl only', extra: { documentUrl: `${APP}/cb` }, kept: true },
    { description: "an extension's own request (Chrome)", extra: { initiator: 'chrome-extension://abcdefghijklmnop' }, kept: false },
    { description: "an extension's own request (Firefox)", extra: { originUrl: 'moz-extension://0f4a3b2c/src/background.html' }, kept: false },
    { description: "the browser's own request (no initiator)", extra: {}, kept: false },
    { description: 'an opaque initiator', extra: { initiator: 'null' }, kept: false },
  ];
  for (const row of rows) {
    it(`${row.kept ? 'keeps' : 'drops'} ${row.description}`, () => {
      const { events, assembler } = setup({ includeNonTab: 'web' });
      const d = base('sw1', `${AS}/token`, { ...row.extra, method: 'POST', type: token.type, tabId: -1 });
      assembler.onBeforeRequest({ ...d, requestBody: { formData: token.formData } });
      assembler.onCompleted({ ...d, statusCode: 200 });
      expect(events.map((e) => [e.tabId, e.initiator])).toEqual(row.kept ? [[-1, APP]] : []);
    });
  }

  it('still drops a service worker request that is not OAuth', () => {
    const { events, assembler } = setup({ includeNonTab: 'web' });
    plainRequest(assembler, 'sw2', `${APP}/logo.png`, { tabId: -1, type: 'image' });
    expect(events).toEqual([]);
  });
});

describe('WebRequestAssembler: one event per hop', () => {
  it('splits a redirect chain, resolves Location with its fragment and keeps the chain', () => {
    const { events, assembler } = setup();
    const auth = `${AS}/auth?response_type=token&client_id=app&state=s`;
    const d0 = base('42', auth);
    assembler.onBeforeRequest(d0);
    assembler.onSendHeaders({ ...d0, requestHeaders: [{ name: 'Cookie', value: 'sid=1' }] });
    const r0 = { ...d0, statusCode: 302, statusLine: 'HTTP/1.1 302 Found', responseHeaders: [{ name: 'Location', value: '/interaction/abc' }] };
    assembler.onHeadersReceived(r0);
    assembler.onBeforeRedirect({ ...r0, redirectUrl: `${AS}/interaction/abc` });
    const d1 = base('42', `${AS}/interaction/abc`);
    assembler.onBeforeRequest(d1);
    const r1 = { ...d1, statusCode: 303, responseHeaders: [{ name: 'location', value: `${APP}/cb#access_token=at1&state=s` }] };
    assembler.onHeadersReceived(r1);
    assembler.onBeforeRedirect({ ...r1, redirectUrl: `${APP}/cb` });
    const d2 = base('42', `${APP}/cb`);
    assembler.onBeforeRequest(d2);
    assembler.onCompleted({ ...d2, statusCode: 200, responseHeaders: [{ name: 'Referrer-Policy', value: 'no-referrer' }] });

    expect(events.map((e) => [e.id, e.hop, e.status, e.redirectUrl, e.responseBodyState])).toEqual([
      ['42', 0, 302, `${AS}/interaction/abc`, 'none'],
      ['42.1', 1, 303, `${APP}/cb#access_token=at1&state=s`, 'none'],
      ['42.2', 2, 200, undefined, 'unavailable'],
    ]);
    expect(events[0]?.requestHeaders).toEqual([{ name: 'Cookie', value: 'sid=1' }]);
    expect(events[0]?.statusText).toBe('Found');
    expect(events.every((e) => e.requestId === '42' && e.tabId === 7)).toBe(true);
    expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
    expect(events[1]!.seq).toBeLessThan(events[2]!.seq);
  });

  it('numbers hops right when a chain becomes interesting after untracked redirects', () => {
    const { events, assembler } = setup();
    const d0 = base('9', `${APP}/login`);
    assembler.onBeforeRequest(d0);
    assembler.onHeadersReceived({ ...d0, statusCode: 302, responseHeaders: [{ name: 'Location', value: `${APP}/next` }] });
    assembler.onBeforeRedirect({ ...d0, statusCode: 302, redirectUrl: `${APP}/next` });
    const d1 = base('9', `${APP}/next`);
    assembler.onBeforeRequest(d1);
    const r1 = { ...d1, statusCode: 302, responseHeaders: [{ name: 'Location', value: `${AS}/auth?client_id=app&response_type=code` }] };
    assembler.onHeadersReceived(r1);
    assembler.onBeforeRedirect({ ...r1, redirectUrl: `${AS}/auth?client_id=app&response_type=code` });
    const d2 = base('9', `${AS}/auth?client_id=app&response_type=code`);
    assembler.onBeforeRequest(d2);
    assembler.onCompleted({ ...d2, statusCode: 200 });
    expect(events.map((e) => e.id)).toEqual(['9.1', '9.2']);
    expect(events[0]?.url).toBe(`${APP}/next`);
  });

  it('uses redirectUrl when the redirect had no Location header (internal redirect)', () => {
    const { events, assembler } = setup();
    const d0 = base('5', `http://app.example.test/cb?code=c1`);
    assembler.onBeforeRequest(d0);
    assembler.onBeforeRedirect({ ...d0, statusCode: 307, redirectUrl: `https://app.example.test/cb?code=c1` });
    expect(events[0]?.redirectUrl).toBe('https://app.example.test/cb?code=c1');
  });

  it('merges request headers reported twice (with and without extraHeaders)', () => {
    const { events, assembler } = setup();
    const d = base('m', `${APP}/cb?code=c1`);
    assembler.onBeforeRequest(d);
    assembler.onSendHeaders({ ...d, requestHeaders: [{ name: 'Accept', value: '*/*' }] });
    assembler.onSendHeaders({ ...d, requestHeaders: [{ name: 'accept', value: '*/*' }, { name: 'Referer', value: `${AS}/x` }] });
    assembler.onCompleted({ ...d, statusCode: 200 });
    expect(events[0]?.requestHeaders).toEqual([{ name: 'Accept', value: '*/*' }, { name: 'Referer', value: `${AS}/x` }]);
  });

  it('keeps the Set-Cookie an extraHeaders onHeadersReceived gave when onCompleted and onBeforeRedirect come without it', () => {
    const { events, assembler } = setup();
    const cookie = { name: 'Set-Cookie', value: 'sid=1; Path=/' };
    const callback = base('k', `${APP}/cb?code=c1&state=s`);
    assembler.onBeforeRequest(callback);
    assembler.onHeadersReceived({ ...callback, statusCode: 302, responseHeaders: [{ name: 'Location', value: '/home' }, cookie] });
    assembler.onBeforeRedirect({ ...callback, statusCode: 302, redirectUrl: `${APP}/home`, responseHeaders: [{ name: 'Location', value: '/home' }] });
    const done = base('l', `${APP}/cb2?code=c2&state=s`);
    assembler.onBeforeRequest(done);
    assembler.onHeadersReceived({ ...done, statusCode: 200, responseHeaders: [{ name: 'Content-Type', value: 'text/html' }, cookie] });
    assembler.onCompleted({ ...done, statusCode: 200, responseHeaders: [{ name: 'Content-Type', value: 'text/html' }, { name: 'Cache-Control', value: 'no-store' }] });
    expect(events.map((event) => event.responseHeaders)).toEqual([
      [{ name: 'Location', value: '/home' }, cookie],
      [{ name: 'Content-Type', value: 'text/html' }, cookie, { name: 'Cache-Control', value: 'no-store' }],
    ]);
    expect(events[0]?.redirectUrl).toBe(`${APP}/home`);
  });

  it('records an error and the initiator (Firefox originUrl)', () => {
    const { events, assembler } = setup();
    const d0 = base('6', `${AS}/token`, { method: 'POST', type: 'xmlhttprequest', originUrl: `${APP}/cb?code=x` });
    assembler.onBeforeRequest({ ...d0, requestBody: { formData: { grant_type: ['authorization_code'] } } });
    assembler.onErrorOccurred({ ...d0, error: 'NS_ERROR_NET_RESET' });
    expect(events[0]).toMatchObject({ error: 'NS_ERROR_NET_RESET', initiator: APP, type: 'xhr', requestBody: { formData: { grant_type: ['authorization_code'] } } });
  });
});

describe('WebRequestAssembler: request bodies', () => {
  const rows = [
    { description: 'parsed form data', body: { formData: { grant_type: ['authorization_code'] } }, expected: { formData: { grant_type: ['authorization_code'] } } },
    { description: 'raw bytes past the 4 KB parse limit', body: { raw: [{ bytes: new TextEncoder().encode('grant_type=authorization_code&code=').buffer }, { bytes: new TextEncoder().encode('c1').buffer }] }, expected: { text: 'grant_type=authorization_code&code=c1' } },
    { description: 'a JSON body', body: { raw: [{ bytes: new TextEncoder().encode('{"grant_type":"refresh_token"}').buffer }] }, expected: { text: '{"grant_type":"refresh_token"}' } },
    { description: 'a file upload only', body: { raw: [{ file: '/tmp/x' }] }, expected: { text: '' } },
    { description: 'nothing', body: null, expected: undefined },
  ];
  for (const row of rows) {
    it(`reads ${row.description}`, () => {
      expect(toRequestBody(row.body)).toEqual(row.expected);
    });
  }

  it('keeps a raw token request and drops a raw non-OAuth body', () => {
    const { events, assembler } = setup();
    for (const [id, text] of [['a', 'grant_type=authorization_code&code=c1'], ['b', '{"comment":"hello"}']] as const) {
      const d = base(id, `${AS}/token`, { method: 'POST', type: 'xmlhttprequest' });
      assembler.onBeforeRequest({ ...d, requestBody: { raw: [{ bytes: new TextEncoder().encode(text).buffer }] } });
      assembler.onCompleted({ ...d, statusCode: 200 });
    }
    expect(events.map((e) => e.id)).toEqual(['a']);
  });
});

describe('WebRequestAssembler: response bodies', () => {
  function tokenRequest(assembler: WebRequestAssembler, id: string) {
    const d = base(id, `${AS}/token`, { method: 'POST', type: 'xmlhttprequest' });
    assembler.onBeforeRequest({ ...d, requestBody: { formData: { grant_type: ['authorization_code'] } } });
    return d;
  }

  it('holds a completed event until the body read elsewhere arrives', () => {
    const { events, assembler } = setup();
    const d = tokenRequest(assembler, 't1');
    assembler.expectResponseBody('t1');
    assembler.onCompleted({ ...d, statusCode: 200 });
    expect(events).toHaveLength(0);
    expect(assembler.attachResponseBody('t1', { text: '{"access_token":"x"}', mimeType: 'application/json' })).toBe(true);
    expect(events[0]).toMatchObject({ responseBodyState: 'captured', responseBody: { text: '{"access_token":"x"}' } });
  });

  it('takes a body that arrives before onCompleted', () => {
    const { events, assembler } = setup();
    const d = tokenRequest(assembler, 't2');
    assembler.expectResponseBody('t2');
    assembler.attachResponseBody('t2', { text: '{}' });
    assembler.onCompleted({ ...d, statusCode: 200 });
    expect(events[0]).toMatchObject({ responseBodyState: 'captured', responseBody: { text: '{}' } });
  });

  it('emits without a body when the read fails', () => {
    const { events, assembler } = setup();
    const d = tokenRequest(assembler, 't3');
    assembler.expectResponseBody('t3');
    assembler.onCompleted({ ...d, statusCode: 200 });
    assembler.releaseResponseBody('t3');
    expect(events[0]?.responseBodyState).toBe('unavailable');
  });

  it('says a body cannot be attached once the event has left', () => {
    const { assembler } = setup();
    const d = tokenRequest(assembler, 't4');
    assembler.onCompleted({ ...d, statusCode: 200 });
    expect(assembler.attachResponseBody('t4', { text: '{}' })).toBe(false);
  });

  it('marks 204 and HEAD responses as having no body', () => {
    const { events, assembler } = setup({ bodyState: 'unavailable' });
    plainRequest(assembler, 'h', `${APP}/cb?code=1`, { status: 204 });
    expect(events[0]?.responseBodyState).toBe('none');
  });
});

describe('WebRequestAssembler: bounded state', () => {
  it('keeps no state for hundreds of unrelated requests', () => {
    const { events, assembler } = setup();
    for (let i = 0; i < 500; i++) {
      const d = base(`u${i}`, `${APP}/asset/${i}.js?v=${i}`, { type: 'script' });
      assembler.onBeforeRequest(d);
      assembler.onSendHeaders({ ...d, requestHeaders: [{ name: 'Referer', value: `${APP}/` }] });
      assembler.onHeadersReceived({ ...d, statusCode: 200 });
    }
    expect(assembler.pendingCount).toBe(0);
    expect(events).toHaveLength(0);
  });

  it('emits the oldest pending request, marked incomplete, past the cap', () => {
    const { events, assembler } = setup({ maxPending: 3 });
    for (let i = 0; i < 5; i++) assembler.onBeforeRequest(base(`p${i}`, `${AS}/auth?client_id=${i}`));
    expect(assembler.pendingCount).toBe(3);
    expect(assembler.evicted).toBe(2);
    expect(events.map((e) => [e.id, e.error])).toEqual([
      ['p0', 'incomplete: too many requests pending'],
      ['p1', 'incomplete: too many requests pending'],
    ]);
  });
});

describe('WebRequestAssembler: codes and tokens seen before', () => {
  it('keeps a later request whose URL carries a code from a callback, whatever its shape (code.forwarded)', () => {
    const { events, assembler } = setup();
    plainRequest(assembler, 'cb', `${APP}/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=s`);
    const beacon = `https://tracker.example.test/collect?v=1&dl=${encodeURIComponent(`${APP}/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=s`)}`;
    plainRequest(assembler, 'b', beacon, { type: 'image' });
    plainRequest(assembler, 'c', 'https://tracker.example.test/collect?v=1&dl=elsewhere', { type: 'image' });
    expect(events.map((e) => e.id)).toEqual(['cb', 'b']);
  });

  it('learns codes from a Location and tokens from an attached response body', () => {
    const { events, assembler } = setup();
    const d = base('r', `${AS}/resume`);
    assembler.onBeforeRequest(d);
    assembler.onHeadersReceived({ ...d, statusCode: 302, responseHeaders: [{ name: 'Location', value: `${APP}/cb?code=abcdefgh12345` }] });
    const t = base('t', `${AS}/token`, { method: 'POST', type: 'xmlhttprequest' });
    assembler.onBeforeRequest({ ...t, requestBody: { formData: { grant_type: ['authorization_code'] } } });
    assembler.expectResponseBody('t');
    assembler.attachResponseBody('t', { text: '{"access_token":"AT-0123456789"}' });
    expect(assembler.secrets.carriedBy('https://x.example.test/?u=abcdefgh12345')).toBe(true);
    expect(assembler.secrets.carriedBy('https://x.example.test/p/AT-0123456789')).toBe(true);
    expect(assembler.secrets.carriedBy('https://x.example.test/p/other')).toBe(false);
    expect(events).toHaveLength(0);
  });

  it('keeps the key set a discovery document names (its URL has no OAuth shape)', () => {
    const { events, assembler } = setup();
    const d = base('disc', `${AS}/.well-known/openid-configuration`, { type: 'xmlhttprequest' });
    assembler.onBeforeRequest(d);
    assembler.expectResponseBody('disc');
    assembler.attachResponseBody('disc', { text: `{"issuer":"${AS}","jwks_uri":"https:\\/\\/as.example.test\\/keys"}` });
    assembler.onCompleted({ ...d, statusCode: 200 });
    expect(assembler.secrets.isMetadata(`${AS}/keys`)).toBe(true);
    plainRequest(assembler, 'jwks', `${AS}/keys`, { type: 'xmlhttprequest' });
    plainRequest(assembler, 'other', `${AS}/other`, { type: 'xmlhttprequest' });
    expect(events.map((e) => e.id)).toEqual(['disc', 'jwks']);
  });

  it('forgets the oldest values past its cap', () => {
    const { assembler } = setup();
    for (let i = 0; i < 400; i++) assembler.secrets.learnUrl(`${APP}/cb?code=value-${String(i).padStart(4, '0')}`);
    expect(assembler.secrets.size).toBeLessThanOrEqual(256);
    expect(assembler.secrets.carriedBy('value-0000')).toBe(false);
    expect(assembler.secrets.carriedBy('value-0399')).toBe(true);
  });
});

describe('absoluteLocation', () => {
  const rows = [
    { location: '/cb?code=1#x', base: `${APP}/a/b`, expected: `${APP}/cb?code=1#x` },
    { location: 'cb?code=1', base: `${APP}/a/b`, expected: `${APP}/a/cb?code=1` },
    { location: 'https://other.example.test/#access_token=t', base: APP, expected: 'https://other.example.test/#access_token=t' },
    { location: 'http://[bad', base: APP, expected: undefined },
  ];
  for (const row of rows) {
    it(`resolves ${row.location}`, () => expect(absoluteLocation(row.location, row.base)).toBe(row.expected));
  }
});

describe('bounded bodies', () => {
  it('keeps at most MAX_BODY_CHARS of a raw body, a form and a response, and marks the cut', async () => {
    const { MAX_BODY_CHARS, cappedResponseBody } = await import('../../../src/core/ingest/body-cap.ts');
    const { toRequestBody: toBody } = await import('../../../src/core/ingest/from-webrequest.ts');
    const raw = toBody({ raw: [{ bytes: new TextEncoder().encode('a'.repeat(1_000_000)).buffer }] });
    expect(raw).toEqual({ text: 'a'.repeat(MAX_BODY_CHARS), truncated: true });
    const form = toBody({ formData: { grant_type: ['authorization_code'], junk: ['x'.repeat(1_000_000)] } });
    expect(form?.truncated).toBe(true);
    expect(form?.formData?.grant_type).toEqual(['authorization_code']);
    expect(toBody({ formData: { constructor: ['1'], grant_type: ['a'] } })).toEqual({ formData: expect.objectContaining({ constructor: ['1'], grant_type: ['a'] }) });
    expect(cappedResponseBody('b'.repeat(MAX_BODY_CHARS + 1), 'application/json')).toEqual({ text: 'b'.repeat(MAX_BODY_CHARS), mimeType: 'application/json', truncated: true });
    expect(cappedResponseBody('{}')).toEqual({ text: '{}' });
  });
});
