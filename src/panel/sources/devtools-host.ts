/**
 * The DevTools glue: which tab is inspected, the DevTools theme, and the
 * storage scan for `leak.token-in-storage`. Feature-detected, so the same
 * panel runs in an ordinary tab where `chrome.devtools` does not exist.
 */
import type { PanelHost, StorageMatch } from '../flow-source.ts';
import { storageScanScript } from './storage-scan.ts';

export interface DevtoolsContext {
  tabId: number;
  host: PanelHost;
}

export function devtoolsContext(): DevtoolsContext | undefined {
  const devtools = typeof chrome === 'undefined' ? undefined : chrome.devtools;
  if (!devtools?.inspectedWindow) return undefined;
  const theme = devtools.panels?.themeName === 'dark' ? 'dark' : 'light';
  return {
    tabId: devtools.inspectedWindow.tabId,
    host: {
      theme,
      scanStorage: (tokenHashes) =>
        new Promise<StorageMatch[]>((resolve) => {
          // Fixed code plus a JSON array of hex digests; see storage-scan.ts.
          devtools.inspectedWindow.eval(storageScanScript(tokenHashes), (result: unknown, exception) => {
            resolve(exception || !Array.isArray(result) ? [] : (result as StorageMatch[]).filter(isMatch));
          });
        }),
    },
  };
}

function isMatch(m: unknown): m is StorageMatch {
  const x = m as StorageMatch;
  return (x?.storage === 'localStorage' || x?.storage === 'sessionStorage') && typeof x.key === 'string' && typeof x.tokenHash === 'string';
}
