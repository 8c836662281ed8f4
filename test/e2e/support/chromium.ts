/**
 * The built extension in real Chromium (playwright-core), as TOOLCHAIN.md
 * describes: persistent context, loopback hostnames, certificate errors
 * ignored (the servers use a throw-away self-signed certificate).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import type { Report, RequestEvent } from '../../../src/core/model.ts';
import { ensureBuilt } from './build.ts';
import { pollUntil } from './poll.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Lens {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** An extension page used to talk to the worker the way the panel and popup do. */
  ext: Page;
  close(): Promise<void>;
}

/**
 * Chromium with the extension: the e2e build, or `dir` (a copy with extra
 * permissions granted). `display` runs it headed on that X display (see xvfb.ts).
 */
export async function launchWithLens(options: { args?: string[]; hostResolverRules?: string; dir?: string; display?: string } = {}): Promise<Lens> {
  const dist = options.dir ?? ensureBuilt('chrome');
  const profile = mkdtempSync(join(tmpdir(), 'oauth-lens-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: options.display === undefined,
    ...(options.display === undefined ? {} : { env: { ...process.env, DISPLAY: options.display } }),
    ignoreHTTPSErrors: true,
    args: [
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${options.hostResolverRules ?? 'MAP *.example.test 127.0.0.1'}`,
      ...(options.args ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const ext = await context.newPage();
  await ext.goto(`chrome-extension://${extensionId}/src/popup/popup.html`);
  return {
    context,
    extensionId,
    worker,
    ext,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The worker's `oauth-lens/report` answer, asked from an extension page. */
export async function report(lens: Lens, tabId?: number): Promise<Report> {
  return lens.ext.evaluate((tab) => chrome.runtime.sendMessage({ type: 'oauth-lens/report', ...(tab === undefined ? {} : { tabId: tab }) }), tabId);
}

/** The tab's event log, through the panel's port protocol. */
export async function events(lens: Lens, tabId: number): Promise<RequestEvent[]> {
  return lens.ext.evaluate(
    (tab) =>
      new Promise<RequestEvent[]>((resolve) => {
        const port = chrome.runtime.connect({ name: 'oauth-lens/panel' });
        port.onMessage.addListener((message: { type: string; events: RequestEvent[] }) => {
          if (message.type !== 'snapshot') return;
          port.disconnect();
          resolve(message.events);
        });
        port.postMessage({ type: 'subscribe', tabId: tab });
      }),
    tabId,
  );
}

export async function clear(lens: Lens, tabId: number): Promise<void> {
  await lens.ext.evaluate((tab) => {
    const port = chrome.runtime.connect({ name: 'oauth-lens/panel' });
    port.postMessage({ type: 'clear', tabId: tab });
    return new Promise<void>((resolve) => setTimeout(() => (port.disconnect(), resolve()), 50));
  }, tabId);
}

/** The browser's id for a page's tab (asked from the extension). */
export async function tabIdOf(lens: Lens, page: Page): Promise<number> {
  const url = page.url();
  const id = await lens.ext.evaluate(async (pageUrl) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === pageUrl)?.id;
  }, url);
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

/**
 * The worker's listeners are live a little after it appears: load an
 * OAuth-looking page until the worker logs it, then forget it.
 */
export async function warmUp(lens: Lens, url: string): Promise<void> {
  const page = await lens.context.newPage();
  let tabId: number | undefined;
  await pollUntil(
    async () => {
      await page.goto(url);
      tabId ??= await tabIdOf(lens, page);
      return (await events(lens, tabId)).length;
    },
    (count) => count > 0,
    'the worker to log the warm-up page',
    20_000,
    300,
  );
  if (tabId !== undefined) await clear(lens, tabId);
  await page.close();
}

/**
 * Stops the extension's service worker over CDP, as Chrome does when it
 * idles: memory is gone, storage.session stays. Asked from the extension's
 * own page, whose ServiceWorker domain sees the extension's worker.
 */
export async function stopWorker(lens: Lens): Promise<void> {
  const session: CDPSession = await lens.context.newCDPSession(lens.ext);
  const versions = new Map<string, { scriptURL: string; runningStatus: string }>();
  session.on('ServiceWorker.workerVersionUpdated', (event: { versions: { versionId: string; scriptURL: string; runningStatus: string }[] }) => {
    for (const version of event.versions) versions.set(version.versionId, version);
  });
  await session.send('ServiceWorker.enable');
  await pollUntil(() => [...versions.values()].some((v) => v.runningStatus === 'running'), Boolean, 'a running worker', 5_000, 20);
  for (const [versionId, version] of versions) {
    if (version.runningStatus === 'running' && version.scriptURL.startsWith(`chrome-extension://${lens.extensionId}/`)) {
      await session.send('ServiceWorker.stopWorker', { versionId });
    }
  }
  await pollUntil(() => [...versions.values()].every((v) => v.runningStatus !== 'running'), Boolean, 'the worker to stop', 5_000, 20);
  await session.detach();
}
