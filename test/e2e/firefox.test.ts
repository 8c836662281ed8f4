/**
 * Firefox (firefox-esr 153, WebDriver BiDi through puppeteer-core): the clean
 * demo login and a token leak are captured, including the token response body
 * read with webRequest.filterResponseData while the page still gets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { DEMO_USER, seedRefreshToken, startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import { captureOf, launchFirefoxWithLens, type FirefoxLens } from './support/firefox.ts';
import { pollUntil } from './support/poll.ts';
import { tokenGrantsOf, WORKER_VARIANT_GRANTS } from './support/worker-variants.ts';
import { scenarios } from './support/scenarios.ts';

let demo: Demo;
let lens: FirefoxLens;

beforeAll(async () => {
  demo = await startDemo();
  lens = await launchFirefoxWithLens();
});

afterAll(async () => {
  await lens?.close();
  await demo?.close();
});

/**
 * Drives oidc-provider's development pages until the app shows #done: login
 * form (not shown again while the provider's session lasts), consent.
 */
async function loginAtOp(page: Page): Promise<string> {
  await page.click('#login');
  const acted = new Set<string>();
  for (;;) {
    const next = await page.waitForSelector('input[name=login], input[name=prompt][value=consent], #done, #failed', { timeout: 15_000 });
    const what = await next!.evaluate((element) => (element.id ? `${element.id}: ${element.textContent}` : `${element.getAttribute('name')}@${location.pathname}`));
    if (what.startsWith('done:') || what.startsWith('failed:')) return what;
    if (acted.has(what)) continue;
    acted.add(what);
    if (what.startsWith('login@')) {
      await page.type('input[name=login]', DEMO_USER.login);
      await page.type('input[name=password]', DEMO_USER.password);
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:not([value=cancel])')]);
    } else {
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    }
  }
}

const isToken = (url: string) => new URL(url).pathname === '/token';

