/**
 * Support for the active-check end-to-end tests: the Chromium test build with
 * the active checks in it, the demo, and a helper that runs a planned check
 * through the worker exactly as the panel's confirm button does
 * (`runtime.sendMessage({ type: 'oauth-lens/active-run', … })`).
 *
 * Until the worker calls registerActiveHandlers() and the manifest carries the
 * permission, the test build is copied and patched: the handlers are bundled
 * into the copy's worker and `declarativeNetRequestWithHostAccess` is granted
 * at install (a test cannot click a permission prompt).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { build } from 'vite';
import { analyze } from '../../src/core/flows/analyze.ts';
import type { Flow, RequestEvent } from '../../src/core/model.ts';
import { planActiveCheck, type ActivePlan } from '../../src/core/replay/plan.ts';
import type { ActiveCheckId } from '../../src/core/replay/types.ts';
import type { ActiveRunResponse } from '../../src/background/active-protocol.ts';
import { DEMO_USER } from '../../demo/drive.ts';
import { distDir, ensureBuilt, ROOT, type Target } from './support/build.ts';
import { CHROMIUM } from './support/chromium.ts';

const DNR = 'declarativeNetRequestWithHostAccess';

function workerHasHandlers(dir: string): boolean {
  const assets = join(dir, 'assets');
  return existsSync(assets) && readdirSync(assets).some((f) => f.startsWith('worker') && readFileSync(join(assets, f), 'utf8').includes('oauth-lens/active-run'));
}

/**
 * The test build's worker calls vite's `__vitePreload` (a dynamic import of
 * e2e-hooks.ts), which touches `document` and throws while the worker module
 * is evaluated, so Chrome drops every listener. Until worker.ts imports its
 * test hooks statically, the copy's worker skips that call. TODO [2026-11-23]: remove.
 */
