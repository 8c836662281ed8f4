/**
 * Support for the active-check end-to-end tests: the Chromium test build with
 * the active checks in it, the demo, and a helper that runs a planned check
 * through the worker exactly as the panel's confirm button does
 * (`runtime.sendMessage({ type: 'oauth-lens/active-run', … })`).
 *
 * Chrome asks for `declarativeNetRequestWithHostAccess` on first use, and a test
 * cannot click a permission prompt: the test build is copied with the
 * permission granted at install.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { analyze } from '../../src/core/flows/analyze.ts';
import type { Flow, RequestEvent } from '../../src/core/model.ts';
import { planActiveCheck, type ActivePlan } from '../../src/core/replay/plan.ts';
import type { ActiveCheckId } from '../../src/core/replay/types.ts';
import type { ActiveRunResponse } from '../../src/core/protocol/active.ts';
import { DEMO_USER } from '../../demo/drive.ts';
import { ensureBuilt, type Target } from './support/build.ts';
import { launchWithLens, type Lens } from './support/chromium.ts';

const DNR = 'declarativeNetRequestWithHostAccess';

/**
 * The test build, with `declarativeNetRequestWithHostAccess` granted at
 * install where the manifest only asks for it later (Chrome; Firefox declares it).
 */
export async function activeBuild(target: Target = 'chrome'): Promise<{ dir: string; patched: boolean; cleanup(): void }> {
  const base = ensureBuilt(target);
  const manifest = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as { permissions: string[] };
  const needsDnr = !manifest.permissions.includes(DNR);
  if (!needsDnr) return { dir: base, patched: false, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), `oauth-lens-active-${target}-`));
  cpSync(base, dir, { recursive: true });
  manifest.permissions.push(DNR);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, patched: true, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Chromium with the active-check build (`activeBuild().dir`). */
export function launchActive(dir: string, args: string[] = []): Promise<Lens> {
  return launchWithLens({ dir, args });
}

export { events as tabEvents, tabIdOf, type Lens as ActiveLens } from './support/chromium.ts';

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
export async function runActive(lens: Lens, tabId: number, flow: Flow, check: ActiveCheckId): Promise<{ plan: ActivePlan; answer: ActiveRunResponse }> {
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
