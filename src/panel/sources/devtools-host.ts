/**
 * The DevTools host: which tab is inspected, the DevTools theme, and the
 * storage scan for `leak.token-in-storage`. The browser calls live in
 * src/platform/inspected-window.ts, feature-detected, so the same panel runs
 * in an ordinary tab where `chrome.devtools` does not exist.
 */
import { devtoolsTheme, evalInInspectedWindow, inspectedTab } from '../../platform/inspected-window.ts';
import type { PanelHost, StorageMatch } from '../flow-source.ts';
import { storageScanScript } from './storage-scan.ts';

export interface DevtoolsContext {
  tabId: number;
  host: PanelHost;
}

export function devtoolsContext(): DevtoolsContext | undefined {
  const tabId = inspectedTab();
  if (tabId === undefined) return undefined;
  return {
    tabId,
    host: {
      theme: devtoolsTheme() ?? 'light',
      // Fixed code plus a JSON array of hex digests; see storage-scan.ts.
      scanStorage: async (tokenHashes) => {
        const result = await evalInInspectedWindow(storageScanScript(tokenHashes));
        return Array.isArray(result) ? (result as unknown[]).filter(isMatch) : [];
      },
    },
  };
}

function isMatch(m: unknown): m is StorageMatch {
  const x = m as StorageMatch;
  return (x?.storage === 'localStorage' || x?.storage === 'sessionStorage') && typeof x.key === 'string' && typeof x.tokenHash === 'string';
}
