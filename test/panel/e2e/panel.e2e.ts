/**
 * The panel end to end in Chromium: the built extension, a real login on
 * loopback, the panel page opened as an ordinary tab (`panel.html?tabId=N`),
 * a HAR import, and hostile values. Saves light and dark screenshots to
 * test-results/ for the README.
 *
 * Run with the e2e project (its include must list `test/panel/e2e/*.e2e.ts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithLens, tabIdOf, warmUp, type Lens } from '../../e2e/support/chromium.ts';
import { ROOT } from '../../e2e/support/build.ts';
import { startLocalSites, type LocalSites } from '../../e2e/support/local-sites.ts';

let sites: LocalSites;
let lens: Lens;
const SHOTS = join(ROOT, 'test-results');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sites = await startLocalSites();
  lens = await launchWithLens();
  await warmUp(lens, `${sites.origin('mini-app')}/?state=warm-up`);
});

afterAll(async () => {
  await lens?.close();
  await sites?.close();
});

const panelUrl = (query: string) => `chrome-extension://${lens.extensionId}/src/panel/panel.html?${query}`;

/** Records what must never happen on a panel page: a dialog, a page error, a CSP violation. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return problems;
}

async function loginOn(query: string): Promise<number> {
  const page = await lens.context.newPage();
  await page.goto(`${sites.appStart}${query}`);
  const tabId = await tabIdOf(lens, page);
  await page.click('#login');
  await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');
  return tabId;
}

describe('the panel page in Chromium', () => {
  it('shows a tab\'s flow live, as an ordinary extension tab, with its legs and findings', async () => {
    const tabId = await loginOn('?referer-leak=1');
    const panel = await lens.context.newPage();
    const problems = watch(panel);
    await panel.setViewportSize({ width: 1280, height: 860 });
    await panel.goto(panelUrl(`tabId=${tabId}&theme=light`));
    await expect.poll(() => panel.locator('[role=listbox] [role=option]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await panel.locator('[role=option] .k').first().textContent()).toBe('code');
    const legs = await panel.locator('[data-leg-id] .request .arrow-label').allTextContents();
    expect(legs).toContain('Authorization request');
    expect(legs).toContain('Callback to redirect_uri');
    expect(legs).toContain('Token request');
    await expect.poll(() => panel.locator('[data-check="leak.referrer"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await panel.screenshot({ path: join(SHOTS, 'panel-light.png') });
    await panel.goto(panelUrl(`tabId=${tabId}&theme=dark`));
    await panel.locator('[data-check="leak.referrer"]').first().waitFor();
    await panel.screenshot({ path: join(SHOTS, 'panel-dark.png') });
    expect(problems).toEqual([]);
    await panel.close();
  });

  it('audits an imported HAR', async () => {
    const panel = await lens.context.newPage();
    const problems = watch(panel);
    await panel.goto(panelUrl(''));
    await panel.setInputFiles('input[type=file]', join(ROOT, 'test/fixtures/har/implicit.har'));
    await panel.locator('[data-check="flow.implicit"]').first().waitFor({ timeout: 15_000 });
    expect(await panel.locator('[data-check="leak.token-in-fragment"]').count()).toBeGreaterThan(0);
    expect(await panel.locator('[role=option] .k').first().textContent()).toBe('implicit');
    expect(problems).toEqual([]);
    await panel.close();
  });

  it('renders hostile values as text: nothing runs, nothing links to them', async () => {
    const panel = await lens.context.newPage();
    const problems = watch(panel);
    await panel.goto(panelUrl('example=unsafe-implicit'));
    await panel.locator('[data-check]').first().waitFor({ timeout: 15_000 });
    // The second flow's callback carries error_description=<img src=x onerror=alert(1)> javascript:alert(2).
    await panel.locator('[role=option]').last().click();
    for (const leg of await panel.locator('.leg-button:not([disabled])').all()) {
      await leg.click();
      for (const reveal of await panel.getByRole('button', { name: /^Reveal/ }).all()) await reveal.click();
    }
    expect(await panel.locator('.detail-pane').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await panel.locator('img, iframe, object, embed').count()).toBe(0);
    const hrefs = await panel.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/(www\.rfc-editor\.org|openid\.net)\//);
    expect(problems).toEqual([]);
    await panel.close();
  });
});
