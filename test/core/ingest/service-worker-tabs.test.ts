import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../src/core/model.ts';
import { ServiceWorkerTabs } from '../../../src/core/ingest/service-worker-tabs.ts';

const APP = 'https://app.example.test';
const SHOP = 'https://shop.example.test';
const AS = 'https://as.example.test';
const IDLE = 10 * 60_000;
const T0 = 1_800_000_000_000;

let n = 0;
function event(url: string, extra: Partial<RequestEvent> = {}): RequestEvent {
  n += 1;
  return { id: String(n), requestId: String(n), hop: 0, seq: n, time: T0, tabId: 1, method: 'GET', url, type: 'main_frame', responseBodyState: 'none', ...extra };
}

const form = (fields: Record<string, string>) => ({ formData: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]])) });
const authorize = (origin: string, time = T0) =>
  event(`${AS}/auth?response_type=code&client_id=c&redirect_uri=${encodeURIComponent(`${origin}/cb`)}&state=s`, { time });
const swToken = (fields: Record<string, string>, initiator: string | null = APP) =>
  ({ url: `${AS}/token`, method: 'POST', requestBody: form(fields), ...(initiator ? { initiator } : {}) }) as const;

/** Each row: what tabs showed (tab, event), then a request without a tab, and the tab it belongs to. */
type Asked = Parameters<ServiceWorkerTabs['tabOf']>[0];
const rows: { description: string; seen: [number, RequestEvent][]; request: Asked; now?: number; expected: number | undefined }[] = [
  {
    description: 'the code was on a callback URL of tab 3',
    seen: [[2, authorize(APP, T0 + 5)], [3, event(`${APP}/cb?code=CODE-3333&state=s`)]],
    request: swToken({ grant_type: 'authorization_code', code: 'CODE-3333' }),
    expected: 3,
  },
  {
    description: "the code was in the Location of tab 4's authorization response",
    seen: [[4, event(`${AS}/auth/resume`, { status: 303, redirectUrl: `${APP}/cb?code=CODE-4444&state=s` })], [5, authorize(APP, T0 + 9)]],
    request: swToken({ grant_type: 'authorization_code', code: 'CODE-4444' }),
    expected: 4,
  },
  {
    description: "the code came in a form_post callback's body on tab 6",
    seen: [[6, event(`${APP}/cb`, { method: 'POST', requestBody: form({ code: 'CODE-6666', state: 's' }) })], [7, authorize(APP, T0 + 9)]],
    request: swToken({ grant_type: 'authorization_code', code: 'CODE-6666' }),
    expected: 6,
  },
  {
    description: "the refresh token was issued by tab 8's token response",
    seen: [
      [8, event(`${AS}/token`, { method: 'POST', requestBody: form({ grant_type: 'authorization_code', code: 'C8' }), responseBody: { text: '{"access_token":"a","refresh_token":"RT-8888"}' } })],
      [9, authorize(APP, T0 + 9)],
    ],
    request: swToken({ grant_type: 'refresh_token', refresh_token: 'RT-8888' }),
    expected: 8,
  },
  {
    description: 'a form-encoded token response (GitHub style) issues refresh tokens too',
    seen: [[10, event(`${AS}/token`, { method: 'POST', responseBody: { text: 'access_token=a&refresh_token=RT-1010&token_type=bearer' } })]],
    request: swToken({ grant_type: 'refresh_token', refresh_token: 'RT-1010' }, null),
    expected: 10,
  },
  {
    description: "a passthrough fetch handler forwards the callback page's own request: its URL's code names the tab",
    seen: [[21, event(`${AS}/auth/resume`, { status: 303, redirectUrl: `${APP}/cb?code=CODE-2121&state=s` })], [22, authorize(APP, T0 + 9)]],
    request: { url: `${APP}/cb?code=CODE-2121&state=s`, method: 'GET', initiator: APP },
    expected: 21,
  },
  {
    description: 'nothing known: the most recent tab whose client origin is the initiator',
    seen: [[11, authorize(APP, T0)], [12, authorize(SHOP, T0 + 50)], [13, authorize(APP, T0 + 20)]],
    request: swToken({ grant_type: 'authorization_code', code: 'UNSEEN' }),
    expected: 13,
  },
  {
    description: "the client origin of a refresh-only tab is the page that sent its token request",
    seen: [[14, event(`${AS}/token`, { method: 'POST', type: 'fetch', initiator: APP, requestBody: form({ grant_type: 'refresh_token', refresh_token: 'OLD' }) })]],
    request: swToken({ grant_type: 'refresh_token', refresh_token: 'UNSEEN' }),
    expected: 14,
  },
  {
    description: 'no tab of that client origin',
    seen: [[15, authorize(SHOP)]],
    request: swToken({ grant_type: 'authorization_code', code: 'UNSEEN' }),
    expected: undefined,
  },
  {
    description: "a tab whose flows went idle does not take a stranger's request",
    seen: [[16, authorize(APP)]],
    request: swToken({ grant_type: 'authorization_code', code: 'UNSEEN' }),
    now: T0 + IDLE + 1,
    expected: undefined,
  },
  {
    description: 'no initiator and nothing known',
    seen: [[17, authorize(APP)]],
    request: swToken({ grant_type: 'authorization_code', code: 'UNSEEN' }, null),
    expected: undefined,
  },
  {
    description: 'an extension initiator never matches',
    seen: [[18, authorize(APP)]],
    request: swToken({ grant_type: 'authorization_code', code: 'UNSEEN' }, 'chrome-extension://abcdefghijklmnop'),
    expected: undefined,
  },
  {
    description: 'a code known on a tab wins over a more recent tab of the same client',
    seen: [[19, event(`${APP}/cb?code=CODE-1919`)], [20, authorize(APP, T0 + 100)]],
    request: swToken({ grant_type: 'authorization_code', code: 'CODE-1919' }),
    expected: 19,
  },
];

