#!/usr/bin/env node
// Page-load benchmark: a local page with ~500 subresources (several origins,
// redirects, scripts, stylesheets, fetch GET/POST, a form POST) loaded in
// Chromium with no extension; with a one-listener extension (a bare
// onBeforeRequest for every request: the floor of any observer that listens
// everywhere); with a bare control extension (the same webRequest listeners
// and options a naive capture registers — requestBody, requestHeaders +
// extraHeaders, responseHeaders — doing nothing but count; built into
// dist/control); with OAuth Lens; and with OAuth Lens granted "Read token
// responses" (the debugger permission). Interleaved run by run in a rotating
// order, cache off. Each browser loads the page in two tabs: one that never
// ran a login, and one that has just run a code + PKCE login (OAuth Lens then
// listens to that tab in full, and with the permission has the debugger
// attached to it). Prints the medians and the ratios of medians, of the load
// time and of the CPU time the whole browser spent on the load (read from
// /proc for every process of its profile: steadier on a busy machine).
//
//   node scripts/bench-pageload.mjs [--runs 11]
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    runs: { type: 'string', default: '11' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const runs = Number(values.runs);

/** A bare extension in dist/NAME: a manifest with these permissions and a worker of this source. */
function buildBare(name, title, permissions, worker) {
  const dir = join(root, 'dist', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = { manifest_version: 3, name: title, version: '0.0.1', background: { service_worker: 'worker.js' }, permissions, host_permissions: ['<all_urls>'] };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'worker.js'), worker);
  return dir;
}

/** The control: the listeners a capture that does not gate by tab would register, counting only. */
function buildControl() {
  return buildBare(
    'control',
    'OAuth Lens bench control',
    ['webRequest', 'storage', 'webNavigation'],
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
}

/** The floor of an observer that listens everywhere: one bare onBeforeRequest for every request. */
function buildOneListener() {
  return buildBare(
    'one-listener',
    'OAuth Lens bench one listener',
    ['webRequest'],
    `let count = 0;\nchrome.webRequest.onBeforeRequest.addListener(() => { count++; }, { urls: ['<all_urls>'] });\n`,
  );
}

/**
 * Clock ticks of CPU (user + system) used so far by every process started with
 * this profile, and by its extension process alone (the worker's JavaScript).
 */
function cpuTicks(profile) {
  let all = 0;
  let extension = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(profile)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      all += ticks;
      if (cmdline.includes('--extension-process')) extension += ticks;
    } catch {
      // the process ended meanwhile
    }
  }
  return { all, extension };
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
  return { context, page, loginPage, profile, close: async () => (await context.close(), rmSync(profile, { recursive: true, force: true })) };
}

/** A code + PKCE login in the tab (not timed): the AS redirects at once, the callback redeems the code. */
async function login(page, start) {
  await page.goto(start);
  await page.click('#login');
  await page.waitForFunction(() => document.getElementById('out')?.textContent === 'signed in', undefined, { timeout: 15_000 });
}

const procReadable = existsSync('/proc/self/stat');
/** Clock ticks per second (USER_HZ): 100 on Linux. */
const TICK_MS = 10;

