/**
 * Test builds only (`OAUTH_LENS_E2E=1`, dist/e2e-*): Firefox's WebDriver BiDi
 * will not navigate to moz-extension:// pages, so the worker opens its own
 * report page, which the tests then read. Never in a store build.
 */
import { openExtensionPage } from '../platform/tabs.ts';
import type { WebRequestHandlers } from '../platform/web-request.ts';

export const E2E_REPORT_PAGE = 'src/popup/e2e-report.html';

export function openReportPage(): void {
  void openExtensionPage(E2E_REPORT_PAGE);
}

/** Chromium tests read `globalThis.__oauthLensAttachLog` in the worker: every tab chrome.debugger was attached to. */
export function exposeAttachLog(log: readonly number[]): void {
  (globalThis as { __oauthLensAttachLog?: readonly number[] }).__oauthLensAttachLog = log;
}

/** What the browser handed the worker's onBeforeRequest listeners: tab -> request type -> count. */
const delivered: Record<string, Record<string, number>> = {};

/**
 * Chromium tests read `globalThis.__oauthLensListeners`: the listen mode, the
 * tabs with their own listeners, the deliveries, and `expire()`, which lets go
 * of every tab as ten idle minutes would.
 */
export function exposeListeners(mode: string, watched: () => number[], expire: () => void): void {
  (globalThis as { __oauthLensListeners?: unknown }).__oauthLensListeners = { mode, watched, delivered, expire };
}

export function countDeliveries(handlers: WebRequestHandlers): WebRequestHandlers {
  return {
    ...handlers,
    beforeRequest: (details) => {
      const tab = (delivered[String(details.tabId)] ??= {});
      tab[details.type] = (tab[details.type] ?? 0) + 1;
      handlers.beforeRequest(details);
    },
  };
}