describe('ServiceWorkerTabs: the tab of a request made outside any tab', () => {
  for (const row of rows) {
    it(`${row.description} -> ${row.expected ?? 'no tab'}`, () => {
      const tabs = new ServiceWorkerTabs({ idleMs: IDLE });
      for (const [tab, seen] of row.seen) tabs.observe(tab, seen);
      expect(tabs.tabOf(row.request, row.now ?? T0 + 1_000)).toBe(row.expected);
    });
  }

  it('forgets a closed tab', () => {
    const tabs = new ServiceWorkerTabs({ idleMs: IDLE });
    tabs.observe(3, authorize(APP));
    tabs.observe(3, event(`${APP}/cb?code=CODE-3333`));
    tabs.forget(3);
    expect(tabs.tabOf(swToken({ grant_type: 'authorization_code', code: 'CODE-3333' }), T0 + 1)).toBeUndefined();
  });

  it('ignores events of no tab, and garbage', () => {
    const tabs = new ServiceWorkerTabs({ idleMs: IDLE });
    tabs.observe(-1, event(`${APP}/cb?code=CODE-0000`));
    tabs.observe(2, event('not a url ?code=%E0%A4%A', { redirectUrl: '::', responseBody: { text: '{"refresh_token":' } }));
    expect(tabs.tabOf(swToken({ grant_type: 'authorization_code', code: 'CODE-0000' }), T0 + 1)).toBeUndefined();
    expect(tabs.tabOf({ url: '%%%', method: 'POST', requestBody: { text: '\u0000' }, initiator: '::' }, T0)).toBeUndefined();
  });
});

describe('ServiceWorkerTabs: properties', () => {
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('CODE-1', 'RT-1', '%E0%A4%A', 'https://app.example.test/cb', 'authorization_code'));
  const params = fc.dictionary(fc.constantFrom('code', 'refresh_token', 'redirect_uri', 'client_id', 'grant_type', 'state', 'error'), value, { maxKeys: 5 });
  const url = fc.tuple(fc.constantFrom(APP, AS, SHOP, 'weird://x', ''), params).map(([origin, p]) => `${origin}/x?${new URLSearchParams(p)}`);
  const seen = fc.record({
    tab: fc.integer({ min: -1, max: 4 }),
    url,
    method: fc.constantFrom('GET', 'POST'),
    redirectUrl: fc.option(url, { nil: undefined }),
    form: fc.option(params, { nil: undefined }),
    response: fc.option(fc.oneof(fc.string({ maxLength: 40 }), params.map((p) => JSON.stringify(p))), { nil: undefined }),
    initiator: fc.option(fc.constantFrom(APP, SHOP, 'null', 'chrome-extension://x'), { nil: undefined }),
    time: fc.integer({ min: 0, max: 2 * IDLE }),
  });

  it('never throws, and names only a tab it was shown', () => {
    fc.assert(
      fc.property(fc.array(seen, { maxLength: 12 }), seen, (history, request) => {
        const tabs = new ServiceWorkerTabs({ idleMs: IDLE });
        for (const h of history) {
          const requestBody = h.form ? form(h.form) : undefined;
          tabs.observe(h.tab, event(h.url, { method: h.method, time: T0 + h.time, ...(h.redirectUrl ? { redirectUrl: h.redirectUrl } : {}), ...(requestBody ? { requestBody } : {}), ...(h.response !== undefined ? { responseBody: { text: h.response } } : {}), ...(h.initiator ? { initiator: h.initiator } : {}) }));
        }
        const owner = tabs.tabOf({ url: request.url, method: request.method, ...(request.form ? { requestBody: form(request.form) } : {}), ...(request.initiator ? { initiator: request.initiator } : {}) }, T0 + request.time);
        expect(owner === undefined || history.some((h) => h.tab === owner && owner >= 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