function neutraliseWorkerPreload(dir: string): void {
  const assets = join(dir, 'assets');
  for (const name of readdirSync(assets)) {
    if (!name.startsWith('worker')) continue;
    const path = join(assets, name);
    const text = readFileSync(path, 'utf8');
    if (text.includes('__vitePreload(')) writeFileSync(path, text.replace(/\n__vitePreload\(/g, '\n((_load, _deps) => new Promise(() => undefined))('));
  }
}

/**
 * The test build with the active checks wired (a patched copy if the build
 * does not have them yet). Chrome gets `declarativeNetRequestWithHostAccess`
 * granted at install; Firefox needs no new permission (blocking webRequest).
 */
export async function activeBuild(target: Target = 'chrome'): Promise<{ dir: string; patched: boolean; cleanup(): void }> {
  let base: string;
  try {
    base = ensureBuilt(target);
  } catch (error) {
    // The tree is shared with work in progress: fall back to the last good test build rather than test nothing.
    base = distDir(target);
    if (!existsSync(join(base, 'manifest.json'))) throw error;
    process.stderr.write(`active e2e: build failed, using the last test build in ${base}\n`);
  }
  const manifest = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as { permissions: string[] };
  const needsDnr = !manifest.permissions.includes(DNR);
  const preloadBug = target === 'chrome' && readdirSync(join(base, 'assets')).some((f) => f.startsWith('worker') && /\n__vitePreload\(/.test(readFileSync(join(base, 'assets', f), 'utf8')));
  if (!preloadBug && workerHasHandlers(base) && !needsDnr) return { dir: base, patched: false, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), `oauth-lens-active-${target}-`));
  cpSync(base, dir, { recursive: true });
  if (needsDnr) {
    manifest.permissions.push(DNR);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
  if (preloadBug) neutraliseWorkerPreload(dir);
  if (!workerHasHandlers(base)) {
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      define: { __OAUTH_LENS_DEBUG__: 'false', __OAUTH_LENS_E2E__: 'true' },
      build: {
        outDir: dir,
        emptyOutDir: false,
        minify: false,
        target: 'es2022',
        lib: { entry: join(ROOT, 'test/e2e/active-entry.ts'), formats: ['es'], fileName: () => 'active-e2e.js' },
      },
    });
    const loader = join(dir, 'service-worker-loader.js');
    writeFileSync(loader, `${readFileSync(loader, 'utf8')}\nimport './active-e2e.js';\n`);
  }
  return { dir, patched: true, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ActiveLens {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  ext: Page;
  close(): Promise<void>;
}

export async function launchActive(dir: string, args: string[] = []): Promise<ActiveLens> {
  const profile = mkdtempSync(join(tmpdir(), 'oauth-lens-active-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-certificate-errors',
      '--host-resolver-rules=MAP *.example.test 127.0.0.1',
      ...args,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const ext = await context.newPage();
  await ext.goto(`chrome-extension://${extensionId}/src/popup/popup.html`);
  return {
    context,
    worker,
    extensionId,
    ext,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function tabEvents(lens: ActiveLens, tabId: number): Promise<RequestEvent[]> {
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

export async function tabIdOf(lens: ActiveLens, page: Page): Promise<number> {
  const url = page.url();
  const id = await lens.ext.evaluate(async (pageUrl) => (await chrome.tabs.query({})).find((tab) => tab.url === pageUrl)?.id, url);
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

export function flowsOf(events: RequestEvent[]): Flow[] {
  return analyze(events).flows;
}

/**
 * Fills the login form (either AS) and oidc-provider's consent in any page the
 * probe tabs open. Polls the context's pages as well as listening for new
 * ones: a tab the extension opens is not always announced as a new page.
 */
export function autoLogin(context: BrowserContext): () => void {
  let on = true;
  const busy = new Set<Page>();
  const act = async (page: Page) => {
    if (busy.has(page) || page.isClosed()) return;
    busy.add(page);
    try {
      if (await page.locator('input[name=login]').count()) {
        await page.fill('input[name=login]', DEMO_USER.login);
        await page.fill('input[name=password]', DEMO_USER.password);
        await page.click('button[type=submit]:not([value=cancel])', { timeout: 2_000 });
      } else if (await page.locator('input[name=prompt][value=consent]').count()) {
        await page.click('button[type=submit]', { timeout: 2_000 });
      }
    } catch (error) {
      // navigating or closed
      if (process.env.LENS_DEBUG) console.log('autoLogin:', String(error).slice(0, 200));
    } finally {
      setTimeout(() => busy.delete(page), 400);
    }
  };
  const loop = async () => {
    while (on) {
      for (const page of context.pages()) void act(page);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  void loop();
  return () => {
    on = false;
  };
}

/** Plans a check in Node (as the panel does) and runs it through the worker. */
export async function runActive(lens: ActiveLens, tabId: number, flow: Flow, check: ActiveCheckId): Promise<{ plan: ActivePlan; answer: ActiveRunResponse }> {
  const plan = await planActiveCheck(flow, check);
  if ('unavailable' in plan) throw new Error(`${check}: ${plan.unavailable}`);
  const sent = lens.ext.evaluate(
    (message) => chrome.runtime.sendMessage(message) as Promise<ActiveRunResponse>,
    JSON.parse(JSON.stringify({ type: 'oauth-lens/active-run', tabId, flow, plan })),
  );
  // Say where it stuck rather than time out silently (a probe tab waiting for a login nobody did).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void lens.worker
        .evaluate(async () => ({ tabs: (await chrome.tabs.query({})).map((t) => `${t.id} ${t.status} ${t.url ?? t.pendingUrl}`), rules: await chrome.declarativeNetRequest.getSessionRules() }))
        .catch((error: unknown) => String(error))
        .then((seen) => reject(new Error(`${check} still running after 60 s; pages: ${lens.context.pages().map((p) => p.url()).join(' | ')}; the browser: ${JSON.stringify(seen)}`)));
    }, 60_000);
  });
  try {
    return { plan, answer: await Promise.race([sent, stuck]) };
  } finally {
    clearTimeout(timer);
  }
}
