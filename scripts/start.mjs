#!/usr/bin/env node
// npm start: build, start the demo (oidc-provider + flawed AS + client app on
// HTTPS loopback hostnames *.example.test), open Chromium with OAuth Lens
// loaded on the demo app. Ctrl-C stops everything.
//
//   npm start                                   a window (needs a display)
//   npm start -- --headless --screenshot out.png
//                                               no window: runs the clean login and saves a
//                                               screenshot of the panel for the demo tab, then exits
//   --port 8443 --http-port 8080                demo ports (0: any free port)
//   --chromium /path/to/chromium                (default /usr/bin/chromium or $CHROMIUM_PATH)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    port: { type: 'string', default: '8443' },
    'http-port': { type: 'string', default: '8080' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});

const say = (line) => process.stdout.write(`${line}\n`);

async function startDemoOn(port, httpPort) {
  const { startDemo } = await tsImport('../demo/servers.ts', import.meta.url);
  try {
    return await startDemo({ port, httpPort });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    say(`port ${port} or ${httpPort} is taken: using free ports instead`);
    return startDemo({ port: 0, httpPort: 0 });
  }
}

async function main() {
  let headless = values.headless || Boolean(values.screenshot);
  if (!headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    say('No display found (DISPLAY is not set): starting Chromium headless.');
    say('Run `npm start -- --headless --screenshot out.png` for a picture of the panel, or start on a machine with a display.');
    headless = true;
  }
  if (!existsSync(values.chromium)) throw new Error(`Chromium not found at ${values.chromium} (set --chromium or CHROMIUM_PATH)`);

  say('Building the extension…');
  const dist = resolve(root, build('chrome'));

  const demo = await startDemoOn(Number(values.port), Number(values['http-port']));
  say(`Demo app: ${demo.urls.app}/   (oidc-provider: ${demo.urls.op})`);

  const profile = mkdtempSync(join(tmpdir(), 'oauth-lens-start-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    headless,
    ignoreHTTPSErrors: true,
    viewport: headless ? { width: 1280, height: 900 } : null,
    args: [
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      '--no-first-run',
      '--disable-sync',
      '--disable-component-update',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${demo.hostResolverRules}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ...(headless ? ['--disable-gpu'] : []),
    ],
  });
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    await context.close().catch(() => {});
    await demo.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${demo.urls.app}/`);

  if (!values.screenshot) {
    say('Chromium is open on the demo app: pick a variant, log in with any name and password,');
    say('then open DevTools → "OAuth Lens" or click the toolbar icon. Ctrl-C stops everything.');
    context.on('close', () => void stop());
    return;
  }

  // Headless screenshot: the clean login, then the panel page for that tab.
  const { completeVariant, variantByName } = await tsImport('../demo/servers.ts', import.meta.url);
  const ext = await context.newPage();
  await ext.goto(`chrome-extension://${extensionId}/src/popup/popup.html`);
  // The worker's listeners are live a moment after it starts: wait until it logs a page.
  const tabOf = async (p) => ext.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, p.url());
  const eventCount = (tabId) =>
    ext.evaluate(
      (tab) =>
        new Promise((done) => {
          const port = chrome.runtime.connect({ name: 'oauth-lens/panel' });
          port.onMessage.addListener((m) => (port.disconnect(), done(m.events.length)));
          port.postMessage({ type: 'subscribe', tabId: tab });
        }),
      tabId,
    );
  const deadline = Date.now() + 20_000;
  for (;;) {
    await page.goto(`${demo.urls.app}/?state=warm-up`);
    if ((await eventCount(await tabOf(page))) > 0) break;
    if (Date.now() > deadline) throw new Error('the extension did not see the demo page');
    await new Promise((r) => setTimeout(r, 300));
  }
  await page.goto(demo.urls.variants.clean);
  const tabId = await tabOf(page);
  await completeVariant(context, page, variantByName('clean'));
  say(`Clean login done in tab ${tabId}.`);
  const panelPath = join(dist, 'src/panel/panel.html');
  const target = existsSync(panelPath)
    ? `chrome-extension://${extensionId}/src/panel/panel.html?tabId=${tabId}`
    : `chrome-extension://${extensionId}/src/popup/popup.html`;
  if (!existsSync(panelPath)) say('The panel is not built yet (src/panel/panel.html missing): the screenshot shows the popup.');
  await ext.goto(target);
  await ext.waitForSelector('[data-flow-id], [data-flow]', { timeout: 15_000 }).catch(() => say('(no flow row appeared in 15 s)'));
  await ext.screenshot({ path: resolve(values.screenshot), fullPage: true });
  say(`Saved ${resolve(values.screenshot)}`);
  await stop(0);
}

main().catch((error) => {
  console.error(String(error?.stack ?? error));
  process.exit(1);
});
