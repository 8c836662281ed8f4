import { describe, expect, it } from 'vitest';
import { HarError, ingestHar, SANITIZED_WARNING } from '../../../src/core/ingest/from-har.ts';

type Json = Record<string, unknown>;

/** A HAR entry with Chrome DevTools' shape; `extra` overrides any part. */
function entry(method: string, url: string, extra: Json = {}): Json {
  const { request = {}, response = {}, ...rest } = extra as { request?: Json; response?: Json };
  return {
    startedDateTime: '2026-01-01T10:00:00.000Z',
    time: 12,
    request: { method, url, httpVersion: 'http/2.0', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...request },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'http/2.0',
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: 'text/html' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...response,
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    ...rest,
  };
}

function har(entries: Json[], creator = 'WebInspector'): Json {
  return { log: { version: '1.2', creator: { name: creator, version: '1' }, pages: [], entries } };
}

const AUTHORIZE = 'https://as.example/authorize?response_type=code&client_id=app&state=s1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb';

describe('ingestHar: not a HAR', () => {
  it.each([
    { description: 'a string', input: 'hello', reason: /expected a JSON object/ },
    { description: 'null', input: null, reason: /expected a JSON object/ },
    { description: 'an array', input: [], reason: /expected a JSON object/ },
    { description: 'no log', input: { foo: 1 }, reason: /missing "log"/ },
    { description: 'no entries', input: { log: { version: '1.2' } }, reason: /missing log.entries/ },
    { description: 'entries not an array', input: { log: { entries: {} } }, reason: /missing log.entries/ },
  ])('throws HarError for $description', ({ input, reason }) => {
    expect(() => ingestHar(input)).toThrow(HarError);
    expect(() => ingestHar(input)).toThrow(reason);
  });

  it('skips bad entries with a warning instead of throwing', () => {
    const result = ingestHar(har([null as unknown as Json, { request: {} }, { nope: 1 }, entry('GET', AUTHORIZE)]));
    expect(result.events).toHaveLength(1);
    expect(result.warnings).toEqual([
      'entry 0 skipped: not an object',
      'entry 1 skipped: request without url or method',
      'entry 2 skipped: no request',
    ]);
  });

  it('caps warnings and counts the rest', () => {
    const bad = Array.from({ length: 30 }, () => ({ request: 'x' }) as Json);
    const { warnings } = ingestHar(har(bad));
    expect(warnings).toHaveLength(21);
    expect(warnings.at(-1)).toBe('…and 10 more entries skipped');
  });
});