/** One load of the page: wall time (ms) and, where /proc exists, the browser's CPU time (ms). */
async function loadOnce(browser, page, url) {
  await page.goto('about:blank');
  const cpuBefore = procReadable ? cpuTicks(browser.profile) : undefined;
  const started = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => window.__busyDone);
  const wall = performance.now() - started;
  if (!cpuBefore) return { wall, cpu: Number.NaN, extensionCpu: Number.NaN };
  const cpuAfter = cpuTicks(browser.profile);
  return { wall, cpu: (cpuAfter.all - cpuBefore.all) * TICK_MS, extensionCpu: (cpuAfter.extension - cpuBefore.extension) * TICK_MS };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const lensDir = join(root, build('chrome'));
  const oneDir = buildOneListener();
  const controlDir = buildControl();
  const debuggerDir = grantDebugger(lensDir);
  const { startLocalSites } = await tsImport('../test/e2e/support/local-sites.ts', import.meta.url);
  const sites = await startLocalSites();
  const names = ['none', 'one-listener', 'control', 'oauth-lens', 'lens+debugger'];
  const dirs = [undefined, oneDir, controlDir, lensDir, debuggerDir];
  // Two browsers each: one that never runs a login (the page without OAuth), and one whose
  // login tab just ran one (the same page there, and in its other tab meanwhile).
  const configs = [];
  for (let i = 0; i < names.length; i++) {
    configs.push({ name: names[i], fresh: await launch(dirs[i]), flowing: await launch(dirs[i]), plain: [], login: [], other: [] });
  }
  const round = async (config) => {
    config.plain.push(await loadOnce(config.fresh, config.fresh.page, sites.busyPage));
    await login(config.flowing.loginPage, sites.appStart);
    config.login.push(await loadOnce(config.flowing, config.flowing.loginPage, sites.busyPage));
    config.other.push(await loadOnce(config.flowing, config.flowing.page, sites.busyPage));
  };
  try {
    // Warm-up: workers up, connections and JIT warm.
    for (const config of configs) {
      await loadOnce(config.fresh, config.fresh.page, sites.busyPage);
      await round(config);
      for (const key of ['plain', 'login', 'other']) config[key] = [];
    }
    for (let run = 0; run < runs; run++) {
      // Interleaved, in a rotating order so no configuration always goes first.
      for (let k = 0; k < configs.length; k++) await round(configs[(run + k) % configs.length]);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    const med = (name, tab, key) => median(configs.find((c) => c.name === name)[tab].map((t) => t[key]));
    const ratio = (name, tab, key, base = 'none', baseTab = tab) => med(name, tab, key) / med(base, baseTab, key);
    // Paired: each run's ratio (the two loads a few seconds apart), then their median: slow drifts of the machine cancel.
    const paired = (name, tab, key, base = 'none') => {
      const a = configs.find((c) => c.name === name)[tab];
      const b = configs.find((c) => c.name === base)[tab];
      return median(a.map((t, i) => t[key] / b[i][key]));
    };
    // The worker's attach state (storage.session): which tabs the debugger is attached to now.
    const attached = await configs[4].flowing.context
      .serviceWorkers()[0]
      ?.evaluate(async () => Object.values((await chrome.storage.session.get('attach')).attach?.tabs ?? {}).filter((t) => t.attached).length);
    console.log(`page: ${sites.busyPage} (~550 requests over 4 origins), ${runs} interleaved runs, cache off`);
    const tabs = [
      ['plain', 'a browser that ran no login'],
      ['login', 'the tab that just ran a login'],
      ['other', 'another tab of that browser'],
    ];
    for (const [tab, title] of tabs) {
      console.log(`${title}: median load ms / browser CPU ms / of which the extension process   [load times]`);
      for (const c of configs) {
        const cells = [med(c.name, tab, 'wall'), med(c.name, tab, 'cpu'), med(c.name, tab, 'extensionCpu')].map((v) => v.toFixed(0).padStart(5));
        console.log(`  ${c.name.padEnd(13)} ${cells.join(' / ')}   [${c[tab].map((t) => t.wall.toFixed(0)).join(', ')}]`);
      }
    }
    const rows = [
      ['no extension', 'plain', 'none'],
      ['one listener (bare onBeforeRequest, every request)', 'plain', 'one-listener'],
      ['bare control (a full capture\'s listeners, doing nothing)', 'plain', 'control'],
      ['OAuth Lens, page without OAuth', 'plain', 'oauth-lens'],
      ['OAuth Lens + debugger permission, page without OAuth', 'plain', 'lens+debugger'],
      ['bare control, in the tab that ran a login', 'login', 'control'],
      ['OAuth Lens, in the tab that ran a login', 'login', 'oauth-lens'],
      ['OAuth Lens + debugger attached, in the tab that ran a login', 'login', 'lens+debugger'],
      ['OAuth Lens, another tab while a flow is under way', 'other', 'oauth-lens'],
    ];
    console.log('ratios to no extension (the same tab): load time (ratio of medians, paired median), browser CPU time (same):');
    for (const [label, tab, name] of rows) {
      const cells = [ratio(name, tab, 'wall'), paired(name, tab, 'wall'), ratio(name, tab, 'cpu'), paired(name, tab, 'cpu')].map((v) => v.toFixed(3));
      console.log(`  ${label.padEnd(62)} ${cells[0]} ${cells[1]}   ${cells[2]} ${cells[3]}`);
    }
    console.log(`  lens+debugger: tabs with the debugger attached at the end: ${attached} (expected 1: the login tab)`);
    const bench = (name, value, goal, detail) => console.log(`##bench ${JSON.stringify({ name, value, goal, detail })}`);
    bench('page without OAuth: OAuth Lens / no extension', ratio('oauth-lens', 'plain', 'wall'), 1.15, `paired ${paired('oauth-lens', 'plain', 'wall').toFixed(2)}, CPU ${ratio('oauth-lens', 'plain', 'cpu').toFixed(2)}; one listener ${ratio('one-listener', 'plain', 'wall').toFixed(2)}, control ${ratio('control', 'plain', 'wall').toFixed(2)}`);
    bench('tab with a login: OAuth Lens / bare control', ratio('oauth-lens', 'login', 'wall', 'control'), 1, `CPU ${ratio('oauth-lens', 'login', 'cpu', 'control').toFixed(2)}`);
    // The debugger's own price (opt-in, only in tabs with a flow): shown, not held to the control.
    console.log(`  tab with a login: OAuth Lens + debugger attached / bare control ${ratio('lens+debugger', 'login', 'wall', 'control').toFixed(3)} (CPU ${ratio('lens+debugger', 'login', 'cpu', 'control').toFixed(3)})`);
  } finally {
    for (const config of configs) {
      await config.fresh.close();
      await config.flowing.close();
    }
    await sites.close();
  }
}

main().catch((error) => {
  console.error(String(error?.stack ?? error));
  process.exit(1);
});
