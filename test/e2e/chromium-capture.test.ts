/**
 * Chromium: what the worker records, proven on small local sites that do not
 * depend on the demo — a code+PKCE login, a Referer leak, a worker stopped in
 * the middle of a flow, and a busy page that is not OAuth at all.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/core/model.ts';
import { events, launchWithLens, report, stopWorker, tabIdOf, warmUp, type Lens } from './support/chromium.ts';
import { startLocalSites, type LocalSites } from './support/local-sites.ts';

let sites: LocalSites;
let lens: Lens;

beforeAll(async () => {
  sites = await startLocalSites();
  lens = await launchWithLens();
  await warmUp(lens, `${sites.origin('mini-app')}/?state=warm-up`);
});

afterAll(async () => {
  await lens?.close();
  await sites?.close();
});

const byPath = (log: RequestEvent[], path: string) => log.filter((event) => new URL(event.url).pathname === path);

describe('Chromium capture', () => {
  it('loads with no warning or error on the extensions page', async () => {
    const page = await lens.context.newPage();
    await page.goto('chrome://extensions');
    const info = await page.evaluate(
      () =>
        new Promise<{ name: string; installWarnings: unknown[]; manifestErrors: unknown[]; runtimeErrors: unknown[] }[]>((resolve) =>
          (chrome as unknown as { developerPrivate: { getExtensionsInfo(o: object, cb: (i: never) => void): void } }).developerPrivate.getExtensionsInfo({ includeDisabled: true }, resolve),
        ),
    );
    expect(info.find((extension) => extension.name === 'OAuth Lens')).toMatchObject({ installWarnings: [], manifestErrors: [], runtimeErrors: [] });
    await page.close();
  });

  it('records every leg of a code+PKCE login, one event per redirect hop', async () => {
    const page = await lens.context.newPage();
    await page.goto(sites.appStart);
    const tabId = await tabIdOf(lens, page);
    await page.click('#login');
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');

    await expect.poll(async () => byPath(await events(lens, tabId), '/token').length, { timeout: 10_000 }).toBe(1);
    const log = await events(lens, tabId);
    const [authorize] = byPath(log, '/authorize');
    const [callback] = byPath(log, '/cb');
    const [token] = byPath(log, '/token');
    expect(authorize).toMatchObject({ method: 'GET', type: 'main_frame', status: 302, hop: 0, tabId });
    expect(authorize!.redirectUrl).toMatch(/\/cb\?code=[\w-]+&state=[\w-]+&iss=/);
    expect(callback).toMatchObject({ requestId: authorize!.requestId, hop: 1, id: `${authorize!.requestId}.1`, status: 200 });
    expect(callback!.responseHeaders?.find((h) => h.name.toLowerCase() === 'referrer-policy')?.value).toBe('no-referrer');
    expect(token).toMatchObject({ method: 'POST', type: 'xhr', status: 200, responseBodyState: 'unavailable' });
    expect(token!.requestBody?.formData?.grant_type).toEqual(['authorization_code']);
    expect(token!.requestBody?.formData?.code_verifier?.[0]).toMatch(/^[\w-]{43}$/);
    // extraHeaders on this tab: the Origin of the token request is there.
    expect(token!.requestHeaders?.some((h) => h.name.toLowerCase() === 'origin')).toBe(true);
    // The engine, once it lands, sees one authorization-code flow.
    const answer = await report(lens, tabId);
    expect(answer.flows.map((flow) => flow.kind)).toEqual(['authorization_code']);
    await page.close();
  });

  it('sees the Referer that leaks the code to a third party (extraHeaders on a watched tab)', async () => {
    const page = await lens.context.newPage();
    await page.goto(`${sites.appStart}?referer-leak=1`);
    const tabId = await tabIdOf(lens, page);
    await page.click('#login');
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');
    await expect
      .poll(async () => {
        const pixel = byPath(await events(lens, tabId), '/pixel.gif')[0];
        return pixel?.requestHeaders?.find((h) => h.name.toLowerCase() === 'referer')?.value ?? '';
      }, { timeout: 10_000 })
      .toMatch(/\/cb-leaky\?code=/);
    await page.close();
  });

  it('loses nothing when the worker is stopped between the callback and the token request', async () => {
    const page = await lens.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __holdTokenRequest: Promise<void>; __release: () => void };
      w.__holdTokenRequest = new Promise((resolve) => (w.__release = resolve));
    });
    await page.goto(sites.appStart);
    const tabId = await tabIdOf(lens, page);
    await page.click('#login');
    await expect.poll(async () => byPath(await events(lens, tabId), '/cb').length, { timeout: 10_000 }).toBe(1);

    await stopWorker(lens);
    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');

    await expect.poll(async () => byPath(await events(lens, tabId), '/token').length, { timeout: 10_000 }).toBe(1);
    const log = await events(lens, tabId);
    expect(byPath(log, '/authorize')).toHaveLength(1);
    expect(byPath(log, '/cb')).toHaveLength(1);
    expect(new Set(log.map((event) => event.seq)).size).toBe(log.length);
    const answer = await report(lens, tabId);
    expect(answer.flows).toHaveLength(1);
    expect(answer.flows[0]?.steps.map((step) => step.kind)).toEqual(
      expect.arrayContaining(['authorization-request', 'callback', 'token-request']),
    );
    await page.close();
  });

  it('keeps nothing of a page with hundreds of unrelated requests, and is handed only its navigations and fetches', async () => {
    const page = await lens.context.newPage();
    await page.goto(sites.busyPage);
    const tabId = await tabIdOf(lens, page);
    await page.evaluate(() => (window as unknown as { __busyDone: Promise<boolean> }).__busyDone);
    await page.waitForLoadState('load');
    // A marker request after the busy load: once it is logged, everything before it has been seen.
    await page.evaluate((url) => fetch(url).then((r) => r.text()), `${sites.origin('api')}/api/marker?state=done`);
    await expect.poll(async () => (await events(lens, tabId)).length, { timeout: 10_000 }).toBe(1);
    expect((await events(lens, tabId))[0]?.url).toContain('/api/marker?state=done');
    const answer = await report(lens, tabId);
    expect(answer.flows).toEqual([]);
    expect(answer.findings).toEqual([]);
    // Chrome routed none of the page's 400 images, scripts and stylesheets past the worker: only what can start a flow.
    const before = await listeners(lens);
    expect(before.mode).toBe('per-tab');
    expect(Object.keys(before.delivered[String(tabId)] ?? {}).sort()).toEqual(['main_frame', 'sub_frame', 'xmlhttprequest']);
    expect(before.delivered[String(tabId)]?.xmlhttprequest).toBe(101);
    // The marker carried `state`: the tab is now listened to in full, images included.
    expect(before.watched).toContain(tabId);
    await loadImage(page, `${sites.origin('cdn')}/img/after.gif`);
    await expect.poll(async () => (await listeners(lens)).delivered[String(tabId)]?.image ?? 0, { timeout: 10_000 }).toBe(1);
    // Ten idle minutes later the tab's own listeners are gone: its images reach the worker no more.
    await worker(lens).evaluate(() => (globalThis as unknown as { __oauthLensListeners: { expire(): void } }).__oauthLensListeners.expire());
    expect((await listeners(lens)).watched).not.toContain(tabId);
    await loadImage(page, `${sites.origin('cdn')}/img/after-idle.gif`);
    // A marker fetch after it (fetches are heard in every tab): once it is handed over, the image would have been too.
    await page.evaluate((url) => fetch(url).then((r) => r.text()), `${sites.origin('api')}/api/after-idle`);
    await expect.poll(async () => (await listeners(lens)).delivered[String(tabId)]?.xmlhttprequest ?? 0, { timeout: 10_000 }).toBe(102);
    expect((await listeners(lens)).delivered[String(tabId)]?.image).toBe(1);
    await page.close();
  });
});

/** The worker's listen mode, the tabs with listeners of their own, and what onBeforeRequest was handed (test builds). */
async function listeners(lens: Lens): Promise<{ mode: string; watched: number[]; delivered: Record<string, Record<string, number>> }> {
  return worker(lens).evaluate(() => {
    const hooks = (globalThis as unknown as { __oauthLensListeners: { mode: string; watched: () => number[]; delivered: Record<string, Record<string, number>> } }).__oauthLensListeners;
    return { mode: hooks.mode, watched: hooks.watched(), delivered: structuredClone(hooks.delivered) };
  });
}

/** The worker running now (one test stops it; Chrome starts another). */
function worker(lens: Lens) {
  return lens.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${lens.extensionId}/`)) ?? lens.worker;
}

async function loadImage(page: Page, src: string): Promise<void> {
  await page.evaluate((url) => new Promise((resolve) => Object.assign(new Image(), { src: url, onload: resolve, onerror: resolve })), src);
}