describe('ingestHar: entry shapes', () => {
  it('reads a Chrome document navigation', () => {
    const { events } = ingestHar(
      har([
        entry('GET', AUTHORIZE, {
          _resourceType: 'document',
          _initiator: { type: 'parser', url: 'https://app.example/login' },
          request: { headers: [{ name: ':authority', value: 'as.example' }, { name: 'sec-fetch-dest', value: 'document' }] },
        }),
      ]),
    );
    expect(events).toEqual([
      expect.objectContaining({
        id: '0',
        requestId: '0',
        hop: 0,
        seq: 0,
        time: Date.parse('2026-01-01T10:00:00.000Z'),
        tabId: -1,
        method: 'GET',
        url: AUTHORIZE,
        type: 'main_frame',
        initiator: 'https://app.example',
        requestHeaders: [{ name: 'sec-fetch-dest', value: 'document' }],
        status: 200,
        responseBodyState: 'unavailable',
      }),
    ]);
  });

  it.each([
    { description: 'Chrome xhr', extra: { _resourceType: 'xhr' }, type: 'xhr' },
    { description: 'Playwright fetch', extra: { _resourceType: 'fetch', _frameref: 'frame@1', pageref: 'page@1' }, type: 'fetch' },
    { description: 'Chrome document in an iframe', extra: { _resourceType: 'document', request: { headers: [{ name: 'Sec-Fetch-Dest', value: 'iframe' }] } }, type: 'sub_frame' },
    { description: 'Firefox iframe (no _resourceType)', extra: { request: { headers: [{ name: 'Sec-Fetch-Dest', value: 'iframe' }] } }, type: 'sub_frame' },
    { description: 'Firefox fetch', extra: { request: { headers: [{ name: 'Sec-Fetch-Dest', value: 'empty' }] } }, type: 'fetch' },
    { description: 'old XHR header', extra: { request: { headers: [{ name: 'X-Requested-With', value: 'XMLHttpRequest' }] } }, type: 'xhr' },
    { description: 'HTML guess', extra: {}, type: 'main_frame' },
    { description: 'JSON guess', extra: { response: { content: { size: 2, mimeType: 'application/json', text: '{}' } } }, type: 'fetch' },
  ])('guesses the type of a $description', ({ extra, type }) => {
    const { events } = ingestHar(har([entry('GET', AUTHORIZE, extra)]));
    expect(events[0]?.type).toBe(type);
  });

  it.each([
    { description: 'Origin header', headers: [{ name: 'Origin', value: 'https://spa.example' }], initiator: 'https://spa.example' },
    { description: 'Referer header', headers: [{ name: 'Referer', value: 'https://App.example/page?x=1' }], initiator: 'https://app.example' },
    { description: 'opaque Origin falls back to Referer', headers: [{ name: 'Origin', value: 'null' }, { name: 'Referer', value: 'https://r.example/' }], initiator: 'https://r.example' },
    { description: 'no header', headers: [], initiator: undefined },
  ])('takes the initiator from the $description', ({ headers, initiator }) => {
    const { events } = ingestHar(har([entry('GET', AUTHORIZE, { request: { headers } })]));
    expect(events[0]?.initiator).toBe(initiator);
  });

  it('takes the initiator from a Chrome script stack', () => {
    const { events } = ingestHar(
      har([entry('POST', 'https://as.example/token', {
        _initiator: { type: 'script', stack: { callFrames: [{ url: '' }, { url: 'https://spa.example/main.js' }] } },
        request: { postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=abc' } },
      })]),
    );
    expect(events[0]?.initiator).toBe('https://spa.example');
  });
});

describe('ingestHar: bodies', () => {
  it.each([
    {
      description: 'url-encoded text (decoded exactly from the text)',
      postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=a%2Bb&redirect_uri=https%3A%2F%2Fapp.example%2Fcb', params: [{ name: 'code', value: 'a%2Bb' }] },
      expected: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=a%2Bb&redirect_uri=https%3A%2F%2Fapp.example%2Fcb', formData: { grant_type: ['authorization_code'], code: ['a+b'], redirect_uri: ['https://app.example/cb'] } },
    },
    {
      description: 'params only (Firefox without text)',
      postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'grant_type', value: 'refresh_token' }, { name: 'scope', value: 'a' }, { name: 'scope', value: 'b' }] },
      expected: { mimeType: 'application/x-www-form-urlencoded', formData: { grant_type: ['refresh_token'], scope: ['a', 'b'] } },
    },
    {
      description: 'JSON text',
      postData: { mimeType: 'application/json', text: '{"grant_type":"authorization_code","code":"c1"}' },
      expected: { mimeType: 'application/json', text: '{"grant_type":"authorization_code","code":"c1"}' },
    },
  ])('reads a request body: $description', ({ postData, expected }) => {
    const { events } = ingestHar(har([entry('POST', 'https://as.example/oauth/token', { request: { postData } })]));
    expect(events[0]?.requestBody).toEqual(expected);
  });

  it.each([
    { description: 'plain text', content: { size: 20, mimeType: 'application/json', text: '{"access_token":"x"}' }, body: { text: '{"access_token":"x"}', mimeType: 'application/json' }, state: 'captured' },
    { description: 'base64 (Playwright, Chrome binary)', content: { size: 20, mimeType: 'application/json', encoding: 'base64', text: btoa('{"id_token":"é"}'.replace('é', '\u00c3\u00a9')) }, body: { text: '{"id_token":"é"}', mimeType: 'application/json' }, state: 'captured' },
    { description: 'missing text', content: { size: 20, mimeType: 'application/json' }, body: undefined, state: 'unavailable' },
    { description: 'Playwright attach mode', content: { size: 20, mimeType: 'application/json', _file: 'abc.json' }, body: undefined, state: 'unavailable' },
    { description: 'bad base64', content: { size: 20, mimeType: 'application/json', encoding: 'base64', text: '%%%' }, body: undefined, state: 'unavailable' },
  ])('reads a response body: $description', ({ content, body, state }) => {
    const { events } = ingestHar(har([entry('POST', 'https://as.example/token', { request: { postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=refresh_token&refresh_token=r' } }, response: { content } })]));
    expect(events[0]?.responseBody).toEqual(body);
    expect(events[0]?.responseBodyState).toBe(state);
  });
});

describe('ingestHar: redirects', () => {
  const redirect = (status: number, location: string, redirectURL = location) => ({
    response: { status, headers: [{ name: 'Location', value: location }], redirectURL },
  });

  it('links the hops of a chain and resolves a relative Location, keeping the fragment', () => {
    const { events } = ingestHar(
      har([
        entry('GET', AUTHORIZE, redirect(302, '/login?interaction=abc', 'https://as.example/login?interaction=abc')),
        entry('GET', 'https://as.example/login?interaction=abc', redirect(302, 'https://app.example/cb#access_token=tok&state=s1', 'https://app.example/cb')),
        entry('GET', 'https://app.example/cb'),
      ]),
    );
    expect(events.map(({ id, requestId, hop, redirectUrl }) => ({ id, requestId, hop, redirectUrl }))).toEqual([
      { id: '0', requestId: '0', hop: 0, redirectUrl: 'https://as.example/login?interaction=abc' },
      { id: '0.1', requestId: '0', hop: 1, redirectUrl: 'https://app.example/cb#access_token=tok&state=s1' },
      { id: '0.2', requestId: '0', hop: 2, redirectUrl: undefined },
    ]);
  });

  it('uses redirectURL when there is no Location header (and resolves it)', () => {
    const { events } = ingestHar(har([entry('GET', AUTHORIZE, { response: { status: 303, redirectURL: 'cb?code=c1&state=s1' } })]));
    expect(events[0]?.redirectUrl).toBe('https://as.example/cb?code=c1&state=s1');
  });

  it('does not link an unrelated later request to a stale redirect', () => {
    const later = entry('GET', 'https://app.example/cb?code=c1', { startedDateTime: '2026-01-01T11:00:00.000Z' });
    const { events } = ingestHar(har([entry('GET', AUTHORIZE, redirect(302, 'https://app.example/cb?code=c1')), later]));
    expect(events.map((e) => e.id)).toEqual(['0', '1']);
  });

  it('keeps interleaved chains apart', () => {
    const { events } = ingestHar(
      har([
        entry('GET', AUTHORIZE, redirect(302, 'https://app.example/cb?code=c1&state=s1')),
        entry('GET', AUTHORIZE.replace('s1', 's2'), redirect(302, 'https://app.example/cb?code=c2&state=s2')),
        entry('GET', 'https://app.example/cb?code=c2&state=s2'),
        entry('GET', 'https://app.example/cb?code=c1&state=s1'),
      ]),
    );
    expect(events.map((e) => e.id)).toEqual(['0', '1', '1.1', '0.1']);
  });

  it('keeps the hop after a callback even though its URL is ordinary', () => {
    const { events } = ingestHar(
      har([
        entry('GET', 'https://app.example/cb?code=c1&state=s1', redirect(302, '/home')),
        entry('GET', 'https://app.example/home'),
        entry('GET', 'https://app.example/other'),
      ]),
    );
    expect(events.map((e) => e.url)).toEqual(['https://app.example/cb?code=c1&state=s1', 'https://app.example/home']);
  });
});

describe('ingestHar: ids do not depend on the fast path', () => {
  it('names a hop after the entry its chain started at, even when earlier hops were dropped', () => {
    const entries = [
      entry('GET', 'https://as.example/interaction/abc/abort', { response: { status: 303, headers: [{ name: 'Location', value: '/auth/abc' }] } }),
      entry('GET', 'https://as.example/auth/abc', { response: { status: 303, redirectURL: 'https://app.example/cb?error=access_denied&state=s1' } }),
      entry('GET', 'https://app.example/cb?error=access_denied&state=s1'),
    ];
    const fast = ingestHar(har(entries)).events.map((e) => e.id);
    const all = ingestHar(har(entries), { keepAll: true }).events.map((e) => e.id);
    expect(fast).toEqual(['0.1', '0.2']);
    expect(all).toEqual(['0', '0.1', '0.2']);
  });

  it('keeps a later request whose URL carries a code seen before, however it is encoded', () => {
    const code = '4O0Z7s8SSImz-dOVFov5MB344sR3Xq26eKT';
    const { events } = ingestHar(
      har([
        entry('GET', `https://app.example/callback?code=${code}&state=s1`),
        entry('GET', 'https://cdn.example/app.js'),
        entry('GET', `https://tracker.example/collect?v=1&dl=${encodeURIComponent(`https://app.example/callback?code=${code}`)}`),
        entry('GET', 'https://tracker.example/collect?v=1&dl=https%3A%2F%2Fapp.example%2F'),
      ]),
    );
    expect(events.map((e) => e.id)).toEqual(['0', '2']);
  });

  it('watches tokens from token responses too', () => {
    const { events } = ingestHar(
      har([
        entry('POST', 'https://as.example/token', { request: { postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=refresh_token&refresh_token=r1' } }, response: { content: { size: 1, mimeType: 'application/json', text: '{"access_token":"at-0123456789abcdef"}' } } }),
        entry('GET', 'https://evil.example/steal?t=at-0123456789abcdef'),
      ]),
    );
    expect(events.map((e) => e.id)).toEqual(['0', '1']);
  });
});

describe('ingestHar: fast path', () => {
  const ordinary = [
    entry('GET', 'https://cdn.example/app.js', { _resourceType: 'script' }),
    entry('GET', 'https://app.example/items?page=2&sort=asc'),
    entry('GET', 'https://app.example/verify?token_hint=1'),
    entry('POST', 'https://metrics.example/collect', { request: { postData: { mimeType: 'application/json', text: '{"event":"click"}' } } }),
    entry('GET', 'https://api.example/me', { response: { content: { size: 2, mimeType: 'application/json', text: '{"name":"x"}' } } }),
  ];
  const interesting = [
    { description: 'authorization request', e: entry('GET', AUTHORIZE) },
    { description: 'callback in the fragment', e: entry('GET', 'https://app.example/cb#code=c1&state=s1') },
    { description: 'Referer with a code', e: entry('GET', 'https://cdn.example/logo.png', { request: { headers: [{ name: 'Referer', value: 'https://app.example/cb?code=c1' }] } }) },
    { description: 'bearer API call', e: entry('GET', 'https://api.example/me', { request: { headers: [{ name: 'Authorization', value: 'Bearer x' }] } }) },
    { description: 'DPoP API call', e: entry('GET', 'https://api.example/me', { request: { headers: [{ name: 'DPoP', value: 'eyJ.x.y' }] } }) },
    { description: 'Location with a code', e: entry('GET', 'https://app.example/start', { response: { status: 302, redirectURL: 'https://app.example/cb?code=c1' } }) },
    { description: 'Location in a header only', e: entry('GET', 'https://app.example/start', { response: { status: 302, headers: [{ name: 'location', value: '/cb?code=c1' }] } }) },
    { description: 'discovery', e: entry('GET', 'https://as.example/.well-known/openid-configuration') },
    { description: 'logout with an ID token hint', e: entry('GET', 'https://as.example/logout?id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30.sig') },
    { description: 'JWKS on an ordinary path', e: entry('GET', 'https://as.example/certs', { response: { content: { size: 9, mimeType: 'application/json', text: '{"keys":[{"kty":"RSA"}]}' } } }) },
    { description: 'token request (form)', e: entry('POST', 'https://as.example/t', { request: { postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=c' } } }) },
    { description: 'token request (params)', e: entry('POST', 'https://as.example/t', { request: { postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'code', value: 'c' }] } } }) },
    { description: 'login POST answered with a redirect', e: entry('POST', 'https://as.example/login', { request: { postData: { mimeType: 'application/x-www-form-urlencoded', text: 'username=a&password=b' } }, response: { status: 307, redirectURL: 'https://app.example/next' } }) },
    { description: 'POST without a visible body', e: entry('POST', 'https://as.example/t') },
  ];

  it('drops ordinary traffic', () => {
    expect(ingestHar(har(ordinary)).events).toEqual([]);
  });

  it.each(interesting)('keeps a $description', ({ e }) => {
    const { events } = ingestHar(har([...ordinary, e, ...ordinary]));
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBe(String(ordinary.length));
  });

  it('keeps everything with keepAll', () => {
    expect(ingestHar(har(ordinary), { keepAll: true }).events).toHaveLength(ordinary.length);
  });
});

describe('ingestHar: sanitized exports', () => {
  const many = (extra: Json = {}) => Array.from({ length: 25 }, (_, i) => entry('GET', `https://app.example/page/${i}`, extra));

  it('warns when a large capture carries no cookie and no Authorization header at all', () => {
    expect(ingestHar(har(many())).warnings).toEqual([SANITIZED_WARNING]);
  });

  it.each([
    { description: 'a request cookie', extra: { request: { cookies: [{ name: 'sid', value: 'x' }] } } },
    { description: 'a response cookie', extra: { response: { cookies: [{ name: 'sid', value: 'x' }] } } },
    { description: 'a Cookie header only (Playwright minimal)', extra: { request: { headers: [{ name: 'cookie', value: 'sid=x' }] } } },
    { description: 'a Set-Cookie header only', extra: { response: { headers: [{ name: 'Set-Cookie', value: 'sid=x' }] } } },
  ])('does not warn when an entry carries $description', ({ extra }) => {
    expect(ingestHar(har(many(extra))).warnings).toEqual([]);
  });

  it('does not warn when an Authorization header was kept', () => {
    const entries = [...many(), entry('GET', 'https://api.example/me', { request: { headers: [{ name: 'Authorization', value: 'Bearer abc' }] } })];
    expect(ingestHar(har(entries)).warnings).toEqual([]);
  });
});

describe('ingestHar: order and errors', () => {
  it('sorts by start time and numbers seq in that order', () => {
    const { events } = ingestHar(
      har([
        entry('GET', `${AUTHORIZE}&n=1`, { startedDateTime: '2026-01-01T10:00:02.000Z' }),
        entry('GET', `${AUTHORIZE}&n=2`, { startedDateTime: '2026-01-01T10:00:01.000Z' }),
      ]),
    );
    expect(events.map((e) => [e.id, e.seq])).toEqual([['1', 0], ['0', 1]]);
  });

  it('records failed requests', () => {
    const { events } = ingestHar(har([entry('GET', AUTHORIZE, { response: { status: 0, _error: 'net::ERR_ABORTED' } })]));
    expect(events[0]).toMatchObject({ error: 'net::ERR_ABORTED' });
    expect(events[0]?.status).toBeUndefined();
  });

  it('reads a Firefox entry without a response', () => {
    const e = entry('GET', AUTHORIZE);
    delete e.response;
    const { events } = ingestHar(har([e], 'Firefox'));
    expect(events[0]).toMatchObject({ error: 'no response', responseBodyState: 'unavailable' });
  });
});
