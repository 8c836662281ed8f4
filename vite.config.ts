/**
 * One source tree, two builds: `OAUTH_LENS_TARGET=chrome|firefox vite build`
 * (scripts/build.mjs runs both). manifest.json holds what both share plus the
 * Gecko settings; the per-browser differences are applied here and nowhere else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

type Target = 'chrome' | 'firefox';
const target: Target = process.env.OAUTH_LENS_TARGET === 'firefox' ? 'firefox' : 'chrome';
const outDir = process.env.OAUTH_LENS_OUT_DIR ?? `dist/${target}`;
const debug = process.env.OAUTH_LENS_DEBUG === '1';
/** Test-only build: the worker exposes its report to automation (see src/background/e2e-hooks.ts). */
const e2e = process.env.OAUTH_LENS_E2E === '1';

/** Firefox reads token responses with webRequest.filterResponseData (blocking listener). */
const FIREFOX_PERMISSIONS = ['webRequestBlocking', 'webRequestFilterResponse'];
/**
 * The active checks (re-runs, on the user's click) set the app's Origin on the
 * inspector's own token request with a declarativeNetRequest session rule
 * (Firefox's blocking webRequest does not see an extension's own requests).
 * Chrome asks for it when first used. Firefox accepts DNR permissions only in
 * `permissions` (https://bugzilla.mozilla.org/show_bug.cgi?id=1827855, open on
 * 2026-11-23; TODO [2027-06-01]: recheck) and grants this one without a prompt.
 */
const DNR_PERMISSIONS = ['declarativeNetRequestWithHostAccess'];
/**
 * Chrome only: `debugger` (optional, asked for with one click from the popup or
 * the panel) reads token responses with DevTools closed. Firefox has no
 * chrome.debugger (it reads bodies with filterResponseData), so its manifest
 * does not offer it.
 */
const CHROME_ONLY_OPTIONAL = ['debugger'];

function manifestFor(browser: Target): ManifestV3Export {
  const manifest = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8'));
  const { service_worker: serviceWorker, scripts, type } = manifest.background;
  if (browser === 'firefox') {
    manifest.background = { scripts, type };
    manifest.permissions = [...manifest.permissions, ...FIREFOX_PERMISSIONS, ...DNR_PERMISSIONS];
    manifest.optional_permissions = (manifest.optional_permissions ?? []).filter(
      (p: string) => !DNR_PERMISSIONS.includes(p) && !CHROME_ONLY_OPTIONAL.includes(p),
    );
    if (manifest.optional_permissions.length === 0) delete manifest.optional_permissions;
  } else {
    // Chrome warns about keys it does not know.
    manifest.background = { service_worker: serviceWorker, type };
    delete manifest.browser_specific_settings;
  }
  return manifest;
}

// The panel is created at run time by the devtools page and opened as a tab,
// so it is not in the manifest. Built when it exists; in a git checkout, only
// once it is committed (a half-written panel must not break the extension's
// build). OAUTH_LENS_PANEL=1/0 forces either way.
const panel = 'src/panel/panel.html';
function includePanel(): boolean {
  if (process.env.OAUTH_LENS_PANEL) return process.env.OAUTH_LENS_PANEL === '1';
  if (!existsSync(panel)) return false;
  const tracked = spawnSync('git', ['ls-files', '--error-unmatch', panel], { stdio: 'ignore' });
  return tracked.error !== undefined || tracked.status === 0;
}
const input: Record<string, string> = {
  ...(includePanel() ? { panel } : {}),
  ...(e2e ? { e2eReport: 'src/popup/e2e-report.html' } : {}),
};

export default defineConfig({
  plugins: [preact(), crx({ manifest: manifestFor(target), browser: target })],
  define: {
    __OAUTH_LENS_DEBUG__: JSON.stringify(debug),
    __OAUTH_LENS_E2E__: JSON.stringify(e2e),
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    rollupOptions: { input },
  },
  logLevel: 'warn',
});
