/**
 * What a page cannot make the active checks do (issue 9): aim the token
 * request at another site, over http, with headers or an Origin of its
 * choosing, widen a DNR rule with `*`/`^`/`|`, or open a non-http(s) probe.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../../src/platform/active/index.ts', () => ({ sendTokenRequest: vi.fn(), runProbeTab: vi.fn(), clearOurSessionRules: vi.fn() }));
vi.mock('../../../src/platform/messaging.ts', () => ({ onMessage: vi.fn(), sendMessage: vi.fn(async () => undefined) }));

const { ActiveRunner, NOT_CAPTURED } = await import('../../../src/background/active.ts');
const { analyze } = await import('../../../src/core/flows/analyze.ts');
const guard = await import('../../../src/core/replay/guard.ts');
const { planActiveCheck, planProblems } = await import('../../../src/core/replay/plan.ts');
const { tokenRequestFromLeg, wireForm } = await import('../../../src/core/replay/token-requests.ts');
const { codeExchangeLeg } = await import('../../../src/core/flows/legs.ts');
const { capture } = await import('../../support/flow-builder.ts');
import type { Flow } from '../../../src/core/model.ts';
import type { ActivePlan } from '../../../src/core/replay/plan.ts';

function flowOf(tokenUrl: string, authorize = 'https://login.as.test/authorize'): Flow {
  return analyze(capture`
    GET ${authorize}?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
    GET https://app.test/cb?code=c1&state=s1 -> 200
    [fetch] POST ${tokenUrl} grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1"}
      > Origin: https://app.test
      > Authorization: Basic YXBwOnNlY3JldA==
      > X-Forwarded-Host: evil.test
      > X-Csrf-Token: page-chosen
      > Cookie: sid=1
  `).flows[0] as Flow;
}

describe('the token endpoint must be the flow’s authorization server', () => {
  it.each([
    { description: 'the same host', token: 'https://login.as.test/token', problem: undefined },
    { description: 'another host of the same site', token: 'https://api.as.test/oauth/token', problem: undefined },
    { description: 'another site', token: 'https://victim.test/token', problem: /not on the site of the flow’s authorization server/ },
    { description: 'a look-alike under a shared suffix', token: 'https://evil.github.io/token', authorize: 'https://good.github.io/authorize', problem: /not on the site/ },
    { description: 'plain http', token: 'http://login.as.test/token', problem: /not https/ },
    { description: 'http on loopback', token: 'http://127.0.0.1:8080/token', authorize: 'http://127.0.0.1:8080/authorize', problem: undefined },
    { description: 'another loopback port is the same site', token: 'http://localhost:9000/token', authorize: 'http://localhost:8080/authorize', problem: undefined },
  ])('$description', async ({ token, authorize, problem }) => {
    const flow = flowOf(token, authorize);
    const found = guard.tokenEndpointProblem(flow, token);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
    const plan = await planActiveCheck(flow, 'code.reuse-accepted');
    expect('unavailable' in plan ? plan.unavailable : undefined).toEqual(problem === undefined ? undefined : expect.stringMatching(problem));
  });

  it('a token endpoint on another site is allowed when the AS’s own discovery document names it (Google)', () => {
    const token = 'https://oauth2.googleapis.com/token';
    const flow = { ...flowOf(token, 'https://accounts.google.com/o/oauth2/v2/auth') };
    expect(guard.tokenEndpointProblem(flow, token)).toMatch(/not on the site/);
    flow.discovery = { url: 'https://accounts.google.com/.well-known/openid-configuration', tokenEndpoint: token };
    expect(guard.tokenEndpointProblem(flow, token)).toBeUndefined();
    expect(guard.tokenEndpointProblem(flow, 'https://evil.googleapis.com/token')).toMatch(/not on the site/);
  });

  it('a look-alike discovery document served from another site does not vouch for a token endpoint', () => {
    const token = 'https://evil.test/token';
    const flow = { ...flowOf(token, 'https://accounts.google.com/o/oauth2/v2/auth') };
    flow.discovery = { url: 'https://evil.test/.well-known/openid-configuration', tokenEndpoint: token };
    expect(guard.tokenEndpointProblem(flow, token)).toMatch(/not on the site/);
  });

  it('a flow with no authorization request nor discovery document has no AS to tie the token endpoint to', () => {
    const flow = { ...flowOf('https://login.as.test/token') };
    delete flow.authorizationEndpoint;
    expect(guard.tokenEndpointProblem(flow, 'https://login.as.test/token')).toMatch(/cannot be tied/);
  });
});

describe('only the protocol’s headers are replayed', () => {
  it('keeps Authorization and Content-Type, drops X-*, Cookie and Origin', () => {
    const flow = flowOf('https://login.as.test/token');
    const request = tokenRequestFromLeg(codeExchangeLeg(flow)!)!;
    expect(request.headers.map((h) => h.name).sort()).toEqual(['Authorization']);
    const edited = { ...request, headers: [...request.headers, { name: 'X-Evil', value: '1' }, { name: 'Cookie', value: 'a=b' }] };
    expect(wireForm(edited).headers.map((h) => h.name).sort()).toEqual(['Authorization', 'Content-Type']);
  });

  it('the Origin is the app’s, as the browser reported it; a disagreeing initiator drops it', () => {
    expect(guard.observedAppOrigin('https://app.test', 'https://app.test')).toBe('https://app.test');
    expect(guard.observedAppOrigin(undefined, 'https://app.test')).toBe('https://app.test');
    expect(guard.observedAppOrigin('https://evil.test', 'https://app.test')).toBeUndefined();
    expect(guard.observedAppOrigin('null', undefined)).toBeUndefined();
    expect(guard.observedAppOrigin('chrome-extension://abc', undefined)).toBeUndefined();
    expect(guard.observedAppOrigin('https://app.test/path?x=1\r\nX: y', undefined)).toBe('https://app.test');
  });
});

describe('DNR url filters and probe URLs', () => {
  it('percent-encodes the urlFilter syntax characters, so `|url|` matches that URL only', () => {
    expect(guard.dnrSafeUrl('https://as.test/t*ken?a=^b|c')).toBe('https://as.test/t%2Aken?a=%5Eb%7Cc');
    expect(guard.dnrSafeUrl('https://as.test/token')).toBe('https://as.test/token');
  });

  it.each([
    ['https://as.test/authorize?x=1', undefined],
    ['http://localhost:3000/authorize', undefined],
    ['http://as.test/authorize', /not https/],
    ['javascript:alert(1)', /not https/],
    ['file:///etc/passwd', /not https/],
    ['data:text/html,hi', /not https/],
  ])('probe %s', (url, problem) => {
    const found = guard.probeUrlProblem(url);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('a plan whose probe opens an http authorization endpoint is refused', async () => {
    const flow = flowOf('http://as.example/token', 'http://as.example/authorize');
    const plan = await planActiveCheck(flow, 'redirect.not-exact');
    expect('unavailable' in plan && plan.unavailable).toMatch(/not https/);
  });
});

describe('the worker checks the plan on the flow it captured itself', () => {
  const flow = flowOf('https://login.as.test/token');
  const send = vi.fn(async () => ({ status: 400, headers: [], bodyText: '{"error":"invalid_grant"}', sentAt: 1 }));

  it('refuses a flow that is not in the browser’s own capture (an imported HAR)', async () => {
    const plan = (await planActiveCheck(flow, 'code.reuse-accepted')) as ActivePlan;
    const runner = new ActiveRunner({ flowFor: async () => undefined }, { sendTokenRequest: send, runProbeTab: vi.fn() as never });
    expect(await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan })).toEqual({ ok: false, error: NOT_CAPTURED });
    expect(await runner.send({ type: 'oauth-lens/active-send', tabId: 1, flowId: flow.id, request: (plan.steps[0] as Extract<ActivePlan['steps'][number], { kind: 'token' }>).request })).toEqual({ ok: false, error: NOT_CAPTURED });
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses a plan the panel aimed elsewhere, and an edit sent to another site', async () => {
    const plan = (await planActiveCheck(flow, 'code.reuse-accepted')) as ActivePlan;
    const step = plan.steps[0] as Extract<ActivePlan['steps'][number], { kind: 'token' }>;
    const aimed: ActivePlan = { ...plan, steps: [{ ...step, request: { ...step.request, url: 'https://intranet.corp.test/admin' } }] };
    expect(planProblems(flow, aimed)).toEqual([expect.stringMatching(/not on the site/)]);
    const runner = new ActiveRunner({ flowFor: async () => flow }, { sendTokenRequest: send, runProbeTab: vi.fn() as never });
    const ran = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan: aimed });
    expect(ran).toEqual({ ok: false, error: expect.stringMatching(/^not sent: .*not on the site/) });
    const sent = await runner.send({ type: 'oauth-lens/active-send', tabId: 1, flowId: flow.id, request: { ...step.request, url: 'http://169.254.169.254/latest' } });
    expect(sent).toEqual({ ok: false, error: expect.stringMatching(/not https/) });
    expect(send).not.toHaveBeenCalled();
    // The plan as planned goes out.
    expect(await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan })).toMatchObject({ ok: true });
    expect(send).toHaveBeenCalledTimes(1);
  });
});
