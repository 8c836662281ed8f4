/**
 * Chrome with DevTools CLOSED and "Read token responses" granted (the
 * optional debugger permission): live capture reads every token, discovery
 * and key-set response through chrome.debugger, so each body-dependent demo
 * scenario reports exactly the check ids its HAR fixture expects
 * (test/fixtures/scenarios.json). A busy page with no OAuth never gets the
 * debugger attached.
 *
 * OAUTH_LENS_E2E_ALL=1 runs every demo scenario this way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeVariant, seedRefreshToken, startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import { events, launchWithLens, report, tabIdOf, warmUp, type Lens } from './support/chromium.ts';
import { debuggerGrantedBuild } from './support/debugger-build.ts';
import { startLocalSites, type LocalSites } from './support/local-sites.ts';
import { tokenGrantsOf, WORKER_VARIANT_GRANTS } from './support/worker-variants.ts';
import { scenarios } from './support/scenarios.ts';


/** Scenarios whose checks need a response body (the ones Chrome without the debugger cannot decide). */
const BODY_DEPENDENT = [
  'clean',
  'token-in-query',
  'iss-missing',
  'iss-mismatch',
  'pkce-downgrade',
  'metadata-issuer-mismatch',
  'refresh-not-rotated',
  'jwt-alg-none',
  'jwt-signature-invalid',
  'jwt-iss-mismatch',
  'jwt-aud-mismatch',
  'jwt-expired',
  'nonce-mismatch',
  'at-hash-mismatch',
  'token-cacheable',
  // Bodies that must be read right for a clean result (a wrong join would raise false findings).
  'silent-renew',
  'refresh-rotating',
  'refresh-only',
  'hybrid-clean',
  'c-hash-mismatch',
  // Token requests from a dedicated Web Worker and from the site's service worker (reached through
  // Target.setAutoAttach), and a prompt=none login whose callback redeems the code the instant it loads.
  'worker-token',
  'service-worker-token',
  'instant-redirect',
  // JARM signatures need the JWKS body; PAR lifetimes and DPoP token_type the push and token answers.
  'jarm-invalid',
  'par-request-uri-long-lived',
  'dpop-ignored',
  'dpop-binding-mismatch',
];

/**
 * Not decided from live Chrome capture whatever reads the bodies: web storage is scanned from the
 * DevTools panel only; scenarios judged under a profile (FAPI 2.0) while the live report is the default one.
 */
const NOT_LIVE = new Set(['token-in-storage', 'non-oauth']);

const runnable = scenarios.filter((s) => !NOT_LIVE.has(s.name) && !(s as { profile?: string }).profile && variantByName(s.name));
const selected = process.env.OAUTH_LENS_E2E_ALL === '1' ? runnable : runnable.filter((s) => BODY_DEPENDENT.includes(s.name));

let demo: Demo;
let sites: LocalSites;
let lens: Lens;
let build: ReturnType<typeof debuggerGrantedBuild>;

beforeAll(async () => {
  demo = await startDemo();
  sites = await startLocalSites();
  build = debuggerGrantedBuild();
  lens = await launchWithLens({ dir: build.dir, hostResolverRules: demo.hostResolverRules });
  await warmUp(lens, `${demo.urls.app}/?state=warm-up`);
});

afterAll(async () => {
  await lens?.close();
  build?.cleanup();
  await sites?.close();
  await demo?.close();
});

/**
 * Every tab the worker attached chrome.debugger to (a test-build hook:
 * chrome.debugger.getTargets() says every page is attached, Playwright's own
 * CDP sessions included).
 */
async function attachedTabs(): Promise<number[]> {
  return lens.worker.evaluate(() => [...((globalThis as { __oauthLensAttachLog?: number[] }).__oauthLensAttachLog ?? [])]);
}

async function closePages(): Promise<void> {
  for (const other of lens.context.pages()) if (other !== lens.ext) await other.close();
}

