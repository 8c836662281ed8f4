/**
 * Active checks end to end in Chromium, driven as the panel's confirm button
 * does (plan in the page, `oauth-lens/active-run` to the worker): against
 * oidc-provider every check passes (no finding); against the deliberately
 * flawed AS (client ms-legacy) each one fires.
 *
 * Two browsers: one plain, and one with DevTools auto-opened on every tab so
 * the refresh answers are captured (rotation is known only from them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import type { Flow } from '../../src/core/model.ts';
import type { ActiveCheckId, ActiveCheckResult } from '../../src/core/replay/types.ts';
import { activeBuild, autoLogin, flowsOf, launchActive, runActive, tabEvents, tabIdOf, type ActiveLens } from './active-support.ts';

let demo: Demo;
let plain: ActiveLens;
let withDevtools: ActiveLens;
let cleanupBuild: () => void = () => undefined;
const opened: Page[] = [];

beforeAll(async () => {
  const built = await activeBuild();
  cleanupBuild = built.cleanup;
  demo = await startDemo();
  plain = await launchActive(built.dir);
  withDevtools = await launchActive(built.dir, ['--auto-open-devtools-for-tabs']);
});

afterEach(async () => {
  for (const page of opened.splice(0)) await page.close();
});

afterAll(async () => {
  await plain?.close();
  await withDevtools?.close();
  await demo?.close();
  cleanupBuild();
});

async function login(lens: ActiveLens, variant: string, ready: (flows: Flow[]) => boolean): Promise<{ tabId: number; flows: Flow[] }> {
  const page = await lens.context.newPage();
  opened.push(page);
  await page.goto(demo.urls.variants[variant] as string);
  // DevTools (auto-opened for the tab) must be attached before the login, or the token answers are missed.
  if (lens === withDevtools) await page.waitForTimeout(1500);
  const tabId = await tabIdOf(lens, page);
  if (process.env.LENS_DEBUG) console.log('login', variant, new Date().toISOString());
  await completeVariant(lens.context, page, variantByName(variant)!);
  if (process.env.LENS_DEBUG) console.log('logged in', variant, new Date().toISOString());
  let flows: Flow[] = [];
  await expect
    .poll(async () => {
      flows = flowsOf(await tabEvents(lens, tabId));
      return ready(flows);
    }, { timeout: 15_000 })
    .toBe(true);
  return { tabId, flows };
}

const codeFlow = (flows: Flow[]) => flows.find((f) => f.kind === 'authorization_code' && f.legs.some((l) => l.grantType === 'authorization_code'));
/** The flow holding a refresh (it may be the login's own flow), once every token answer in it is captured. */
const refreshed = (flows: Flow[]) =>
  flows.find((f) => f.legs.some((l) => l.grantType === 'refresh_token') && f.legs.filter((l) => l.kind === 'token-request').every((l) => l.response));

async function run(lens: ActiveLens, tabId: number, flow: Flow, check: ActiveCheckId): Promise<Record<string, ActiveCheckResult>> {
  if (process.env.LENS_DEBUG) console.log('run', check, flow.id, new Date().toISOString());
  const { answer } = await runActive(lens, tabId, flow, check);
  if (!answer.ok) throw new Error(answer.error);
  if (process.env.LENS_DEBUG) console.log(JSON.stringify(answer.results.map((r) => [r.check, r.verdict, r.summary])));
  expect(answer.events.length).toBeGreaterThan(0);
  expect(answer.events.every((e) => e.fromInspector === true)).toBe(true);
  return Object.fromEntries(answer.results.map((r) => [r.check, r]));
}

