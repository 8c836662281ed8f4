import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { Flow } from '../../../src/core/model.ts';
import {
  codeReplayRequest,
  inspectorEvent,
  judgeCodeReuse,
  judgePkce,
  judgeRedirect,
  judgeRefreshReuse,
  readNavigation,
  readTokenResponse,
  type ActiveStep,
  type NavigationHop,
  type ReplayRequest,
  type ReplayResponse,
} from '../../../src/core/replay/index.ts';
import { capture } from '../../support/flow-builder.ts';

const events = capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1"}
    > Origin: https://app.test
`;
const flow = analyze(events).flows[0] as Flow;
const built = codeReplayRequest(flow);
if ('unavailable' in built) throw new Error(built.unavailable);
const request: ReplayRequest = built.request;

const json = (status: number, body: unknown, extra: Partial<ReplayResponse> = {}): ReplayResponse => ({
  status,
  headers: [{ name: 'Content-Type', value: 'application/json' }],
  bodyText: JSON.stringify(body),
  sentAt: 1,
  ...extra,
});
const TOKENS = json(200, { access_token: 'at-again', token_type: 'Bearer', refresh_token: 'rt' });
const INVALID_GRANT = json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });

function step(id: string, response: ReplayResponse, req: ReplayRequest = request): ActiveStep {
  return { id, label: id, request: req, response, reading: readTokenResponse(response, req), eventId: `lens-${id}` };
}

describe('reading a token endpoint’s answer', () => {
  const rows: Array<{ description: string; response: ReplayResponse; outcome: string; plain: RegExp; error?: string }> = [
    { description: 'tokens', response: TOKENS, outcome: 'tokens', plain: /access_token, refresh_token/ },
    { description: 'invalid_grant with its description', response: INVALID_GRANT, outcome: 'oauth-error', plain: /invalid_grant — “grant request is invalid”/, error: 'invalid_grant' },
    {
      description: 'oidc-provider refusing the extension’s Origin',
      response: json(400, { error: 'invalid_request', error_description: 'origin chrome-extension://abc not allowed for client: lens-spa' }),
      outcome: 'origin-refused',
      plain: /because of its Origin: the browser sent the extension’s origin, not the app’s \(https:\/\/app\.test\)/,
      error: 'invalid_request',
    },
    {
      description: 'a plain 403 naming CORS',
      response: { status: 403, headers: [], bodyText: 'CORS request rejected', sentAt: 1, originSent: true },
      outcome: 'origin-refused',
      plain: /although the inspector sent the app’s origin/,
    },
    {
      description: 'GitHub-style form answer with tokens',
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], bodyText: 'access_token=gho_x&scope=&token_type=bearer', sentAt: 1 },
      outcome: 'tokens',
      plain: /access_token/,
    },
    { description: 'an HTML error page', response: { status: 500, headers: [], bodyText: '<h1>oops</h1>', sentAt: 1 }, outcome: 'other', plain: /HTTP 500 without an OAuth error/ },
    { description: 'network failure', response: { status: 0, headers: [], bodyText: '', sentAt: 1, networkError: 'Failed to fetch' }, outcome: 'network-error', plain: /Failed to fetch/ },
    { description: '200 with an error field is not tokens', response: json(200, { error: 'invalid_grant', access_token: '' }), outcome: 'oauth-error', plain: /invalid_grant/ },
  ];
  for (const { description, response, outcome, plain, error } of rows) {
    it(description, () => {
      const reading = readTokenResponse(response, request);
      expect(reading.outcome).toBe(outcome);
      expect(reading.plain).toMatch(plain);
      if (error) expect(reading.error).toBe(error);
    });
  }
});

describe('code.reuse-accepted', () => {
  const rows = [
    { description: 'tokens again: critical finding', response: TOKENS, verdict: 'finding' },
    { description: 'invalid_grant: pass, shown as such', response: INVALID_GRANT, verdict: 'pass' },
    { description: 'refused for its Origin: not a verdict', response: json(400, { error: 'invalid_request', error_description: 'origin not allowed' }), verdict: 'inconclusive' },
    { description: 'invalid_client: not a verdict', response: json(401, { error: 'invalid_client' }), verdict: 'inconclusive' },
  ];
  for (const { description, response, verdict } of rows) {
    it(description, () => {
      const result = judgeCodeReuse(flow, step('replay', response), [], { now: 5 });
      expect(result.verdict).toBe(verdict);
      expect(result.finding !== undefined).toBe(verdict === 'finding');
      if (result.finding) {
        expect(result.finding).toMatchObject({ check: 'code.reuse-accepted', severity: 'critical', flowId: flow.id });
        expect(result.finding.evidence[0]).toEqual({ requestId: 'lens-replay', where: 'body.code', excerpt: 'code=****' });
      }
      if (verdict === 'pass') expect(result.summary).toBe('Pass: the server refused the reused code (invalid_grant — “grant request is invalid”).');
    });
  }

  it('fresh code never redeemed: a refused second exchange proves nothing', () => {
    const r = judgeCodeReuse(flow, step('reuse', INVALID_GRANT), [step('right-verifier', INVALID_GRANT)]);
    expect(r.verdict).toBe('inconclusive');
  });
  it('fresh code redeemed, second exchange refused: pass', () => {
    expect(judgeCodeReuse(flow, step('reuse', INVALID_GRANT), [step('right-verifier', TOKENS)]).verdict).toBe('pass');
  });
});

describe('pkce.not-enforced', () => {
  const rows = [
    { description: 'oidc-provider: refuses none and wrong, accepts right', answers: [INVALID_GRANT, INVALID_GRANT, TOKENS], verdict: 'pass' },
    { description: 'ignores PKCE: no verifier accepted', answers: [TOKENS, TOKENS, TOKENS], verdict: 'finding', actual: /no code_verifier and a wrong code_verifier/ },
    { description: 'checks presence only: wrong verifier accepted', answers: [INVALID_GRANT, TOKENS, INVALID_GRANT], verdict: 'finding', actual: /^tokens issued with a wrong code_verifier$/ },
    { description: 'even the right verifier refused: the test did not work', answers: [INVALID_GRANT, INVALID_GRANT, INVALID_GRANT], verdict: 'inconclusive' },
    { description: 'origin refusal: not a verdict', answers: [json(400, { error: 'invalid_request', error_description: 'origin x not allowed' }), INVALID_GRANT, TOKENS], verdict: 'inconclusive' },
  ];
  for (const { description, answers, verdict, actual } of rows) {
    it(description, () => {
      const ids = ['no-verifier', 'wrong-verifier', 'right-verifier'];
      const steps = answers.map((answer, i) => step(ids[i] as string, answer));
      const r = judgePkce(flow, steps);
      expect(r.verdict).toBe(verdict);
      if (actual) expect(r.finding?.actual).toMatch(actual);
      if (r.finding) expect(r.finding.severity).toBe('critical');
    });
  }
});

describe('refresh.reuse-accepted', () => {
  it.each([
    ['tokens for the rotated token', TOKENS, 'finding'],
    ['invalid_grant', INVALID_GRANT, 'pass'],
    ['server error', { status: 500, headers: [], bodyText: '', sentAt: 1 } as ReplayResponse, 'inconclusive'],
  ] as const)('%s', (_d, response, verdict) => {
    const r = judgeRefreshReuse(flow, step('replay-refresh', response));
    expect(r.verdict).toBe(verdict);
    if (r.finding) expect(r.finding.severity).toBe('high');
  });
});

describe('redirect.not-exact: reading the probe tab and judging', () => {
  const uri = 'https://app.test/cb/lens-probe';
  const rows: Array<{ description: string; hops: NavigationHop[]; kind: string }> = [
    { description: 'redirect straight there (session existed)', hops: [{ url: 'https://as.test/authorize?x', status: 302, redirectUrl: `${uri}?code=c&state=s` }], kind: 'redirected' },
    {
      description: 'login page, then there after the login POST',
      hops: [
        { url: 'https://as.test/authorize?x', status: 200 },
        { url: 'https://as.test/login', status: 303, redirectUrl: `${uri}?code=c&state=s` },
      ],
      kind: 'redirected',
    },
    { description: 'oidc-provider error page', hops: [{ url: 'https://as.test/auth?x', status: 400 }], kind: 'error-page' },
    { description: 'error sent to the registered address', hops: [{ url: 'https://as.test/auth?x', status: 302, redirectUrl: 'https://app.test/cb?error=invalid_request&state=s' }], kind: 'error-page' },
    { description: 'login page: waits for the user', hops: [{ url: 'https://as.test/authorize?x', status: 200 }], kind: 'waiting' },
    { description: 'navigation caught by the rule at the changed address', hops: [{ url: `${uri}?code=c`, caught: true }], kind: 'redirected' },
  ];
  for (const { description, hops, kind } of rows) it(description, () => expect(readNavigation(hops, uri).kind).toBe(kind));

  const probe = (id: string, hops: NavigationHop[]): ActiveStep => ({ id, label: id, url: 'https://as.test/authorize', navigation: readNavigation(hops, uri), eventId: `lens-${id}` });
  it('any redirect to a changed address: finding', () => {
    const r = judgeRedirect(flow, [probe('path', [{ url: 'https://as.test/a', status: 302, redirectUrl: `${uri}?code=secretcode1` }]), probe('port', [{ url: 'https://as.test/a', status: 400 }])]);
    expect(r.verdict).toBe('finding');
    expect(r.finding).toMatchObject({ check: 'redirect.not-exact', severity: 'high' });
    expect(r.finding?.evidence[0]?.excerpt).not.toContain('secretcode1');
  });
  it('every probe an error page: pass', () => {
    expect(judgeRedirect(flow, [probe('path', [{ url: 'https://as.test/a', status: 400 }])]).verdict).toBe('pass');
  });
  it('a login page still open: inconclusive, asks the user to log in', () => {
    const r = judgeRedirect(flow, [probe('path', [{ url: 'https://as.test/a', status: 200 }])]);
    expect(r.verdict).toBe('inconclusive');
    expect(r.summary).toMatch(/log in/);
  });
});

describe('the inspector’s own requests as events', () => {
  it('marked fromInspector, with the body and the decoded answer, and the Origin only when it was sent', () => {
    const event = inspectorEvent({ id: 'lens-1', seq: 99, tabId: 3 }, request, { ...INVALID_GRANT, originSent: true });
    expect(event).toMatchObject({ id: 'lens-1', fromInspector: true, method: 'POST', url: 'https://as.test/token', status: 400, type: 'fetch', responseBodyState: 'captured' });
    expect(event.requestBody?.formData?.code).toEqual(['c1']);
    expect(event.requestHeaders).toContainEqual({ name: 'Origin', value: 'https://app.test' });
    const without = inspectorEvent({ id: 'lens-2', seq: 100, tabId: 3 }, request, INVALID_GRANT);
    expect(without.requestHeaders?.some((h) => h.name === 'Origin')).toBe(false);
  });
  it('the engine classifies the replay into the captured flow (same code)', () => {
    const event = inspectorEvent({ id: 'lens-1', seq: 99, tabId: 1 }, request, TOKENS);
    const again = analyze([...events, event]).flows;
    expect(again).toHaveLength(1);
    expect(again[0]?.legs.some((l) => l.event.fromInspector)).toBe(true);
  });
});
