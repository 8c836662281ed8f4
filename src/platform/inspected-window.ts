/**
 * The inspected page, from a DevTools context: which tab, which theme, and
 * running a fixed script in the page. Feature-detected: outside DevTools
 * (the panel opened as a tab, tests) every function answers undefined.
 */

function devtools(): typeof chrome.devtools | undefined {
  return typeof chrome === 'undefined' ? undefined : chrome.devtools;
}

export function inspectedTab(): number | undefined {
  return devtools()?.inspectedWindow?.tabId;
}

export function devtoolsTheme(): 'dark' | 'light' | undefined {
  const panels = devtools()?.panels;
  if (!panels) return undefined;
  return panels.themeName === 'dark' ? 'dark' : 'light';
}

/**
 * Runs a script in the inspected page and resolves with its result (undefined
 * on an exception). Callers pass fixed code: nothing from captured traffic may
 * be spliced into it except as validated, JSON-encoded data.
 */
export function evalInInspectedWindow(script: string): Promise<unknown> {
  const inspectedWindow = devtools()?.inspectedWindow;
  if (!inspectedWindow) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    inspectedWindow.eval(script, (result: unknown, exception) => resolve(exception ? undefined : result));
  });
}
