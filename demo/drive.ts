/**
 * Drives a demo variant to its end in Playwright: clicks "Log in", fills the
 * login form of either authorization server (`input[name=login]`,
 * `input[name=password]`), accepts oidc-provider's consent, presses Cancel for
 * the `cancel` variants, follows popups, and returns when the app page shows
 * `#done`. Throws with the page's message on `#failed` or an AS error page.
 *
 *   const page = await context.newPage();
 *   await page.goto(demo.urls.variants.clean);
 *   await completeVariant(context, page, variantByName('clean')!);
 */
import { request } from 'node:https';
import type { BrowserContext, Page } from 'playwright-core';
import type { Variant } from './variants.ts';

export const DEMO_USER = { login: 'demo-user', password: 'demo-password' } as const;

/** Runs in the page: what the driver should do next. */
const STATE = `(() => {
  const text = (id) => (document.getElementById(id) || {}).textContent;
  if (document.getElementById('done')) return 'done:' + text('done');
  if (document.getElementById('failed')) return 'failed:' + text('failed');
  if (document.getElementById('error')) return 'error:' + text('error');
  if (window.__lensStep) return 'busy';
  if (document.querySelector('input[name=login]')) return 'login';
  if (document.querySelector('input[name=prompt][value=consent]')) return 'consent';
  if (document.querySelector('button[name=logout][value=yes]')) return 'logout';
  if (document.getElementById('login') && !window.__lensStarted) return 'start';
  return 'none';
})()`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stateOf(page: Page): Promise<string> {
  try {
    return String(await page.evaluate(STATE));
  } catch {
    return 'navigating';
  }
}

/** Marks the document so the driver acts once per page load. */
async function step(page: Page, action: () => Promise<void>): Promise<void> {
  try {
    await page.evaluate('window.__lensStep = true');
    await action();
  } catch (err) {
    if (!page.isClosed() && !/navigat|closed|destroyed|detached/i.test(String(err))) throw err;
  }
}

export async function completeVariant(
  context: BrowserContext,
  page: Page,
  variant: Pick<Variant, 'name' | 'cancel'>,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let started = false;
  while (Date.now() < deadline) {
    for (const p of context.pages()) {
      if (p.isClosed()) continue;
      const state = await stateOf(p);
      if (p === page && state.startsWith('done:')) return state.slice(5);
      if (state.startsWith('failed:') || state.startsWith('error:')) {
        throw new Error(`${variant.name}: ${state} at ${p.url()}`);
      }
      if (state === 'start' && p === page && !started) {
        started = true;
        await step(p, () => p.click('#login'));
      } else if (state === 'login') {
        await step(p, async () => {
          if (variant.cancel) {
            await p.click('button[value=cancel], a[href*="/abort"]');
            return;
          }
          await p.fill('input[name=login]', DEMO_USER.login);
          await p.fill('input[name=password]', DEMO_USER.password);
          await p.click('button[type=submit]:not([value=cancel])');
        });
      } else if (state === 'consent') {
        await step(p, () => p.click('button[type=submit]'));
      } else if (state === 'logout') {
        await step(p, () => p.click('button[name=logout][value=yes]'));
      }
    }
    await sleep(150);
  }
  throw new Error(`${variant.name}: not done after ${timeoutMs} ms (at ${page.url()})`);
}

/**
 * For `mode: 'refresh-only'` variants: obtains a refresh token outside the
 * browser (a password grant from node, so it never appears in the capture) and
 * hands it to the page as `window.__lensRefreshToken`.
 */
export async function seedRefreshToken(
  context: BrowserContext,
  demo: { httpsPort: number; urls: { flawed: Record<string, string> } },
  variant: Pick<Variant, 'clientId' | 'mode'>,
): Promise<void> {
  if (variant.mode !== 'refresh-only') return;
  const issuer = demo.urls.flawed.keycloak;
  if (!issuer) throw new Error('no keycloak-shaped issuer in the demo');
  const url = new URL(`${issuer}/protocol/openid-connect/token`);
  const body = new URLSearchParams({ grant_type: 'password', username: DEMO_USER.login, password: DEMO_USER.password, client_id: variant.clientId }).toString();
  const text = await new Promise<string>((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: demo.httpsPort,
        servername: url.hostname,
        rejectUnauthorized: false,
        method: 'POST',
        path: url.pathname,
        headers: { Host: url.host, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve(data));
      },
    );
    r.on('error', reject);
    r.end(body);
  });
  const token = (JSON.parse(text) as { refresh_token?: string }).refresh_token;
  if (!token) throw new Error(`no refresh token from the password grant: ${text}`);
  await context.addInitScript((value: string) => {
    (window as unknown as { __lensRefreshToken: string }).__lensRefreshToken = value;
  }, token);
}