describe('Chromium, DevTools closed, "Read token responses" granted', () => {
  it('runs every body-dependent scenario the fixtures list', () => {
    expect(selected.map((s) => s.name)).toEqual(expect.arrayContaining(BODY_DEPENDENT.filter((name) => variantByName(name))));
  });

  it('never attaches to a page with hundreds of unrelated requests', async () => {
    const page = await lens.context.newPage();
    await page.goto(sites.busyPage);
    const tabId = await tabIdOf(lens, page);
    await page.evaluate(() => (window as unknown as { __busyDone: Promise<boolean> }).__busyDone);
    await page.waitForLoadState('load');
    // Worker's view of the tab: no flow, nothing attached.
    expect(await lens.ext.evaluate((tab) => chrome.runtime.sendMessage({ type: 'oauth-lens/body-status', tabId: tab }), tabId)).toEqual({
      offered: true,
      granted: true,
      tab: 'not-attached',
    });
    expect(await attachedTabs()).not.toContain(tabId);
    // The same browser attaches to a login (the hook works): the site's login page attaches its tab.
    await page.goto(sites.appStart);
    await page.click('#login');
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');
    await expect.poll(() => attachedTabs(), { timeout: 5_000 }).toContain(tabId);
    await closePages();
  });

  it('a new tab on a site that ran a login is attached before its page loads: an instant callback still yields its token body', async () => {
    // The AS answers the authorization request at once and the callback page redeems the code as it
    // loads: an attach that starts at the authorization request can lose this race (TOOLCHAIN.md).
    const page = await lens.context.newPage();
    await page.goto(sites.appStart);
    const tabId = await tabIdOf(lens, page);
    await expect.poll(() => attachedTabs(), { timeout: 2_000 }).toContain(tabId);
    await page.click('#login');
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('signed in');
    await expect
      .poll(async () => (await events(lens, tabId)).filter((event) => new URL(event.url).pathname === '/token').map((event) => event.responseBodyState), { timeout: 5_000 })
      .toEqual(['captured']);
    await closePages();
  });

  for (const scenario of selected) {
    it(`${scenario.name}: checks [${scenario.expect.join(', ')}]`, async () => {
      const variant = variantByName(scenario.name)!;
      await seedRefreshToken(lens.context, demo, variant);
      const page = await lens.context.newPage();
      await page.goto(demo.urls.variants[scenario.name]!);
      const tabId = await tabIdOf(lens, page);
      await completeVariant(lens.context, page, variant);
      await expect
        .poll(async () => {
          const answer = await report(lens, tabId);
          return {
            kinds: answer.flows.map((flow) => flow.kind).sort(),
            checks: [...new Set(answer.findings.map((finding) => finding.check))].sort(),
          };
        }, { timeout: 15_000 })
        .toEqual({ kinds: [...scenario.kinds].sort(), checks: [...scenario.expect].sort() });
      const answer = await report(lens, tabId);
      const grants = WORKER_VARIANT_GRANTS[scenario.name];
      if (grants) expect(tokenGrantsOf(answer)).toEqual(grants);
      // Every token response of the tab was read: nothing left "not captured".
      expect(answer.flows.filter((flow) => flow.observability.tokenResponseBody === 'unavailable').map((flow) => flow.id)).toEqual([]);
      await closePages();
    });
  }

  it('the attached tab of a login says so in the popup', async () => {
    const page = await lens.context.newPage();
    await page.goto(demo.urls.variants.clean!);
    const tabId = await tabIdOf(lens, page);
    await completeVariant(lens.context, page, variantByName('clean')!);
    await expect.poll(() => attachedTabs(), { timeout: 5_000 }).toContain(tabId);
    const popup = await lens.context.newPage();
    await popup.goto(`chrome-extension://${lens.extensionId}/src/popup/popup.html?tabId=${tabId}`);
    await expect.poll(() => popup.locator('[data-read-bodies]').getAttribute('data-read-bodies'), { timeout: 5_000 }).toBe('reading');
    expect(await popup.locator('[data-testid=read-bodies]').count()).toBe(0);
    await closePages();
  });
});