describe('Firefox capture', () => {
  for (const name of ['clean', 'token-in-query'] as const) {
    it(`${name}: every leg, with the token response body`, async () => {
      const page = await lens.browser.newPage();
      await page.goto(demo.urls.variants[name]!);
      await pollUntil(() => page.$('#login'), Boolean, 'the app page', 10_000);
      expect(await loginAtOp(page)).toMatch(/^done: signed in/);

      const app = demo.urls.app;
      await expect
        .poll(async () => (await captureOf(lens, app))?.events.some((event) => isToken(event.url) && event.responseBodyState === 'captured'), { timeout: 15_000 })
        .toBe(true);
      const capture = (await captureOf(lens, app))!;
      const token = capture.events.find((event) => isToken(event.url))!;
      expect(token.requestBody?.formData?.grant_type).toEqual(['authorization_code']);
      expect(JSON.parse(token.responseBody!.text)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
      const authorize = capture.events.find((event) => new URL(event.url).pathname === '/auth' && event.hop === 0);
      expect(authorize?.url).toContain('code_challenge_method=S256');
      // Firefox shows Referer/Origin without extraHeaders.
      expect(token.requestHeaders?.some((header) => header.name.toLowerCase() === 'origin')).toBe(true);

      const expected = name === 'clean' ? [] : ['leak.token-in-query'];
      await expect
        .poll(async () => {
          const report = (await captureOf(lens, app))?.report;
          return { flows: report?.flows.map((flow) => flow.kind), checks: [...new Set(report?.findings.map((f) => f.check))].sort() };
        }, { timeout: 10_000 })
        .toEqual({ flows: ['authorization_code'], checks: expected });
      await page.close();
    });
  }
});

describe('Firefox: a backend-for-frontend', () => {
  // Firefox shows Set-Cookie to every response listener (Chrome only with extraHeaders): the weak session cookie is seen live.
  it('bff-weak-cookie: the session cookie set on the callback lacks HttpOnly and SameSite', async () => {
    const page = await lens.browser.newPage();
    await page.goto(demo.urls.variants['bff-weak-cookie']!);
    await pollUntil(() => page.$('#login'), Boolean, 'the app page', 10_000);
    expect(await loginAtOp(page)).toMatch(/^done: signed in \(backend-for-frontend\)/);
    await expect
      .poll(async () => {
        const report = (await captureOf(lens, demo.urls.app))?.report;
        return { flows: report?.flows.map((flow) => flow.kind), checks: [...new Set(report?.findings.map((f) => f.check))].sort() };
      }, { timeout: 10_000 })
      .toEqual({ flows: ['authorization_code'], checks: ['session.cookie-weak'] });
    await page.close();
  });
});

/**
 * Token requests from a dedicated Web Worker and from the site's service
 * worker (tabId -1 in webRequest: it must join the tab's flow, its body read
 * by filterResponseData all the same), and a prompt=none login that the AS
 * answers at once, whose callback page redeems the code as it loads.
 */
describe('Firefox: token requests from workers, instant redirects', () => {
  for (const [name, grants] of Object.entries(WORKER_VARIANT_GRANTS)) {
    it(`${name}: every token request in its tab's flow, with its response body, and no finding`, async () => {
      const page = await lens.browser.newPage();
      await page.goto(demo.urls.variants[name]!);
      await pollUntil(() => page.$('#login'), Boolean, 'the app page', 10_000);
      expect(await loginAtOp(page)).toMatch(/^done: signed in/);
      const app = demo.urls.app;
      const tokenBodies = async () =>
        (await captureOf(lens, app))?.events.filter((event) => isToken(event.url)).map((event) => event.responseBodyState);
      await expect.poll(tokenBodies, { timeout: 15_000 }).toEqual(grants.flat().map(() => 'captured'));
      const scenario = variantByName(name)!;
      await expect
        .poll(async () => {
          const report = (await captureOf(lens, app))?.report;
          return { grants: tokenGrantsOf(report), checks: [...new Set(report?.findings.map((f) => f.check))].sort() };
        }, { timeout: 10_000 })
        .toEqual({ grants, checks: [...scenario.expect].sort() });
      // webRequest gives a dedicated Web Worker's requests its page's tab, a service worker's none (-1).
      const sources = (await captureOf(lens, app))!.events.filter((event) => isToken(event.url)).map((event) => event.sourceTabId ?? 'tab');
      expect(sources).toEqual(grants.flat().map(() => (name === 'service-worker-token' ? -1 : 'tab')));
      await page.close();
    });
  }
});

/**
 * OAUTH_LENS_E2E_ALL=1: the scenarios whose checks need a response body (which
 * Chrome's webRequest never shows) run here, where filterResponseData reads it.
 */
const BODY_SCENARIOS = [
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
  // Beyond the basics: JWKS, PAR and token answers.
  'jarm-invalid',
  'par-request-uri-long-lived',
  'dpop-ignored',
  'dpop-binding-mismatch',
  'dpop-proof-replayed',
];

describe.runIf(process.env.OAUTH_LENS_E2E_ALL === '1')('Firefox: scenarios that need a response body', () => {
  for (const scenario of scenarios.filter((s) => BODY_SCENARIOS.includes(s.name))) {
    it(`${scenario.name}: checks [${scenario.expect.join(', ')}]`, async () => {
      const variant = variantByName(scenario.name)!;
      if (variant.mode === 'refresh-only') await seedRefreshToken(undefined as never, demo, variant);
      const page = await lens.browser.newPage();
      const start = demo.urls.variants[scenario.name]!;
      await page.goto(start);
      await pollUntil(() => page.$('#login'), Boolean, 'the app page', 10_000);
      expect(await loginAtOp(page)).toMatch(/^done: /);
      const origin = new URL(start).origin;
      await expect
        .poll(async () => {
          const report = (await captureOf(lens, origin))?.report;
          return { flows: report?.flows.map((flow) => flow.kind).sort(), checks: [...new Set(report?.findings.map((f) => f.check))].sort() };
        }, { timeout: 10_000 })
        .toEqual({ flows: [...scenario.kinds].sort(), checks: [...scenario.expect].sort() });
      await page.close();
    });
  }
});
