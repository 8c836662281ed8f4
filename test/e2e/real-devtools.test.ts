/**
 * The panel inside real DevTools: headed Chromium on a virtual display (the
 * test starts its own Xvfb), DevTools opened on every tab
 * (`--auto-open-devtools-for-tabs`), no `debugger` permission. The clean login
 * runs in the demo tab; the OAuth Lens panel, selected in that tab's DevTools,
 * shows the flow with its token response decoded. The callback page redeems
 * its code the moment it loads; its body reaches the worker through the
 * devtools page (onRequestFinished, or the getHAR sweep for what that misses).
 * One browser launch; the second login relies on the first one's AS session.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { completeVariant, startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import { events, launchWithLens, report, tabIdOf, warmUp, type Lens } from './support/chromium.ts';
import { startXvfb, type VirtualDisplay } from './support/xvfb.ts';

// Playwright leaves "other" targets (the DevTools front-end) alone unless told to treat them as pages.
process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';

let xvfb: VirtualDisplay;
let demo: Demo;
let lens: Lens;

beforeAll(async () => {
  xvfb = await startXvfb();
  demo = await startDemo();
  lens = await launchWithLens({ display: xvfb.display, hostResolverRules: demo.hostResolverRules, args: ['--auto-open-devtools-for-tabs'] });
  await warmUp(lens, `${demo.urls.app}/?state=warm-up`);
});

afterAll(async () => {
  await lens?.close();
  await demo?.close();
  await xvfb?.close();
});

interface FrontEnd {
  /** The URL of the page this DevTools window inspects. */
  inspected: string;
  /** The ids of its panels (an extension's panel: its origin + title without spaces). */
  panels: string[];
}

/** Evaluated in a DevTools front-end (a string, so the test's bundler leaves its imports alone). */
const FRONT_END_STATE = `(async () => {
  try {
    const SDK = await import('./core/sdk/sdk.js');
    const UI = await import('./ui/legacy/legacy.js');
    const inspected = SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? '';
    return { inspected, panels: UI.InspectorView.InspectorView.instance().tabbedPane?.tabIds?.() ?? [] };
  } catch {
    return undefined; // still starting
  }
})()`;

const showPanel = (id: string): string => `(async () => {
  const UI = await import('./ui/legacy/legacy.js');
  await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(id)});
  return UI.InspectorView.InspectorView.instance().tabbedPane.selectedTabId;
})()`;

async function frontEndState(page: Page): Promise<FrontEnd | undefined> {
  if (page.isClosed() || !page.url().startsWith('devtools://')) return undefined;
  return (await page.evaluate(FRONT_END_STATE).catch(() => undefined)) as FrontEnd | undefined;
}

/** The DevTools window that inspects `page`, once it lists the OAuth Lens panel, and that panel's id. */
async function devtoolsOf(page: Page): Promise<{ frontEnd: Page; panelId: string }> {
  let found: { frontEnd: Page; panelId: string } | undefined;
  await expect
    .poll(async () => {
      for (const candidate of lens.context.pages()) {
        const state = await frontEndState(candidate);
        const panelId = state?.panels.find((id) => id.startsWith(`chrome-extension://${lens.extensionId}`));
        if (state?.inspected === page.url() && panelId) found = { frontEnd: candidate, panelId };
      }
      return found?.panelId;
    }, { timeout: 60_000, interval: 500 })
    .toBe(`chrome-extension://${lens.extensionId}OAuthLens`);
  return found!;
}

function panelFrame(frontEnd: Page): Frame | undefined {
  return frontEnd.frames().find((frame) => frame.url().startsWith(`chrome-extension://${lens.extensionId}/src/panel/panel.html`));
}

it('shows the clean login in the OAuth Lens panel of real DevTools, its ID token decoded', async () => {
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants.clean!);
  const tabId = await tabIdOf(lens, page);
  const { frontEnd, panelId } = await devtoolsOf(page);
  expect(await frontEnd.evaluate(showPanel(panelId))).toBe(panelId);
  await expect.poll(() => panelFrame(frontEnd)?.locator('body').count(), { timeout: 30_000 }).toBe(1);

  await completeVariant(lens.context, page, variantByName('clean')!, 60_000);

  // The token response reached the worker through DevTools (no debugger permission here).
  await expect
    .poll(async () => {
      const token = (await events(lens, tabId)).find((event) => event.requestBody?.formData?.grant_type?.[0] === 'authorization_code');
      return token?.responseBodyState;
    }, { timeout: 60_000, interval: 500 })
    .toBe('captured');

  const panel = panelFrame(frontEnd)!;
  const flow = panel.locator('[role=listbox] [role=option]');
  await expect.poll(() => flow.count(), { timeout: 30_000 }).toBe(1);
  await flow.first().click();
  const tokenLeg = panel.locator('[data-leg-id] .leg-button', { hasText: 'Token request' });
  await expect.poll(() => tokenLeg.count(), { timeout: 30_000 }).toBe(1);
  const claims = panel.locator('[data-claim]');
  // A snapshot that arrives after the click may redraw the flow on its first leg: select the token leg again until its claims show.
  await expect
    .poll(async () => {
      if ((await claims.count()) === 0) await tokenLeg.click();
      return (await claims.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-claim')))).sort();
    }, { timeout: 30_000, interval: 500 })
    .toEqual(expect.arrayContaining(['alg', 'aud', 'iss', 'nonce', 'sub']));
  expect(await panel.locator('[data-claim="iss"] td').first().textContent()).toContain(demo.urls.op);
  // With the ID token's keys and discovery document read too, the clean login has no findings.
  await expect.poll(() => panel.locator('[data-check]').count(), { timeout: 30_000 }).toBe(0);
});

it('reads the bodies of an instant-redirect login whose callback redeems the code at once (already signed in)', async () => {
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants.clean!);
  const tabId = await tabIdOf(lens, page);
  // DevTools sees only what happens after it attached: as a user who opens it first, wait for it, then reload.
  await devtoolsOf(page);
  await page.reload();
  // Signed in at oidc-provider by the first test: /auth answers at once with a redirect to the callback.
  await completeVariant(lens.context, page, variantByName('clean')!, 60_000);
  const bodies = async () => {
    const logged = await events(lens, tabId);
    const state = (match: (url: string) => boolean) => logged.find((event) => match(event.url))?.responseBodyState;
    return {
      authorizationAnsweredAtOnce: logged.some((event) => event.url.startsWith(`${demo.urls.op}/auth?`) && event.redirectUrl?.startsWith(`${demo.urls.app}/callback?`)),
      discovery: state((url) => url.endsWith('/.well-known/openid-configuration')),
      token: state((url) => url === `${demo.urls.op}/token`),
    };
  };
  await expect.poll(bodies, { timeout: 60_000, interval: 500 }).toEqual({ authorizationAnsweredAtOnce: true, discovery: 'captured', token: 'captured' });
  // Every check that needs those bodies was evaluated: the clean login has no findings and nothing left undecided for want of a body.
  const answer = await report(lens, tabId);
  expect(answer.findings.map((finding) => finding.check)).toEqual([]);
  expect(answer.notEvaluated.filter((skipped) => /not captured/.test(skipped.reason))).toEqual([]);
});