describe('oidc-provider: every active check passes, no finding', () => {
  it('code replay, fresh code with missing/wrong/right verifier and reuse, changed redirect_uri', async () => {
    const { tabId, flows } = await login(plain, 'clean', (f) => !!codeFlow(f));
    const flow = codeFlow(flows) as Flow;
    const stop = autoLogin(plain.context);
    try {
      const replay = await run(plain, tabId, flow, 'code.reuse-accepted');
      expect(replay['code.reuse-accepted']).toMatchObject({ verdict: 'pass', summary: expect.stringMatching(/^Pass: the server refused the reused code \(invalid_grant/) });
      const pkce = await run(plain, tabId, flow, 'pkce.not-enforced');
      // A pass needs the right verifier to have been accepted: the app's Origin reached the token endpoint.
      expect(pkce['pkce.not-enforced']).toMatchObject({ verdict: 'pass' });
      expect(pkce['pkce.not-enforced']?.steps.find((s) => s.id === 'right-verifier')?.reading?.outcome).toBe('tokens');
      expect(pkce['code.reuse-accepted']).toMatchObject({ verdict: 'pass' });
      const redirect = await run(plain, tabId, flow, 'redirect.not-exact');
      expect(redirect['redirect.not-exact']).toMatchObject({ verdict: 'pass' });
      expect(redirect['redirect.not-exact']?.steps.map((s) => s.navigation?.kind)).toEqual(['error-page', 'error-page', 'error-page', 'error-page']);
      for (const result of [replay, pkce, redirect].flatMap((r) => Object.values(r))) expect(result.finding).toBeUndefined();
    } finally {
      stop();
    }
  });

  it('a rotated refresh token replayed is refused', async () => {
    const { tabId, flows } = await login(withDevtools, 'refresh-rotating', (f) => !!refreshed(f));
    const result = await run(withDevtools, tabId, refreshed(flows) as Flow, 'refresh.reuse-accepted');
    expect(result['refresh.reuse-accepted']).toMatchObject({ verdict: 'pass' });
    expect(result['refresh.reuse-accepted']?.finding).toBeUndefined();
  });
});

describe('flawed AS (ms-legacy): every active check fires', () => {
  it('code reuse, PKCE not enforced, redirect_uri matched by prefix', async () => {
    const { tabId, flows } = await login(plain, 'active-flaws', (f) => !!codeFlow(f));
    const flow = codeFlow(flows) as Flow;
    const stop = autoLogin(plain.context);
    // Every navigation of the probe tabs to the app (the inspector's state) must be stopped in the browser.
    const atApp = (url: string) => url.startsWith(demo.urls.app) && /[?&]state=lens-/.test(url);
    const reachedApp: string[] = [];
    const stopped: string[] = [];
    const onResponse = (r: { url(): string }) => void (atApp(r.url()) && reachedApp.push(r.url()));
    const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => void (atApp(r.url()) && stopped.push(r.failure()?.errorText ?? ''));
    plain.context.on('response', onResponse);
    plain.context.on('requestfailed', onFailed);
    try {
      const replay = await run(plain, tabId, flow, 'code.reuse-accepted');
      expect(replay['code.reuse-accepted']?.finding).toMatchObject({ check: 'code.reuse-accepted', severity: 'critical', flowId: flow.id });
      const pkce = await run(plain, tabId, flow, 'pkce.not-enforced');
      expect(pkce['pkce.not-enforced']?.finding).toMatchObject({ check: 'pkce.not-enforced', severity: 'critical' });
      expect(pkce['code.reuse-accepted']?.verdict).toBe('finding');
      const redirect = await run(plain, tabId, flow, 'redirect.not-exact');
      expect(redirect['redirect.not-exact']?.finding).toMatchObject({ check: 'redirect.not-exact', severity: 'high' });
      // Prefix matching: the extra path and the added query are accepted; another port or host is not.
      expect(redirect['redirect.not-exact']?.steps.map((s) => [s.id, s.navigation?.kind])).toEqual([
        ['path', 'redirected'],
        ['port', 'error-page'],
        ['subdomain', 'error-page'],
        ['query', 'redirected'],
      ]);
      // The fresh code and the two accepted changed addresses: caught, never delivered to the app.
      expect(reachedApp).toEqual([]);
      expect(stopped).toEqual(['net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_BLOCKED_BY_CLIENT']);
    } finally {
      stop();
      plain.context.off('response', onResponse);
      plain.context.off('requestfailed', onFailed);
    }
  });

  it('a rotated refresh token is still accepted', async () => {
    const { tabId, flows } = await login(withDevtools, 'active-flaws', (f) => !!refreshed(f));
    const result = await run(withDevtools, tabId, refreshed(flows) as Flow, 'refresh.reuse-accepted');
    expect(result['refresh.reuse-accepted']?.finding).toMatchObject({ check: 'refresh.reuse-accepted', severity: 'high' });
  });
});
