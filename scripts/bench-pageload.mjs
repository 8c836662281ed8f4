#!/usr/bin/env node
// Page-load benchmark: a local page with ~500 subresources (several origins,
// redirects, scripts, stylesheets, fetch GET/POST, a form POST) loaded in
// Chromium with no extension, with a bare control extension (the same
// webRequest listeners and options a naive capture registers — requestBody,
// requestHeaders + extraHeaders, responseHeaders — doing nothing but count;
// built into dist/control), with OAuth Lens, and with OAuth Lens granted
// "Read token responses" (the debugger permission); interleaved run by run,
// cache off. Each browser loads the page in two tabs: one that never ran a
// login (the debugger is never attached there), and one that has just run a
// code + PKCE login (OAuth Lens with the permission then has the debugger
// attached to it). Prints the medians and the ratios of medians.
//
//   node scripts/bench-pageload.mjs [--runs 9] [--resources 500]
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const runs = Number(values.runs);

/** The control: the listeners a capture that does not gate by tab would register, counting only. */
function buildControl() {
  const dir = join(root, 'dist/control');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        manifest_version: 3,
        name: 'OAuth Lens bench control',
        version: '0.0.1',
        background: { service_worker: 'worker.js' },
        permissions: ['webRequest', 'storage', 'webNavigation'],
        host_permissions: ['<all_urls>'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'worker.js'),
    `// Counts webRequest events; keeps nothing.
let count = 0;
const all = { urls: ['<all_urls>'] };
const tick = () => { count++; };
chrome.webRequest.onBeforeRequest.addListener(tick, all, ['requestBody']);
chrome.webRequest.onSendHeaders.addListener(tick, all, ['requestHeaders', 'extraHeaders']);
chrome.webRequest.onHeadersReceived.addListener(tick, all, ['responseHeaders']);
chrome.webRequest.onBeforeRedirect.addListener(tick, all, ['responseHeaders']);
chrome.webRequest.onCompleted.addListener(tick, all, ['responseHeaders']);
chrome.webRequest.onErrorOccurred.addListener(tick, all);
self.count = () => count;
`,
  );
  return dir;
}

/** The Chrome build as a user who granted "Read token responses" has it. */
function grantDebugger(lensDir) {
  const dir = join(root, 'dist/bench-debugger');
  rmSync(dir, { recursive: true, force: true });
  cpSync(lensDir, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.permissions.push('debugger');
  manifest.optional_permissions = (manifest.optional_permissions ?? []).filter((p) => p !== 'debugger');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

async function launch(extension) {
  const profile = mkdtempSync(join(tmpdir(), 'oauth-lens-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      ...(extension ? [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-certificate-errors',
      '--host-resolver-rules=MAP *.example.test 127.0.0.1',
    ],
  });
  if (extension) {
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  }
  const newTab = async () => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    return page;
  };
  const page = await newTab();
  const loginPage = await newTab();
  return { context, page, loginPage, close: async () => (await context.close(), rmSync(profile, { recursive: true, force: true })) };
}

/** A code + PKCE login in the tab (not timed): the AS redirects at once, the callback redeems the code. */
async function login(page, start) {
  await page.goto(start);
  await page.click('#login');
  await page.waitForFunction(() => document.getElementById('out')?.textContent === 'signed in', undefined, { timeout: 15_000 });
}

async function loadOnce(page, url) {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => window.__busyDone);
  return performance.now() - started;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const lensDir = join(root, build('chrome'));
  const controlDir = buildControl();
  const debuggerDir = grantDebugger(lensDir);
  const { startLocalSites } = await tsImport('../test/e2e/support/local-sites.ts', import.meta.url);
  const sites = await startLocalSites();
  const configs = [
    { name: 'none', browser: await launch(undefined), times: [] },
    { name: 'control', browser: await launch(controlDir), times: [] },
    { name: 'oauth-lens', browser: await launch(lensDir), times: [] },
    { name: 'lens+debugger', browser: await launch(debuggerDir), times: [] },
  ];
  for (const config of configs) config.loginTimes = [];
  try {
    // Warm-up: each browser loads the page twice (workers up, connections and JIT warm).
    for (const config of configs) {
      for (let i = 0; i < 2; i++) await loadOnce(config.browser.page, sites.busyPage);
      await login(config.browser.loginPage, sites.appStart);
      await loadOnce(config.browser.loginPage, sites.busyPage);
    }
    for (let run = 0; run < runs; run++) {
      // Interleaved, in a rotating order so no configuration always goes first.
      for (let k = 0; k < configs.length; k++) {
        const config = configs[(run + k) % configs.length];
        config.times.push(await loadOnce(config.browser.page, sites.busyPage));
        // The same page in the tab that just ran a login (debugger attached for lens+debugger).
        await login(config.browser.loginPage, sites.appStart);
        config.loginTimes.push(await loadOnce(config.browser.loginPage, sites.busyPage));
      }
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    const m = Object.fromEntries(configs.map((c) => [c.name, median(c.times)]));
    const l = Object.fromEntries(configs.map((c) => [c.name, median(c.loginTimes)]));
    // The worker's attach state (storage.session): which tabs the debugger is attached to now.
    const attached = await configs[3].browser.context
      .serviceWorkers()[0]
      ?.evaluate(async () => Object.values((await chrome.storage.session.get('attach')).attach?.tabs ?? {}).filter((t) => t.attached).length);
    console.log(`page: ${sites.busyPage} (~500 subresources), ${runs} interleaved runs, cache off`);
    console.log('tab without OAuth:');
    for (const c of configs) console.log(`  ${c.name.padEnd(13)} median ${m[c.name].toFixed(0)} ms   [${c.times.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log('tab that just ran a login (lens+debugger: debugger attached):');
    for (const c of configs) console.log(`  ${c.name.padEnd(13)} median ${l[c.name].toFixed(0)} ms   [${c.loginTimes.map((t) => t.toFixed(0)).join(', ')}]`);
    console.log(`  control       / none    ${(m.control / m.none).toFixed(3)}x`);
    console.log(`  oauth-lens    / none    ${(m['oauth-lens'] / m.none).toFixed(3)}x   (page without OAuth)`);
    console.log(`  oauth-lens    / control ${(m['oauth-lens'] / m.control).toFixed(3)}x   (goal: <= 1.05x, ideally < 1)`);
    console.log(`  lens+debugger / none    ${(m['lens+debugger'] / m.none).toFixed(3)}x   (page without OAuth, permission granted: must not move)`);
    console.log(`  lens+debugger / none    ${(l['lens+debugger'] / l.none).toFixed(3)}x   (page in a tab with a login flow: debugger attached)`);
    console.log(`  oauth-lens    / none    ${(l['oauth-lens'] / l.none).toFixed(3)}x   (page in a tab with a login flow, no permission)`);
    console.log(`  lens+debugger: tabs with the debugger attached at the end: ${attached} (expected 1: the login tab)`);
  } finally {
    for (const config of configs) await config.browser.close();
    await sites.close();
  }
}

main().catch((error) => {
  console.error(String(error?.stack ?? error));
  process.exit(1);
});
