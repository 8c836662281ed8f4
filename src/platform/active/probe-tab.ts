/**
 * A tab of the inspector's own for an authorization request it sends (a fresh
 * code, or a changed redirect_uri). The navigation to the redirect URI under
 * test is stopped before it leaves the browser:
 * - Chrome: a declarativeNetRequest session rule that blocks main-frame
 *   requests to that address carrying the probe's own state (the worker still
 *   sees the redirect that pointed there, with the code, in onBeforeRedirect);
 * - Firefox: a blocking onBeforeRequest listener that cancels them.
 * The app never sees the code. The tab closes itself once the answer is known;
 * while the authorization server shows a login page, it waits for the user.
 */
import { readNavigation, type NavigationHop } from '../../core/replay/authorization-probes.ts';
import { probeUrlProblem } from '../../core/replay/guard.ts';
import { isProbeCallback, probeCatchPattern } from '../../core/replay/plan.ts';
import type { NavigationOutcome } from '../../core/replay/types.ts';
import { attempt, browser } from '../browser.ts';
import { debug } from '../debug.ts';
import { addSessionRule, dnrAvailable, removeSessionRule } from './dnr.ts';

export interface ProbeTabResult {
  tabId: number;
  hops: NavigationHop[];
  outcome: NavigationOutcome;
}

export interface ProbeTabOptions {
  /** How long to wait for the user to log in (default 5 minutes). */
  timeoutMs?: number;
  onProgress?: (outcome: NavigationOutcome) => void;
}

type AnyListener = (details: never) => unknown;
interface Registrable {
  addListener(listener: AnyListener, filter: object, extra?: string[]): void;
  removeListener(listener: AnyListener): void;
}

interface Details {
  url: string;
  tabId: number;
  statusCode?: number;
  redirectUrl?: string;
  error?: string;
}

function canBlockWebRequest(): boolean {
  return typeof (browser.webRequest as { filterResponseData?: unknown } | undefined)?.filterResponseData === 'function';
}

export function probeTabsSupported(): boolean {
  return canBlockWebRequest() || dnrAvailable();
}

let alive: ReturnType<typeof setInterval> | undefined;
let openProbes = 0;

/** Keeps Chrome's worker up while a probe tab waits (any API call resets the 30 s idle timer). */
function holdWorker(on: boolean): void {
  openProbes += on ? 1 : -1;
  if (openProbes > 0 && !alive) alive = setInterval(() => void attempt('runtime.getPlatformInfo', () => browser.runtime.getPlatformInfo()), 20_000);
  if (openProbes <= 0 && alive) {
    clearInterval(alive);
    alive = undefined;
  }
}

/**
 * Opens `url` in a new tab and reports what the authorization server did with
 * it, stopping the navigation to `redirectUri` that carries the probe's
 * `state`. The rule and the listeners are keyed on that state (which only the
 * probe uses), so they are in place before the tab exists: no race with a
 * server that redirects at once, and the app's own traffic is never touched.
 */
export async function runProbeTab(url: string, redirectUri: string, state: string, options: ProbeTabOptions = {}): Promise<ProbeTabResult> {
  const problem = probeUrlProblem(url);
  if (problem) throw new Error(`not opened: ${problem}`);
  if (!probeTabsSupported()) throw new Error('the declarativeNetRequest permission is needed to stop the navigation to the redirect URI');
  const caught = (url: string) => isProbeCallback(url, redirectUri, state);
  const ours = (d: Details) => d.url.includes(`state=${state}`) || !!d.redirectUrl?.includes(`state=${state}`) || (tabId !== undefined && d.tabId === tabId);
  let tabId: number | undefined;
  const hops: NavigationHop[] = [];
  const cleanups: Array<() => unknown> = [];
  const wr = browser.webRequest as unknown as Record<string, Registrable>;
  const filter = { urls: ['<all_urls>'], types: ['main_frame'] };
  holdWorker(true);

  let finish: (result: ProbeTabResult) => void = () => undefined;
  const done = new Promise<ProbeTabResult>((resolve) => (finish = resolve));
  let finished = false;
  const settle = (outcome: NavigationOutcome) => {
    if (finished) return;
    finished = true;
    finish({ tabId: tabId ?? -1, hops: [...hops], outcome });
  };
  const update = () => {
    const outcome = readNavigation(hops, redirectUri);
    if (outcome.kind === 'redirected' || outcome.kind === 'error-page') settle(outcome);
    else options.onProgress?.(outcome);
  };
  const listen = (name: string, listener: (d: Details) => unknown, extra?: string[]) => {
    const event = wr[name];
    if (!event) return;
    const wrapped = ((d: Details) => (ours(d) ? listener(d) : undefined)) as AnyListener;
    try {
      event.addListener(wrapped, filter, extra);
      cleanups.push(() => event.removeListener(wrapped));
    } catch (error) {
      debug(`probe ${name} listener failed`, String(error));
    }
  };

  try {
    if (canBlockWebRequest()) {
      listen(
        'onBeforeRequest',
        (d) => {
          if (!caught(d.url)) return undefined;
          hops.push({ url: d.url, caught: true });
          queueMicrotask(update);
          return { cancel: true };
        },
        ['blocking'],
      );
    } else {
      const ruleId = await addSessionRule({ regexFilter: probeCatchPattern(redirectUri, state), resourceTypes: ['main_frame'] }, { type: 'block' });
      if (ruleId === undefined) throw new Error('could not add the rule that stops the navigation to the redirect URI');
      cleanups.push(() => removeSessionRule(ruleId));
      listen('onErrorOccurred', (d) => {
        if (caught(d.url)) {
          hops.push({ url: d.url, caught: true });
          update();
        }
      });
    }
    listen('onBeforeRedirect', (d) => {
      hops.push({ url: d.url, ...(d.statusCode !== undefined ? { status: d.statusCode } : {}), ...(d.redirectUrl ? { redirectUrl: d.redirectUrl } : {}) });
      update();
    });
    listen('onCompleted', (d) => {
      hops.push({ url: d.url, ...(d.statusCode !== undefined ? { status: d.statusCode } : {}) });
      update();
    });
    const onRemoved = (removed: number) => {
      if (removed === tabId) settle({ kind: 'abandoned', reason: 'the tab was closed before the authorization server answered' });
    };
    browser.tabs.onRemoved.addListener(onRemoved);
    cleanups.push(() => browser.tabs.onRemoved.removeListener(onRemoved));
    const timer = setTimeout(() => settle({ kind: 'abandoned', reason: 'no answer in time (was a login left unfinished?)' }), options.timeoutMs ?? 300_000);
    cleanups.push(() => clearTimeout(timer));

    const tab = await browser.tabs.create({ url, active: true });
    tabId = tab.id;
    return await done;
  } finally {
    for (const cleanup of cleanups.reverse()) await attempt('probe cleanup', async () => cleanup());
    const opened = tabId;
    if (opened !== undefined) await attempt('tabs.remove', () => browser.tabs.remove(opened));
    holdWorker(false);
  }
}
