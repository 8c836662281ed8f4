/**
 * The panel page. One page, three hosts:
 *  - DevTools (created by the devtools page): the inspected tab, live, with the DevTools theme;
 *  - an ordinary extension tab, `panel.html?tabId=N`: tab N, live;
 *  - anything else (a test page, a static server): no capture until a HAR or an example is loaded.
 * `?example=<id>` loads a bundled example; `?theme=dark|light` pins the theme (screenshots).
 */
import { render } from 'preact';
import { App } from './components/App.tsx';
import { EXAMPLES } from './examples/index.ts';
import { importHarText } from './import-har.ts';
import type { FlowSource, PanelHost } from './flow-source.ts';
import { devtoolsContext } from './sources/devtools-host.ts';
import { staticSource } from './sources/static-source.ts';

async function choose(params: URLSearchParams): Promise<{ source: FlowSource; host: PanelHost }> {
  const theme = params.get('theme');
  const pinned: PanelHost = theme === 'dark' || theme === 'light' ? { theme } : {};
  const example = EXAMPLES.find((x) => x.id === params.get('example'));
  if (example) {
    return { source: staticSource(`example: ${example.title}`, importHarText(await example.load()).events), host: pinned };
  }
  const devtools = devtoolsContext();
  const tabParam = params.get('tabId');
  const tabId = devtools?.tabId ?? (tabParam !== null && /^\d+$/.test(tabParam) ? Number(tabParam) : undefined);
  if (tabId !== undefined) {
    // Loaded only inside the extension: the extension API does not exist elsewhere.
    const { portSource } = await import('./sources/port-source.ts');
    const { bodyAccess } = await import('../ui/body-access.ts');
    return { source: portSource(tabId), host: { ...devtools?.host, ...pinned, activeChecks: true, bodyAccess: bodyAccess(tabId) } };
  }
  return { source: staticSource('no capture', []), host: pinned };
}

const root = document.getElementById('app');
if (root) {
  void choose(new URLSearchParams(location.search)).then(({ source, host }) => render(<App source={source} host={host} />, root));
}
