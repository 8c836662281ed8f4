/**
 * oauth-lens/playwright as a user's own test would use it: plain Chromium
 * driven by Playwright (no extension), the demo's real login, the helper
 * recording the context. The clean login passes `expectNoOAuthFindings`;
 * unsafe variants fail it with their findings listed, and the recorded report
 * has exactly the check ids test/fixtures/scenarios.json expects.
 *
 * Chromium only: Playwright drives only its own Firefox build, and this
 * machine has Debian's Firefox ESR (the helper uses no Chromium-only API).
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeVariant, startDemo, variantByName, type Demo } from '../../demo/servers.ts';
import { expectNoOAuthFindings, oauthMatchers, oauthReport, OAuthFindingsError, recordOAuth } from '../../src/lib/playwright/index.ts';
import { scenarios } from './support/scenarios.ts';

const expected = (name: string): string[] => [...scenarios.find((s) => s.name === name)!.expect].sort();

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--host-resolver-rules=${demo.hostResolverRules}`],
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** A fresh context, recorded from the start, that has completed the variant's login. */
async function logIn(name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await recordOAuth(context);
  const page = await context.newPage();
  await page.goto(demo.urls.variants[name]!);
  await completeVariant(context, page, variantByName(name)!);
  return context;
}

const checksOf = (findings: { check: string }[]): string[] => [...new Set(findings.map((f) => f.check))].sort();

describe('oauth-lens/playwright against the demo login (Chromium)', () => {
  it('clean: passes at every severity, and the report holds the code flow', async () => {
    const context = await logIn('clean');
    const report = await expectNoOAuthFindings(context, { failOn: 'info' });
    expect(report.flows.map((flow) => flow.kind)).toEqual(['authorization_code']);
    expect(report.flows[0]!.observability.tokenResponseBody).toBe('captured');
    const matcher = await oauthMatchers.toHaveNoOAuthFindings(context, { failOn: 'info' });
    expect(matcher.pass).toBe(true);
    await context.close();
  });

  it('form-post: passes too; the callback is the cross-origin POST of the auto-submit page', async () => {
    const context = await logIn('form-post');
    const report = await expectNoOAuthFindings(context, { failOn: 'info' });
    const steps = report.flows.flatMap((flow) => flow.steps);
    expect(steps.filter((step) => step.kind === 'callback').map((step) => step.method)).toEqual(['POST']);
    await context.close();
  });

  for (const name of ['no-pkce', 'referer-leak', 'token-in-query']) {
    it(`${name}: fails with its findings listed (${expected(name).join(', ')})`, async () => {
      const context = await logIn(name);
      const error = await expectNoOAuthFindings(context, { failOn: 'high' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(OAuthFindingsError);
      const failure = error as OAuthFindingsError;
      expect(checksOf(failure.report.findings)).toEqual(expected(name));
      for (const check of expected(name)) expect(failure.message).toContain(`] ${check} (`);
      expect(failure.message).toMatch(/^OAuth Lens: \d+ findings? at or above high in the recorded login:\n {2}\[(high|critical)\] /);
      // The message is masked like every report: no authorization code in clear.
      const har = JSON.stringify(await (await recordOAuth(context)).har());
      const codes = [...har.matchAll(/[?&]code=([\w-]{20,})/g)].map((match) => match[1]!);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(failure.message).not.toContain(code);
      const matcher = await oauthMatchers.toHaveNoOAuthFindings(context);
      expect(matcher.pass).toBe(false);
      expect(matcher.message()).toBe(failure.message);
      // Accepting the ids the test tracks elsewhere lets it pass.
      await expect(oauthReport(context)).resolves.toMatchObject({ version: 1 });
      await expect(expectNoOAuthFindings(context, { ignore: expected(name) as never[] })).resolves.toMatchObject({ version: 1 });
      await context.close();
    });
  }

  it('says how to start when the context was never recorded', async () => {
    const context = await browser.newContext();
    await expect(expectNoOAuthFindings(context)).rejects.toThrow(/call `await recordOAuth\(context\)` before the login/);
    await context.close();
  });
});
