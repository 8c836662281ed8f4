/**
 * The built extension in firefox-esr through puppeteer-core's WebDriver BiDi
 * (no geckodriver): installed as a temporary add-on; every host resolves to
 * loopback; certificate errors accepted (self-signed demo certificate).
 * The test build opens its own report page (src/background/e2e-hooks.ts),
 * since BiDi will not navigate to moz-extension:// pages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Report, RequestEvent } from '../../../src/core/model.ts';
import { ensureBuilt } from './build.ts';
import { pollUntil } from './poll.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface TabCapture {
  url: string;
  report?: Report;
  events: RequestEvent[];
}

export interface FirefoxLens {
  browser: Browser;
  /** The extension's own report page (test build). */
  reportPage: Page;
  tabs(): Promise<Record<string, TabCapture>>;
  close(): Promise<void>;
}

export async function launchFirefoxWithLens(): Promise<FirefoxLens> {
  const dist = ensureBuilt('firefox');
  const profile = mkdtempSync(join(tmpdir(), 'oauth-lens-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      // Every hostname resolves to loopback: *.example.test reach the local servers, nothing reaches the internet.
      'network.dns.forceResolve': '127.0.0.1',
      'network.proxy.type': 0,
      // MV3 host permissions granted at install, as a user accepting the prompt would.
      'extensions.originControls.grantByDefault': true,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  await browser.installExtension(dist);
  // BiDi reports an extension tab's URL as about:blank: ask the document itself.
  const findReportPage = async (): Promise<Page | undefined> => {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.startsWith('moz-extension://') && href.includes('e2e-report.html')) return page;
    }
    return undefined;
  };
  const reportPage = await pollUntil(
    findReportPage,
    Boolean,
    'the extension to open its report page',
    20_000,
    200,
  );
  return {
    browser,
    reportPage: reportPage!,
    async tabs() {
      const text = await reportPage!.$eval('#report', (element) => element.textContent ?? '{}');
      return (JSON.parse(text) as { tabs?: Record<string, TabCapture> }).tabs ?? {};
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The capture of the newest tab showing a URL that starts with `prefix`. */
export async function captureOf(lens: FirefoxLens, prefix: string): Promise<TabCapture | undefined> {
  const tabs = await lens.tabs();
  const matching = Object.entries(tabs).filter(([, tab]) => tab.url.startsWith(prefix));
  matching.sort((a, b) => Number(b[0]) - Number(a[0]));
  return matching[0]?.[1];
}
