/**
 * The captures of the worker and instant-redirect variants hold what their
 * names promise: fixtures.test.ts checks that they report nothing, this checks
 * that they are not clean by accident (a token request missing from the HAR
 * would also report nothing).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { ingestHar } from '../../src/core/ingest/from-har.ts';
import type { Flow } from '../../src/core/model.ts';

interface HarEntryShape {
  pageref?: string;
  request: { method: string; url: string; postData?: { text?: string } };
}

function har(name: string): { log: { entries: HarEntryShape[] } } {
  return JSON.parse(readFileSync(new URL(`../fixtures/har/${name}.har`, import.meta.url), 'utf8'));
}

async function flowsOf(name: string): Promise<Flow[]> {
  return (await audit(ingestHar(har(name)).events)).analysis.flows;
}

/** Each leg as `kind[:grant][:body]`, the body state only for token requests. */
function legs(flow: Flow | undefined): string[] {
  return (flow?.legs ?? [])
    .filter((leg) => leg.kind !== 'interaction')
    .map((leg) => (leg.kind === 'token-request' ? `${leg.kind}:${leg.grantType}:${leg.event.responseBodyState}` : leg.kind));
}

describe('worker and instant-redirect captures', () => {
  it('worker-token: the exchange and the refresh, both with their response bodies, in one flow', async () => {
    const flows = await flowsOf('worker-token');
    expect(flows).toHaveLength(1);
    expect(legs(flows[0])).toEqual([
      'authorization-request',
      'callback',
      'token-request:authorization_code:captured',
      'token-request:refresh_token:captured',
    ]);
    expect(har('worker-token').log.entries.some((entry) => new URL(entry.request.url).pathname === '/token-worker.js')).toBe(true);
  });

  it("service-worker-token: the service worker's exchange is in the HAR (no page of its own) and joins the flow", async () => {
    const tokenPosts = har('service-worker-token').log.entries.filter((entry) => entry.request.postData?.text?.includes('grant_type=authorization_code'));
    expect(tokenPosts).toHaveLength(1);
    // Playwright records a service worker's requests without a pageref.
    expect(tokenPosts[0]?.pageref).toBeUndefined();
    const flows = await flowsOf('service-worker-token');
    expect(flows.map(legs)).toEqual([['authorization-request', 'callback', 'token-request:authorization_code:captured']]);
  });

  it('instant-redirect: the second authorization request (prompt=none) is answered by a redirect straight to the callback', async () => {
    const flows = await flowsOf('instant-redirect');
    expect(flows.map(legs)).toEqual([
      ['authorization-request', 'callback', 'token-request:authorization_code:captured'],
      ['authorization-request', 'callback', 'token-request:authorization_code:captured'],
    ]);
    const second = flows[1]!;
    const [authorize, callback] = second.legs;
    expect(authorize?.params.prompt).toBe('none');
    // No login or consent page in between: the callback is the authorization request's own next hop.
    expect(callback?.event.requestId).toBe(authorize?.event.requestId);
    expect(callback?.event.hop).toBe(1);
  });
});
