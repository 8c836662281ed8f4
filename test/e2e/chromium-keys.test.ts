/**
 * Chrome with DevTools CLOSED and "Read token responses" granted: a library
 * that reads the issuer's discovery document while its page loads, before
 * chrome.debugger attaches, leaves that body out of the capture. With the
 * setting "Fetch the issuer's keys to verify signatures" on (the default),
 * the worker fetches what is missing, logs it in the tab as the inspector's
 * own, and `jwt.signature-invalid` is evaluated live; turned off in the
 * popup, nothing is fetched and the reason names the setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeVariant, variantByName, type Demo } from '../../demo/servers.ts';
import type { RequestEvent } from '../../src/core/model.ts';
import { events, report, tabIdOf, type Lens } from './support/chromium.ts';
import { launchDebuggerLens } from './support/debugger-build.ts';

const VARIANT = 'lib-oidc-client-ts';

let demo: Demo;
let lens: Lens;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ demo, lens, close } = await launchDebuggerLens());
});

afterAll(async () => {
  await close?.();
});

const isDiscovery = (event: RequestEvent) => new URL(event.url).pathname.endsWith('/.well-known/openid-configuration');

/** The `jwks_uri` of a discovery document in the log. */
function isJwks(event: RequestEvent, log: RequestEvent[]): boolean {
  return log.some((e) => isDiscovery(e) && e.responseBody !== undefined && (JSON.parse(e.responseBody.text) as { jwks_uri?: unknown }).jwks_uri === event.url);
}

async function login(): Promise<number> {
  await lens.context.clearCookies();
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants[VARIANT]!);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName(VARIANT)!);
  return tabId;
}

async function closePages(): Promise<void> {
  for (const other of lens.context.pages()) if (other !== lens.ext) await other.close();
}

/** The popup's checkbox, clicked as a user would. */
async function setFetchKeys(on: boolean): Promise<void> {
  await lens.ext.reload();
  const box = lens.ext.getByTestId('fetch-keys');
  await expect.poll(() => box.count()).toBe(1);
  if ((await box.isChecked()) !== on) await box.click();
  await expect.poll(() => lens.ext.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as { fetchKeys?: boolean } | undefined)?.fetchKeys)).toBe(on);
}

describe('Chromium, DevTools closed, debugger granted: the issuer keys the capture lacks', () => {
  it('setting on (default): the missing discovery document or JWKS is fetched, shows as the inspector own, and the signature is checked', async () => {
    expect(await lens.ext.getByTestId('fetch-keys').isChecked()).toBe(true);
    const tabId = await login();
    await expect.poll(async () => (await events(lens, tabId)).filter((e) => e.fromInspector).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await report(lens, tabId)).notEvaluated.filter((n) => n.check === 'jwt.signature-invalid'), { timeout: 15_000 }).toEqual([]);
    const log = await events(lens, tabId);
    const fetchedByLens = log.filter((e) => e.fromInspector);
    // What the worker fetched: the issuer's discovery document and/or its JWKS, each answered and kept with its body.
    expect(fetchedByLens.map((e) => [isDiscovery(e) || isJwks(e, log), e.method, e.status, e.responseBodyState])).toEqual(fetchedByLens.map(() => [true, 'GET', 200, 'captured']));
    // The premise: none of it was in the app's own capture with a body.
    for (const mine of fetchedByLens) {
      expect(log.filter((e) => !e.fromInspector && e.url === mine.url && e.responseBodyState === 'captured')).toEqual([]);
    }
    const live = await report(lens, tabId);
    expect(live.flows.length).toBeGreaterThan(0);
    expect(live.findings.filter((f) => f.check === 'jwt.signature-invalid')).toEqual([]);
    // One fetch per URL: asking again fetches nothing more.
    const fetched = (await events(lens, tabId)).filter((e) => e.fromInspector).length;
    await report(lens, tabId);
    expect((await events(lens, tabId)).filter((e) => e.fromInspector).length).toBe(fetched);
    await closePages();
  });

  it('setting off in the popup: nothing fetched, not evaluated, and the reason names the setting', async () => {
    await setFetchKeys(false);
    const tabId = await login();
    await expect
      .poll(async () => (await report(lens, tabId)).notEvaluated.filter((n) => n.check === 'jwt.signature-invalid').map((n) => n.reason), { timeout: 15_000 })
      .toEqual([expect.stringContaining("the setting “Fetch the issuer's keys to verify signatures” is off")]);
    expect((await events(lens, tabId)).filter((e) => e.fromInspector)).toEqual([]);
    await setFetchKeys(true);
    await closePages();
  });
});
