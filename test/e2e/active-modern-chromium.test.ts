/**
 * Active checks on modern flows in Chromium, driven as the panel's confirm
 * button does: a PAR flow at oidc-provider gets its probe by the inspector's
 * own push (no more "cannot change a pushed request"), and
 * dpop.refresh-unbound passes against oidc-provider and fires against the
 * flawed AS (client ms-dpop-refresh). One browser, DevTools auto-opened so
 * the refresh answers (the refresh token the app holds now) are captured.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import type { Flow } from '../../src/core/model.ts';
import type { ActiveCheckId, ActiveCheckResult } from '../../src/core/replay/types.ts';
import { activeBuild, autoLogin, flowsOf, launchActive, runActive, tabEvents, tabIdOf, type ActiveLens } from './active-support.ts';

let demo: Demo;
let lens: ActiveLens;
let cleanupBuild: () => void = () => undefined;
const opened: Page[] = [];

beforeAll(async () => {
  const built = await activeBuild();
  cleanupBuild = built.cleanup;
  demo = await startDemo();
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

async function login(variant: string, ready: (flows: Flow[]) => Flow | undefined): Promise<{ tabId: number; flow: Flow }> {
  const page = await lens.context.newPage();
  opened.push(page);
  await page.goto(demo.urls.variants[variant] as string);
  // DevTools (auto-opened for the tab) must be attached before the login, or the token answers are missed.
  await page.waitForTimeout(1500);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName(variant)!);
  let flow: Flow | undefined;
  await expect
    .poll(async () => {
      flow = ready(flowsOf(await tabEvents(lens, tabId)));
      return flow !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return { tabId, flow: flow as Flow };
}

async function run(tabId: number, flow: Flow, check: ActiveCheckId): Promise<Record<string, ActiveCheckResult>> {
  const { answer } = await runActive(lens, tabId, flow, check);
  if (!answer.ok) throw new Error(answer.error);
  expect(answer.events.length).toBeGreaterThan(0);
  expect(answer.events.every((e) => e.fromInspector === true)).toBe(true);
  return Object.fromEntries(answer.results.map((r) => [r.check, r]));
}

const parFlow = (flows: Flow[]) => flows.find((f) => f.legs.some((l) => l.kind === 'par') && f.legs.some((l) => l.grantType === 'authorization_code'));
/** A DPoP flow whose refresh answer is captured (the refresh token the app holds now). */
const refreshedDpop = (flows: Flow[]) =>
  flows.find((f) => f.legs.some((l) => l.grantType === 'refresh_token' && l.response?.token_type === 'DPoP'));

describe('PAR at oidc-provider', () => {
  it('pkce.not-enforced: the inspector pushes its own request, and the server passes', async () => {
    const { tabId, flow } = await login('par-clean', parFlow);
    const stop = autoLogin(lens.context);
    try {
      const result = await run(tabId, flow, 'pkce.not-enforced');
      expect(result['pkce.not-enforced']).toMatchObject({ verdict: 'pass' });
      const steps = result['pkce.not-enforced']?.steps ?? [];
      expect(steps[0]?.url).toMatch(/[?&]request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A/);
      expect(steps.find((s) => s.id === 'right-verifier')?.reading?.outcome).toBe('tokens');
      expect(result['code.reuse-accepted']).toMatchObject({ verdict: 'pass' });
    } finally {
      stop();
    }
  });
});

describe('PAR required, client authenticated (lens-fapi at oidc-provider)', () => {
  it('pkce.not-enforced sends a plain request, and the result says the server requires PAR', async () => {
    const { tabId, flow } = await login('fapi2-clean', parFlow);
    const stop = autoLogin(lens.context);
    try {
      const result = await run(tabId, flow, 'pkce.not-enforced');
      expect(result['pkce.not-enforced']).toMatchObject({ verdict: 'inconclusive', summary: expect.stringMatching(/requires pushed authorization requests/) });
    } finally {
      stop();
    }
  });
});

describe('dpop.refresh-unbound', () => {
  it('oidc-provider refuses its DPoP-bound refresh token without the key: pass', async () => {
    const { tabId, flow } = await login('dpop-refresh', refreshedDpop);
    const result = await run(tabId, flow, 'dpop.refresh-unbound');
    expect(result['dpop.refresh-unbound']).toMatchObject({ verdict: 'pass' });
    expect(result['dpop.refresh-unbound']?.steps.map((s) => s.reading?.outcome)).toEqual(['oauth-error', 'oauth-error']);
  });

  it('the flawed AS refreshes it without a proof: critical finding', async () => {
    const { tabId, flow } = await login('dpop-refresh-unbound', refreshedDpop);
    const result = await run(tabId, flow, 'dpop.refresh-unbound');
    expect(result['dpop.refresh-unbound']?.finding).toMatchObject({ check: 'dpop.refresh-unbound', severity: 'critical', flowId: flow.id });
  });
});
