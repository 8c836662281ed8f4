/**
 * Active checks in Firefox (firefox-esr, WebDriver BiDi through
 * puppeteer-core): code.reuse-accepted and pkce.not-enforced pass against
 * oidc-provider and fire against the flawed AS. Firefox sets the app's Origin
 * with a DNR session rule (the permission is declared in its manifest) and
 * stops the probe tab's callback with blocking webRequest.
 * Runs are sent from the extension's own page, as the panel's confirm does.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../demo/drive.ts';
import { startDemo, type Demo } from '../../demo/servers.ts';
import { analyze } from '../../src/core/flows/analyze.ts';
import type { Flow, RequestEvent } from '../../src/core/model.ts';
import { planActiveCheck } from '../../src/core/replay/plan.ts';
import type { ActiveCheckId, ActiveCheckResult } from '../../src/core/replay/types.ts';
import type { ActiveRunResponse } from '../../src/core/protocol/active.ts';
import { launchFirefoxWithLens, type FirefoxLens } from './support/firefox.ts';
import { pollUntil } from './support/poll.ts';

let demo: Demo;
let browser: Browser;
let ext: Page;
let lens: FirefoxLens;
let stopLogins = false;

beforeAll(async () => {
  demo = await startDemo();
  lens = await launchFirefoxWithLens();
  browser = lens.browser;
  // The test build opens its own report page: an extension page to send messages from.
  ext = lens.reportPage;
  void fillLogins();
});

afterAll(async () => {
  stopLogins = true;
  await lens?.close();
  await demo?.close();
});

/** Fills any login form or consent page in any tab (the app's and the probe tabs). */
async function fillLogins(): Promise<void> {
  const busy = new Set<Page>();
  while (!stopLogins) {
    for (const page of await browser.pages().catch(() => [])) {
      if (busy.has(page)) continue;
      busy.add(page);
      void (async () => {
        try {
          if (await page.$('input[name=login]')) {
            await page.type('input[name=login]', DEMO_USER.login);
            await page.type('input[name=password]', DEMO_USER.password);
            await page.click('button[type=submit]:not([value=cancel])');
          } else if (await page.$('input[name=prompt][value=consent]')) {
            await page.click('button[type=submit]');
          }
        } catch {
          // navigating or closed
        } finally {
          setTimeout(() => busy.delete(page), 500);
        }
      })();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function tabEvents(tabUrlPart: string): Promise<{ tabId: number; events: RequestEvent[] } | undefined> {
  return ext.evaluate(async (part) => {
    const api = (globalThis as unknown as { browser: typeof chrome }).browser;
    const tabs = await api.tabs.query({});
    const tab = tabs.find((t) => t.url?.includes(part));
    if (tab?.id === undefined) return undefined;
    const port = api.runtime.connect({ name: 'oauth-lens/panel' });
    const events = await new Promise<RequestEvent[]>((resolve) => {
      port.onMessage.addListener((message: { type: string; events: RequestEvent[] }) => {
        if (message.type === 'snapshot') resolve(message.events);
      });
      port.postMessage({ type: 'subscribe', tabId: tab.id });
    });
    port.disconnect();
    return { tabId: tab.id, events };
  }, tabUrlPart);
}

async function login(variant: string): Promise<{ tabId: number; flow: Flow }> {
  const page = await browser.newPage();
  await page.goto(demo.urls.variants[variant] as string);
  await pollUntil(() => page.$('#login'), Boolean, 'the app page', 10_000);
  await page.click('#login');
  await page.waitForSelector('#done', { timeout: 20_000 });
  const found = await pollUntil(
    async () => {
      const tab = await tabEvents(`variant=${variant}`);
      const flow = tab && analyze(tab.events).flows.find((f) => f.legs.some((l) => l.grantType === 'authorization_code'));
      return tab && flow ? { tabId: tab.tabId, flow } : undefined;
    },
    Boolean,
    `the ${variant} flow`,
    15_000,
    200,
  );
  return found as { tabId: number; flow: Flow };
}

async function run(tabId: number, flow: Flow, check: ActiveCheckId): Promise<Record<string, ActiveCheckResult>> {
  const plan = await planActiveCheck(flow, check);
  if ('unavailable' in plan) throw new Error(plan.unavailable);
  const message = JSON.parse(JSON.stringify({ type: 'oauth-lens/active-run', tabId, flow, plan }));
  const answer = (await ext.evaluate((m) => (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage(m), message)) as ActiveRunResponse;
  if (!answer.ok) throw new Error(answer.error);
  if (process.env.LENS_DEBUG) console.log(JSON.stringify(answer.results.map((r) => [r.check, r.verdict, r.summary])));
  expect(answer.events.every((e) => e.fromInspector === true)).toBe(true);
  return Object.fromEntries(answer.results.map((r) => [r.check, r]));
}

describe('Firefox: active checks', () => {
  it('oidc-provider: code replay refused, PKCE enforced (the right verifier works: the app’s Origin got through)', async () => {
    const { tabId, flow } = await login('clean');
    expect((await run(tabId, flow, 'code.reuse-accepted'))['code.reuse-accepted']).toMatchObject({ verdict: 'pass' });
    const pkce = await run(tabId, flow, 'pkce.not-enforced');
    expect(pkce['pkce.not-enforced']).toMatchObject({ verdict: 'pass' });
    expect(pkce['code.reuse-accepted']).toMatchObject({ verdict: 'pass' });
  });

  it('flawed AS: code reuse accepted and PKCE not enforced', async () => {
    const { tabId, flow } = await login('active-flaws');
    expect((await run(tabId, flow, 'code.reuse-accepted'))['code.reuse-accepted']?.finding).toMatchObject({ check: 'code.reuse-accepted', severity: 'critical' });
    const pkce = await run(tabId, flow, 'pkce.not-enforced');
    expect(pkce['pkce.not-enforced']?.finding).toMatchObject({ check: 'pkce.not-enforced', severity: 'critical' });
  });
});
