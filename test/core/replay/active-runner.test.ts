/**
 * The worker's runner of a confirmed plan (src/background/active.ts), with the
 * browser glue replaced by a scripted authorization server: what is sent, in
 * which order, what is logged as the inspector's own, and the verdicts.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../../src/platform/active/index.ts', () => ({
  sendTokenRequest: vi.fn(),
  runProbeTab: vi.fn(),
  clearOurSessionRules: vi.fn(),
}));
vi.mock('../../../src/platform/messaging.ts', () => ({ onMessage: vi.fn(), sendMessage: vi.fn(async () => undefined) }));

const { ActiveRunner } = await import('../../../src/background/active.ts');
const { analyze } = await import('../../../src/core/flows/analyze.ts');
const { planActiveCheck } = await import('../../../src/core/replay/plan.ts');
const { fieldValue } = await import('../../../src/core/replay/token-requests.ts');
const { capture } = await import('../../support/flow-builder.ts');
import type { Flow, RequestEvent } from '../../../src/core/model.ts';
import type { ProbeTabResult } from '../../../src/platform/active/probe-tab.ts';
import type { ReplayRequest, ReplayResponse } from '../../../src/core/replay/types.ts';

const flow = analyze(capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1"}
    > Origin: https://app.test
`).flows[0] as Flow;

const json = (status: number, body: unknown): ReplayResponse => ({ status, headers: [{ name: 'content-type', value: 'application/json' }], bodyText: JSON.stringify(body), sentAt: 1_800_000_000_000, originSent: true });

/** A server that enforces PKCE (or not) and single use of codes. */
function server(opts: { enforcePkce: boolean; singleUse: boolean }) {
  const used = new Set<string>();
  const sent: ReplayRequest[] = [];
  const send = async (request: ReplayRequest) => {
    sent.push(request);
    const code = fieldValue(request, 'code') ?? '';
    const verifier = fieldValue(request, 'code_verifier');
    if (opts.singleUse && used.has(code)) return json(400, { error: 'invalid_grant', error_description: 'code already used' });
    if (opts.enforcePkce && code === 'fresh' && verifier !== right) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    used.add(code);
    return json(200, { access_token: `at-${sent.length}`, token_type: 'Bearer' });
  };
  let right = '';
  return { sent, send, setRight: (v: string) => (right = v), used };
}

function probeAnswer(url: string): (target: string, redirectUri: string) => Promise<ProbeTabResult> {
  return async (target) => {
    const state = new URL(target).searchParams.get('state');
    return { tabId: 9, hops: [], outcome: { kind: 'redirected', url: url.replace('STATE', state ?? ''), status: 303 } };
  };
}

describe('ActiveRunner', () => {
  it('code replay against a server that refuses reuse: one request, logged as the inspector’s, pass', async () => {
    const as = server({ enforcePkce: true, singleUse: true });
    as.used.add('c1');
    const recorded: RequestEvent[] = [];
    const runner = new ActiveRunner({ record: (_tab, events) => void recorded.push(...events) }, { sendTokenRequest: as.send, runProbeTab: vi.fn() as never });
    const plan = await planActiveCheck(flow, 'code.reuse-accepted');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'code.reuse-accepted', verdict: 'pass' }] });
    expect(as.sent).toHaveLength(1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ fromInspector: true, method: 'POST', url: 'https://as.test/token', status: 400 });
  });

  const pkceRows = [
    { description: 'PKCE enforced, codes single use: both pass', enforcePkce: true, singleUse: true, pkce: 'pass', reuse: 'pass' },
    { description: 'PKCE ignored, codes reusable: both fire', enforcePkce: false, singleUse: false, pkce: 'finding', reuse: 'finding' },
  ];
  for (const row of pkceRows) {
    it(`fresh code: ${row.description}`, async () => {
      const as = server(row);
      const plan = await planActiveCheck(flow, 'pkce.not-enforced');
      if ('unavailable' in plan) throw new Error(plan.unavailable);
      const probe = plan.steps[0];
      if (probe?.kind !== 'probe') throw new Error('probe first');
      as.setRight(probe.probe.pair.code_verifier);
      const runner = new ActiveRunner({}, { sendTokenRequest: as.send, runProbeTab: probeAnswer('https://app.test/cb?code=fresh&state=STATE') as never });
      const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
      if (!answer.ok) throw new Error(answer.error);
      expect(as.sent.map((r) => [fieldValue(r, 'code'), fieldValue(r, 'code_verifier') === undefined ? 'none' : fieldValue(r, 'code_verifier') === probe.probe.pair.code_verifier ? 'right' : 'wrong'])).toEqual([
        ['fresh', 'none'],
        ['fresh', 'wrong'],
        ['fresh', 'right'],
        ['fresh', 'right'],
      ]);
      expect(Object.fromEntries(answer.results.map((r) => [r.check, r.verdict]))).toEqual({ 'pkce.not-enforced': row.pkce, 'code.reuse-accepted': row.reuse });
      // The probe tab and the four exchanges, each marked as the inspector's own.
      expect(answer.events.map((e) => [e.type, e.fromInspector])).toEqual([
        ['main_frame', true],
        ['fetch', true],
        ['fetch', true],
        ['fetch', true],
        ['fetch', true],
      ]);
    });
  }

  it('a callback with another state is not the inspector’s code: nothing is exchanged', async () => {
    const as = server({ enforcePkce: true, singleUse: true });
    const plan = await planActiveCheck(flow, 'pkce.not-enforced');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const runner = new ActiveRunner({}, { sendTokenRequest: as.send, runProbeTab: probeAnswer('https://app.test/cb?code=fresh&state=someone-else') as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'pkce.not-enforced', verdict: 'inconclusive' }] });
    expect(as.sent).toHaveLength(0);
  });

  it('refuses a plan made for another flow, and a second run of the same check while one runs', async () => {
    const runner = new ActiveRunner({}, { sendTokenRequest: () => new Promise(() => undefined), runProbeTab: vi.fn() as never });
    const plan = await planActiveCheck(flow, 'code.reuse-accepted');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    expect(await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow: { ...flow, id: 'other' }, plan })).toMatchObject({ ok: false });
    void runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan })).toMatchObject({ ok: false, error: expect.stringMatching(/already running/) });
  });
});
