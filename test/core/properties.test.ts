/**
 * Properties of the engine, checked with fast-check on generated captures.
 * `npm test` runs 10k cases of the no-throw property; `npm run fuzz` 100k.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { analyze } from '../../src/core/flows/analyze.ts';
import type { RequestEvent } from '../../src/core/model.ts';
import { capture } from '../support/flow-builder.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

const oauthName = fc.constantFrom(
  'response_type', 'client_id', 'redirect_uri', 'state', 'nonce', 'code', 'code_challenge', 'code_challenge_method',
  'code_verifier', 'grant_type', 'refresh_token', 'access_token', 'id_token', 'error', 'iss', 'request_uri', 'request',
  'client_secret', 'token_type', 'scope', 'prompt', 'id_token_hint', 'x',
);
const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('code', 'token', 'id_token token', 'code id_token', 'S256', 'plain', 'authorization_code', 'refresh_token', 'password', 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.', 'eyJ.eyJ.x', 'v1', 's1', 'c1', '%', '%E0%A4%A', '<img src=x onerror=alert(1)>', 'javascript:alert(1)'),
);
const params = fc.dictionary(oauthName, value, { maxKeys: 6 }).map((d) => new URLSearchParams(d).toString());
const origin = fc.constantFrom('https://as.test', 'https://app.test', 'http://evil.test', 'https://api.test', 'http://127.0.0.1:8080', 'weird://x', '');
const path = fc.constantFrom('/', '/authorize', '/token', '/cb', '/.well-known/openid-configuration', '/jwks', '/%zz', '');
const url = fc.tuple(origin, path, params, fc.boolean(), params).map(([o, p, q, frag, f]) => `${o}${p}?${q}${frag ? `#${f}` : ''}`);
const headers = fc.array(
  fc.record({ name: fc.constantFrom('Authorization', 'Referer', 'Cache-Control', 'Referrer-Policy', 'DPoP', 'Origin', 'Location', 'X'), value: fc.oneof(value, url, fc.constant('Bearer v1'), fc.constant('Basic Yzpz')) }),
  { maxLength: 4 },
);
const responseText = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.dictionary(oauthName, value, { maxKeys: 5 }).map((d) => JSON.stringify(d)),
  fc.constant('{"issuer":"https://as.test","authorization_endpoint":"https://as.test/authorize","jwks_uri":"https://as.test/jwks"}'),
  fc.constant('{"keys":[{"kty":"EC","crv":"P-256","x":"bad","y":"bad"}]}'),
  params,
  fc.string({ maxLength: 30 }),
);

const event = fc.record({
  tabId: fc.integer({ min: -1, max: 3 }),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'get'),
  url,
  type: fc.constantFrom('main_frame', 'sub_frame', 'xhr', 'fetch', 'image', 'other'),
  requestHeaders: fc.option(headers, { nil: undefined }),
  responseHeaders: fc.option(headers, { nil: undefined }),
  formBody: fc.option(fc.dictionary(oauthName, fc.array(value, { maxLength: 2 }), { maxKeys: 6 }), { nil: undefined }),
  textBody: fc.option(fc.oneof(params, responseText), { nil: undefined }),
  status: fc.option(fc.constantFrom(200, 201, 302, 303, 307, 400, 401, 500), { nil: undefined }),
  redirectUrl: fc.option(url, { nil: undefined }),
  responseBody: fc.option(responseText, { nil: undefined }),
});

type GeneratedEvent = typeof event extends fc.Arbitrary<infer T> ? T : never;

function toEvents(records: GeneratedEvent[]): RequestEvent[] {
  return records.map((r, i) => {
    const e: RequestEvent = {
      id: `e${i}`,
      requestId: `e${i}`,
      hop: 0,
      seq: i + 1,
      time: 1_700_000_000_000 + i * 1000,
      tabId: r.tabId,
      method: r.method,
      url: r.url,
      type: r.type as RequestEvent['type'],
      responseBodyState: r.responseBody === undefined ? 'unavailable' : 'captured',
    };
    if (r.requestHeaders) e.requestHeaders = r.requestHeaders;
    if (r.responseHeaders) e.responseHeaders = r.responseHeaders;
    if (r.formBody || r.textBody) e.requestBody = { ...(r.formBody ? { formData: r.formBody } : {}), ...(r.textBody ? { text: r.textBody } : {}) };
    if (r.status !== undefined) e.status = r.status;
    if (r.redirectUrl !== undefined) e.redirectUrl = r.redirectUrl;
    if (r.responseBody !== undefined) e.responseBody = { text: r.responseBody };
    return e;
  });
}

const CLEAN_FLOWS = capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1aaaaaaaaaaaaaaaaaaaa&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1aaaaaaaaaaaaaaaaaaaa
  GET https://app.test/cb?code=c1&state=s1aaaaaaaaaaaaaaaaaaaa -> 200
  POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk -> 200 {"access_token":"at1","refresh_token":"rt1"}
  [tab=2] GET https://idp.test/auth?response_type=id_token&client_id=spa&state=s2&nonce=n&redirect_uri=https%3A%2F%2Fspa.test%2F -> 302 https://spa.test/#id_token=a.b.c&state=s2
  POST https://as.test/token grant_type=refresh_token&refresh_token=rt1&client_id=app -> 200 {"access_token":"at2","refresh_token":"rt2"}
  [fetch] GET https://api.test/me -> 200
    > Authorization: Bearer at2
`;

const unrelated = fc.record({
  tabId: fc.integer({ min: 5, max: 9 }),
  url: fc.tuple(fc.constantFrom('https://cdn.test', 'https://news.test', 'https://shop.test'), fc.constantFrom('/a.js', '/img.png', '/list?page=2', '/verify?code=123&state=open', '/auth/token/x')).map(([o, p]) => o + p),
  method: fc.constantFrom('GET', 'POST'),
});

function shape(events: RequestEvent[]) {
  return analyze(events).flows.map((f) => ({ id: f.id, kind: f.kind, legs: f.legs.map((l) => l.id) }));
}

describe('engine properties', () => {
  it(`no input makes the engine throw (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 8 }), async (records) => {
        const result = await audit(toEvents(records));
        expect(Array.isArray(result.findings)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('every leg lands in at most one flow', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 10 }), (records) => {
        const ids = analyze(toEvents(records)).flows.flatMap((f) => f.legs.map((l) => l.id));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: Math.min(RUNS, 2000) },
    );
    // 2000 analyses take 4-7 s when the whole suite shares a busy 2-core machine: vitest's default 5 s is too tight.
  }, 60_000);

  it('grouping is unchanged when unrelated traffic from other tabs is interleaved', () => {
    const expected = shape(CLEAN_FLOWS);
    expect(expected.length).toBe(2);
    fc.assert(
      fc.property(fc.array(fc.tuple(unrelated, fc.nat({ max: CLEAN_FLOWS.length })), { maxLength: 20 }), (noise) => {
        const merged: RequestEvent[] = CLEAN_FLOWS.map((e) => ({ ...e }));
        noise.forEach(([n, position], i) => {
          const e: RequestEvent = { id: `n${i}`, requestId: `n${i}`, hop: 0, seq: 0, time: 0, tabId: n.tabId, method: n.method, url: n.url, type: 'main_frame', status: 200, responseBodyState: 'unavailable' };
          merged.splice(Math.min(position, merged.length), 0, e);
        });
        merged.forEach((e, i) => {
          e.seq = i + 1;
        });
        expect(shape(merged)).toEqual(expected);
      }),
      { numRuns: Math.min(RUNS, 1000) },
    );
  });
});
