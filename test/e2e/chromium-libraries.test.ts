/**
 * Real client libraries (oidc-client-ts, auth0-spa-js with its refresh-token
 * Web Worker, oauth4webapi with DPoP: demo/library-variants.ts) in Chromium
 * with DevTools CLOSED and "Read token responses" granted: the live
 * `oauth-lens/report` of each login has the same flows, steps, check ids and
 * not-evaluated check ids as the HAR audit of the same variant
 * (test/fixtures/har/lib-*.har), except `jwt.signature-invalid`, evaluated
 * live with the issuer's keys the worker fetched, and every token response was read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeVariant, variantByName, VARIANTS, type Demo } from '../../demo/servers.ts';
import { report, tabIdOf, type Lens } from './support/chromium.ts';
import { launchDebuggerLens } from './support/debugger-build.ts';
import { harShape, shapeOf } from './support/report-shape.ts';

const LIBRARY_VARIANTS = VARIANTS.filter((v) => v.library).map((v) => v.name);

let demo: Demo;
let lens: Lens;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ demo, lens, close } = await launchDebuggerLens());
});

afterAll(async () => {
  await close?.();
});

describe('Chromium, DevTools closed, debugger granted: real client libraries', () => {
  it('covers the three libraries', () => {
    expect(LIBRARY_VARIANTS).toEqual(['lib-oidc-client-ts', 'lib-auth0-spa-js', 'lib-oauth4webapi']);
  });

  for (const name of LIBRARY_VARIANTS) {
    it(`${name}: live capture matches the HAR audit`, async () => {
      const variant = variantByName(name)!;
      const har = await harShape(name);
      expect(har.checks).toEqual([...variant.expect].sort());
      // The HAR audit fetches nothing, and these libraries never read the JWKS themselves: live, the worker
      // fetches the issuer's keys (setting on by default) and checks the ID token signature.
      expect(har.notEvaluated).toContain('jwt.signature-invalid');
      const expected = { ...har, notEvaluated: har.notEvaluated.filter((check) => check !== 'jwt.signature-invalid') };
      // A fresh session at the AS, as in the fixture's recording: login and consent again.
      await lens.context.clearCookies();
      const page = await lens.context.newPage();
      await page.goto(demo.urls.variants[name]!);
      const tabId = await tabIdOf(lens, page);
      await completeVariant(lens.context, page, variant);
      await expect.poll(async () => shapeOf(await report(lens, tabId)), { timeout: 15_000 }).toEqual(expected);
      expect(shapeOf(await report(lens, tabId)).flows.map((flow) => flow.tokenResponseBody)).toEqual(expected.flows.map(() => 'captured'));
      for (const other of lens.context.pages()) if (other !== lens.ext) await other.close();
    });
  }
});
