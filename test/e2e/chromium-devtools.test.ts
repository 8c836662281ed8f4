/**
 * Chrome shows response bodies only to DevTools: with DevTools open on the
 * tab, the devtools page reads the token response and the worker attaches it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clear, events, launchWithLens, tabIdOf, warmUp, type Lens } from './support/chromium.ts';
import { startLocalSites, type LocalSites } from './support/local-sites.ts';

let sites: LocalSites;
let lens: Lens;

beforeAll(async () => {
  sites = await startLocalSites();
  lens = await launchWithLens({ args: ['--auto-open-devtools-for-tabs'] });
  await warmUp(lens, `${sites.origin('mini-app')}/?state=warm-up`);
});

afterAll(async () => {
  await lens?.close();
  await sites?.close();
});

/** Sends token-like POSTs from the page until DevTools forwards one's body: DevTools is listening. */
async function untilDevtoolsForwards(page: Page, tabId: number): Promise<void> {
  await expect
    .poll(async () => {
      await page.evaluate((url) => fetch(url, { method: 'POST', body: new URLSearchParams({ grant_type: 'probe' }) }).then((r) => r.text()), `${sites.origin('mini-as')}/token`);
      return (await events(lens, tabId)).some((event) => event.responseBodyState === 'captured' && event.responseBody?.text.includes('invalid_grant'));
    }, { timeout: 30_000, interval: 300 })
    .toBe(true);
}

it('attaches the response body of a token request that DevTools saw', async () => {
  const page = await lens.context.newPage();
  await page.goto(sites.appStart);
  const tabId = await tabIdOf(lens, page);
  await untilDevtoolsForwards(page, tabId);
  const probe = (await events(lens, tabId)).find((event) => event.responseBodyState === 'captured')!;
  expect(probe.requestBody?.formData?.grant_type).toEqual(['probe']);
  expect(JSON.parse(probe.responseBody!.text)).toEqual({ error: 'invalid_grant' });
  await page.close();
});

// Known gap, Chrome 156: DevTools never announces the callback page's own token request (a
// fetch begun by an inline script while the page is still being parsed), even when it is sent
// after DevTools has been seen forwarding other requests of that page. The devtools page's
// getHAR sweep does not close it: getHAR lists the request, but its getContent never answers
// (tried 2026-12-06, headless Chromium 156). Its body stays "not evaluated" without the
// debugger permission. A callback that redeems its code after another round trip (the demo's)
// is read: real-devtools.test.ts. Run with OAUTH_LENS_E2E_DEVTOOLS=1 to check a newer Chrome.
it.skipIf(process.env.OAUTH_LENS_E2E_DEVTOOLS !== '1')('attaches the body of the callback page\'s own token request', async () => {
  const page = await lens.context.newPage();
  await page.goto(sites.appStart);
  const tabId = await tabIdOf(lens, page);
  // DevTools takes seconds to come up in a new headless tab, and Chrome 156 DevTools
  // does not announce requests made in the first moments after a navigation (see
  // src/devtools/devtools.ts): the callback page holds its token request until
  // DevTools is seen forwarding bodies on it.
  await untilDevtoolsForwards(page, tabId);
  await page.addInitScript(() => {
    const w = window as unknown as { __holdTokenRequest: Promise<void>; __release: () => void };
    w.__holdTokenRequest = new Promise((resolve) => (w.__release = resolve));
  });
  await page.click('#login');
  await page.waitForURL(/\/cb\?code=/);
  await clear(lens, tabId);
  await untilDevtoolsForwards(page, tabId);
  await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
  await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');
  await expect
    .poll(async () => {
      const token = (await events(lens, tabId)).find((event) => event.requestBody?.formData?.grant_type?.[0] === 'authorization_code');
      return token?.responseBodyState === 'captured' ? JSON.parse(token.responseBody?.text ?? '{}') : undefined;
    }, { timeout: 15_000 })
    .toMatchObject({ token_type: 'Bearer', access_token: expect.stringMatching(/^[\w-]{32}$/) });
  await page.close();
});
