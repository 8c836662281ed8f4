/**
 * Active checks from the panel page (opened as a tab, `panel.html?tabId=N`),
 * and the proof that nothing is sent without the click: during a passive
 * capture — the panel open, its active-check section rendered — neither the
 * worker nor the panel makes a single request of its own. The worker's and
 * the panel's Resource Timing entries count every fetch they made (the
 * positive control below shows the counter sees the inspector's requests).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import type { Flow } from '../../src/core/model.ts';
import { ACTIVE_CHECK_IDS } from '../../src/core/replay/types.ts';
import { activeBuild, flowsOf, launchActive, tabEvents, tabIdOf, type ActiveLens } from './active-support.ts';

let demo: Demo;
let lens: ActiveLens;
let cleanupBuild: () => void = () => undefined;

beforeAll(async () => {
  const built = await activeBuild();
  cleanupBuild = built.cleanup;
  demo = await startDemo();
  lens = await launchActive(built.dir);
});

afterAll(async () => {
  await lens?.close();
  await demo?.close();
  cleanupBuild();
});

/** Every http(s) request a context of the extension has made since it started. */
const ownRequests = (context: { evaluate: Page['evaluate'] }) =>
  context.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /^https?:/.test(n))) as Promise<string[]>;

async function capture(variant: string): Promise<{ tabId: number; flow: Flow }> {
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants[variant] as string);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName(variant)!);
  let flow: Flow | undefined;
  await expect
    .poll(async () => {
      flow = flowsOf(await tabEvents(lens, tabId)).find((f) => f.legs.some((l) => l.grantType === 'authorization_code'));
      return !!flow;
    }, { timeout: 15_000 })
    .toBe(true);
  return { tabId, flow: flow as Flow };
}

async function openPanel(tabId: number, flow: Flow): Promise<Page> {
  const panel = await lens.context.newPage();
  await panel.goto(`chrome-extension://${lens.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await panel.locator(`[data-flow-id="${flow.id}"]`).first().click();
  await expect.poll(() => panel.locator('.active-checks li[data-active-check]').count(), { timeout: 10_000 }).toBe(ACTIVE_CHECK_IDS.length);
  return panel;
}

it('a passive capture with the panel open sends nothing of the inspector’s own', async () => {
  const clean = await capture('clean');
  const flawed = await capture('active-flaws');
  const panels = [await openPanel(clean.tabId, clean.flow), await openPanel(flawed.tabId, flawed.flow)];
  // The active-check section is there, each check planned (its dialog could open), and idle.
  for (const panel of panels) {
    await expect.poll(() => panel.locator('.active-checks button:has-text("Run…")').count()).toBeGreaterThan(0);
  }
  await panels[0]!.waitForTimeout(1000);
  expect(await ownRequests(lens.worker)).toEqual([]);
  for (const panel of panels) expect(await ownRequests(panel)).toEqual([]);
  for (const { tabId } of [clean, flawed]) expect((await tabEvents(lens, tabId)).filter((e) => e.fromInspector)).toEqual([]);
  for (const panel of panels) await panel.close();
});

it('from the panel: the dialog says what will be sent; on confirm, one request, and the finding shows', async () => {
  const { tabId, flow } = await capture('active-flaws');
  const panel = await openPanel(tabId, flow);
  const before = (await ownRequests(lens.worker)).length;
  await panel.locator('.active-checks li[data-active-check="code.reuse-accepted"] button:has-text("Run…")').click();
  const dialog = panel.locator('.active-dialog[data-active-check="code.reuse-accepted"]');
  await expect.poll(() => dialog.textContent()).toMatch(/Only test systems you are allowed to test/);
  const text = (await dialog.textContent()) ?? '';
  expect(text).toMatch(/revoke the tokens the app holds/);
  expect(text).toMatch(/POST\s*https:\/\/login\.example\.test:\d+\/[\w-]+\/oauth2\/v2\.0\/token/);
  expect(text).toMatch(/grant_type\s*authorization_code/);
  // Nothing sent while the dialog is open.
  expect((await ownRequests(lens.worker)).length).toBe(before);
  await dialog.locator('[data-action="confirm"]').click();
  const result = panel.locator('.active-result[data-active-check="code.reuse-accepted"]');
  await expect.poll(() => result.getAttribute('data-verdict'), { timeout: 15_000 }).toBe('finding');
  expect(await result.locator('.finding[data-check="code.reuse-accepted"]').count()).toBe(1);
  const sent = (await ownRequests(lens.worker)).slice(before);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatch(/\/oauth2\/v2\.0\/token$/);
  await panel.close();
});

it('edit and resend from the panel: a made-up code, and the authorization server’s answer decoded', async () => {
  const { tabId, flow } = await capture('clean');
  const panel = await openPanel(tabId, flow);
  await panel.locator('.edit-resend summary').click();
  await panel.getByLabel('value of code', { exact: true }).fill('not-a-real-code');
  await panel.locator('.edit-resend button:has-text("Send…")').click();
  await panel.locator('.edit-resend [data-action="confirm"]').click();
  const answer = panel.locator('.edit-resend .active-answer');
  await expect.poll(() => answer.getAttribute('data-outcome'), { timeout: 15_000 }).toBe('oauth-error');
  expect(await answer.textContent()).toMatch(/HTTP 400.*invalid_grant/s);
  await panel.close();
});
