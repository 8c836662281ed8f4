/**
 * Active checks end to end in Chromium: against oidc-provider every check
 * passes (no finding); against the deliberately flawed AS each one fires.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import type { Flow } from '../../src/core/model.ts';
import type { ActiveCheckId } from '../../src/core/replay/types.ts';
import { activeBuild, autoLogin, flowsOf, launchActive, runActive, tabEvents, tabIdOf, type ActiveLens } from './active-support.ts';

let demo: Demo;
let lens: ActiveLens;
let cleanupBuild: () => void = () => undefined;
const opened: Page[] = [];

beforeAll(async () => {
  const built = await activeBuild();
  cleanupBuild = built.cleanup;
  demo = await startDemo();
  // DevTools open on every tab: the token and refresh answers are captured (refresh rotation is known).
  lens = await launchActive(built.dir, ['--auto-open-devtools-for-tabs']);
});

afterEach(async () => {
  for (const page of opened.splice(0)) await page.close();
});

afterAll(async () => {
  await lens?.close();
  await demo?.close();
  cleanupBuild();
});

async function login(variant: string): Promise<{ tabId: number; flows: Flow[] }> {
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants[variant] as string);
  // DevTools (auto-opened for the tab) must be attached before the login, or the token answers are missed.
  await page.waitForTimeout(1500);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName(variant)!);
  opened.push(page);
  let flows: Flow[] = [];
  await expect
    .poll(async () => {
      flows = flowsOf(await tabEvents(lens, tabId));
      return flows.some((f) => f.kind === 'authorization_code' && f.legs.some((l) => l.kind === 'token-request'));
    }, { timeout: 15_000 })
    .toBe(true);
  return { tabId, flows };
}

const codeFlow = (flows: Flow[]) => flows.find((f) => f.kind === 'authorization_code') as Flow;
/** The flow holding a refresh whose answer was captured (it may be the login's own flow). */
const refreshed = (flows: Flow[]) => flows.find((f) => f.legs.some((l) => l.grantType === 'refresh_token' && l.response));

async function verdicts(tabId: number, flow: Flow, check: ActiveCheckId) {
  const { answer } = await runActive(lens, tabId, flow, check);
  if (!answer.ok) throw new Error(answer.error);
  if (process.env.LENS_DEBUG) console.log(JSON.stringify(answer.results.map((r) => [r.check, r.verdict, r.summary, r.steps.map((s) => [s.id, s.reading?.plain, s.navigation])]), null, 1));
  expect(answer.events.every((e) => e.fromInspector)).toBe(true);
  return Object.fromEntries(answer.results.map((r) => [r.check, r]));
}

describe('oidc-provider: every active check passes', () => {
  it('code reuse, PKCE (fresh code), redirect_uri probes: no finding', async () => {
    const { tabId, flows } = await login('clean');
    const stop = autoLogin(lens.context);
    try {
      const flow = codeFlow(flows);
      const replay = await verdicts(tabId, flow, 'code.reuse-accepted');
      expect(replay['code.reuse-accepted']).toMatchObject({ verdict: 'pass' });
      const pkce = await verdicts(tabId, flow, 'pkce.not-enforced');
      expect(pkce['pkce.not-enforced']?.summary).toMatch(/^Pass/);
      expect(pkce['pkce.not-enforced']?.verdict).toBe('pass');
      expect(pkce['code.reuse-accepted']?.verdict).toBe('pass');
      const redirect = await verdicts(tabId, flow, 'redirect.not-exact');
      expect(redirect['redirect.not-exact']).toMatchObject({ verdict: 'pass' });
    } finally {
      stop();
    }
  });

  it('refresh: a rotated refresh token replayed is refused', async () => {
    const { tabId, flows } = await login('refresh-rotating');
    await expect.poll(async () => !!refreshed(flowsOf(await tabEvents(lens, tabId))), { timeout: 15_000 }).toBe(true);
    const refresh = refreshed(flowsOf(await tabEvents(lens, tabId))) as Flow;
    void flows;
    const result = await verdicts(tabId, refresh, 'refresh.reuse-accepted');
    expect(result['refresh.reuse-accepted']).toMatchObject({ verdict: 'pass' });
  });
});

describe('flawed AS (ms-legacy): every active check fires', () => {
  it('code reuse, PKCE not enforced, redirect_uri by prefix, rotated refresh token accepted', async () => {
    const { tabId } = await login('active-flaws');
    const stop = autoLogin(lens.context);
    try {
      await expect.poll(async () => !!refreshed(flowsOf(await tabEvents(lens, tabId))), { timeout: 15_000 }).toBe(true);
      const flows = flowsOf(await tabEvents(lens, tabId));
      const flow = codeFlow(flows);
      const replay = await verdicts(tabId, flow, 'code.reuse-accepted');
      expect(replay['code.reuse-accepted']?.finding).toMatchObject({ check: 'code.reuse-accepted', severity: 'critical' });
      const pkce = await verdicts(tabId, flow, 'pkce.not-enforced');
      expect(pkce['pkce.not-enforced']?.finding).toMatchObject({ check: 'pkce.not-enforced', severity: 'critical' });
      expect(pkce['code.reuse-accepted']?.verdict).toBe('finding');
      const spy = process.env.LENS_DEBUG ? setInterval(() => console.log(lens.context.pages().map((p) => p.url().slice(0, 120))), 3000) : undefined;
      const redirect = await verdicts(tabId, flow, 'redirect.not-exact');
      clearInterval(spy);
      expect(redirect['redirect.not-exact']?.finding).toMatchObject({ check: 'redirect.not-exact', severity: 'high' });
      const refresh = refreshed(flows) as Flow;
      const rr = await verdicts(tabId, refresh, 'refresh.reuse-accepted');
      expect(rr['refresh.reuse-accepted']?.finding).toMatchObject({ check: 'refresh.reuse-accepted', severity: 'high' });
    } finally {
      stop();
    }
  });
});
