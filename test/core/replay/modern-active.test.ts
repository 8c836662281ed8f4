/**
 * Active checks on modern flows, with a scripted authorization server in
 * place of the browser glue: a PAR flow pushes the inspector's own request
 * (public client) or falls back to a plain one (confidential client), a
 * DPoP-bound flow sends proofs of the inspector's own keys, and
 * dpop.refresh-unbound replays the bound refresh token without the key.
 */
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
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
const { probeBase, PUSHED_REQUEST_URI_PLACEHOLDER } = await import('../../../src/core/replay/authorization-probes.ts');
const { capture } = await import('../../support/flow-builder.ts');
import type { Flow } from '../../../src/core/model.ts';
import type { ProbeTabResult } from '../../../src/platform/active/probe-tab.ts';
import type { ReplayRequest, ReplayResponse } from '../../../src/core/replay/types.ts';

const REQUEST_URI = 'urn:ietf:params:oauth:request_uri:app-1';

function parFlow(clientAuth = ''): Flow {
  return analyze(capture`
    [fetch] POST https://as.test/par response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&scope=openid&state=s1&nonce=n1&code_challenge=ch&code_challenge_method=S256${clientAuth} -> 201 {"request_uri":"${REQUEST_URI}","expires_in":60}
    GET https://as.test/authorize?client_id=app&request_uri=${encodeURIComponent(REQUEST_URI)} -> 302 https://app.test/cb?code=c1&state=s1
    GET https://app.test/cb?code=c1&state=s1 -> 200
    [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1","token_type":"Bearer"}
  `).flows[0] as Flow;
}

const dpopFlow = analyze(capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1","token_type":"DPoP","refresh_token":"rt1"}
    > DPoP: eyJhbGciOiJFUzI1NiJ9.e30.sig-of-the-app
  [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=rt1&client_id=app -> 200 {"access_token":"at2","token_type":"DPoP","refresh_token":"rt2"}
    > DPoP: eyJhbGciOiJFUzI1NiJ9.e30.sig-of-the-app-2
`).flows[0] as Flow;

const bearerFlow = analyze(capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1","token_type":"Bearer","refresh_token":"rt1"}
`).flows[0] as Flow;

const json = (status: number, body: unknown): ReplayResponse => ({ status, headers: [{ name: 'content-type', value: 'application/json' }], bodyText: JSON.stringify(body), sentAt: 1_800_000_000_000, originSent: true });

/** The thumbprint of a request's DPoP proof key, after checking the proof the way an AS would (RFC 9449 §4.3). */
async function proofKey(request: ReplayRequest): Promise<string | undefined> {
  const proof = request.headers.find((h) => h.name.toLowerCase() === 'dpop')?.value;
  if (!proof) return undefined;
  const { jwk } = decodeProtectedHeader(proof) as { jwk: JWK };
  const { payload } = await jwtVerify(proof, await importJWK(jwk, 'ES256'), { typ: 'dpop+jwt', maxTokenAge: '1m' });
  expect(payload).toMatchObject({ htm: 'POST', htu: request.url });
  expect(typeof payload.jti).toBe('string');
  return calculateJwkThumbprint(jwk);
}

describe('PAR flows', () => {
  it('a public client’s push: the probe pushes the inspector’s own parameters, then opens request_uri', async () => {
    const flow = parFlow();
    const base = probeBase(flow);
    if ('unavailable' in base) throw new Error(base.unavailable);
    expect(base.push?.url).toBe('https://as.test/par');
    const plan = await planActiveCheck(flow, 'pkce.not-enforced');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const probe = plan.steps[0];
    if (probe?.kind !== 'probe' || !probe.probe.push) throw new Error('no push planned');
    expect(new URL(probe.probe.url).searchParams.get('request_uri')).toBe(PUSHED_REQUEST_URI_PLACEHOLDER);
    expect(fieldValue(probe.probe.push, 'state')).toBe(probe.probe.state);
    expect(fieldValue(probe.probe.push, 'code_challenge')).toBe(probe.probe.pair.code_challenge);
    expect(fieldValue(probe.probe.push, 'state')).not.toBe('s1');
    expect(plan.warnings.join(' ')).toMatch(/pushes its own request/);

    const sent: ReplayRequest[] = [];
    const opened: string[] = [];
    let redeemed = false;
    const send = async (request: ReplayRequest) => {
      sent.push(request);
      if (request.url.endsWith('/par')) return json(201, { request_uri: 'urn:ietf:params:oauth:request_uri:lens-1', expires_in: 60 });
      const ok = fieldValue(request, 'code_verifier') === probe.probe.pair.code_verifier && fieldValue(request, 'code') === 'fresh' && !redeemed;
      if (!ok) return json(400, { error: 'invalid_grant' });
      redeemed = true;
      return json(200, { access_token: 'x', token_type: 'Bearer' });
    };
    const tab = async (target: string): Promise<ProbeTabResult> => {
      opened.push(target);
      return { tabId: 9, hops: [], outcome: { kind: 'redirected', url: `https://app.test/cb?code=fresh&state=${probe.probe.state}`, status: 303 } };
    };
    const runner = new ActiveRunner({}, { sendTokenRequest: send, runProbeTab: tab as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'pkce.not-enforced', verdict: 'pass' }, { check: 'code.reuse-accepted', verdict: 'pass' }] });
    expect(sent[0]?.url).toBe('https://as.test/par');
    expect(opened).toEqual(['https://as.test/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Alens-1']);
  });

  it('a push the AS refuses (changed redirect_uri) is that probe’s error answer: redirect.not-exact passes without opening a tab', async () => {
    const flow = parFlow();
    const plan = await planActiveCheck(flow, 'redirect.not-exact');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const tab = vi.fn();
    const runner = new ActiveRunner({}, { sendTokenRequest: async () => json(400, { error: 'invalid_redirect_uri' }), runProbeTab: tab as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'redirect.not-exact', verdict: 'pass' }] });
    expect(tab).not.toHaveBeenCalled();
  });

  it('a confidential client’s push: a plain authorization request with the pushed parameters, and the dialog says why', async () => {
    const flow = parFlow('&client_secret=s3cret');
    const base = probeBase(flow);
    if ('unavailable' in base) throw new Error(base.unavailable);
    expect(base.push).toBeUndefined();
    expect(base.note).toMatch(/authenticates the client \(client_secret_post\).*plain authorization request.*requires PAR/);
    expect(base.url.searchParams.get('client_secret')).toBeNull();
    expect(base.url.searchParams.get('scope')).toBe('openid');
    expect(base.url.searchParams.get('request_uri')).toBeNull();
  });
});

describe('PAR flows whose pushes authenticate the client', () => {
  it('redirect.not-exact: error pages for plain requests are no pass (an AS that requires PAR refuses them all)', async () => {
    const flow = parFlow('&client_secret=s3cret');
    const plan = await planActiveCheck(flow, 'redirect.not-exact');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const tab = async (target: string): Promise<ProbeTabResult> => ({ tabId: 9, hops: [], outcome: { kind: 'error-page', status: 400, url: target } });
    const runner = new ActiveRunner({}, { sendTokenRequest: vi.fn() as never, runProbeTab: tab as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'redirect.not-exact', verdict: 'inconclusive', summary: expect.stringMatching(/requires PAR/) }] });
  });

  it('pkce.not-enforced: a refusal asking for PAR says the AS requires it', async () => {
    const flow = parFlow('&client_secret=s3cret');
    const plan = await planActiveCheck(flow, 'pkce.not-enforced');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const probe = plan.steps[0];
    if (probe?.kind !== 'probe') throw new Error('probe first');
    const tab = async (): Promise<ProbeTabResult> => ({
      tabId: 9,
      hops: [],
      outcome: { kind: 'redirected', url: `https://app.test/cb?error=invalid_request&error_description=Pushed+Authorization+Request+must+be+used&state=${probe.probe.state}`, status: 303 },
    });
    const runner = new ActiveRunner({}, { sendTokenRequest: vi.fn() as never, runProbeTab: tab as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'pkce.not-enforced', verdict: 'inconclusive', summary: expect.stringMatching(/invalid_request.*requires pushed authorization requests \(RFC 9126 §5\)/) }] });
  });
});

describe('DPoP-bound flows', () => {
  it('a code replay carries a fresh proof of the inspector’s own key, never the app’s captured one', async () => {
    const plan = await planActiveCheck(dpopFlow, 'code.reuse-accepted');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    expect(plan.warnings.join(' ')).toMatch(/DPoP proof of its own/);
    const sent: ReplayRequest[] = [];
    const runner = new ActiveRunner({}, { sendTokenRequest: async (r: ReplayRequest) => (sent.push(r), json(400, { error: 'invalid_grant' })), runProbeTab: vi.fn() as never });
    await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow: dpopFlow, plan });
    const proofs = sent[0]?.headers.filter((h) => h.name.toLowerCase() === 'dpop') ?? [];
    expect(proofs).toHaveLength(1);
    expect(proofs[0]?.value).not.toContain('sig-of-the-app');
    expect(await proofKey(sent[0] as ReplayRequest)).toMatch(/^[\w-]{43}$/);
  });

  it('a Bearer flow sends no proof', async () => {
    const plan = await planActiveCheck(bearerFlow, 'code.reuse-accepted');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const sent: ReplayRequest[] = [];
    const runner = new ActiveRunner({}, { sendTokenRequest: async (r: ReplayRequest) => (sent.push(r), json(400, { error: 'invalid_grant' })), runProbeTab: vi.fn() as never });
    await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow: bearerFlow, plan });
    expect(sent[0]?.headers.some((h) => h.name.toLowerCase() === 'dpop')).toBe(false);
  });
});

describe('dpop.refresh-unbound', () => {
  /** Refresh tokens bound to the app's key thumbprint; `checksBinding: false` is the flaw. */
  function server(checksBinding: boolean) {
    const sent: ReplayRequest[] = [];
    const keys: Array<string | undefined> = [];
    const send = async (request: ReplayRequest) => {
      sent.push(request);
      const jkt = await proofKey(request);
      keys.push(jkt);
      if (fieldValue(request, 'refresh_token') !== 'rt2') return json(400, { error: 'invalid_grant', error_description: 'unknown refresh token' });
      if (checksBinding) return json(400, { error: 'invalid_grant', error_description: jkt ? 'DPoP key mismatch' : 'DPoP proof required' });
      return json(200, { access_token: 'at3', token_type: 'DPoP', refresh_token: 'rt3' });
    };
    return { sent, keys, send };
  }

  it('plans the refresh token the app holds now, without a proof, then with another key', async () => {
    const plan = await planActiveCheck(dpopFlow, 'dpop.refresh-unbound');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    expect(plan.steps.map((s) => s.id)).toEqual(['no-proof', 'other-key']);
    const [noProof, otherKey] = plan.steps;
    if (noProof?.kind !== 'token' || otherKey?.kind !== 'token') throw new Error('token steps expected');
    expect(noProof.request.fields).toEqual([['grant_type', 'refresh_token'], ['refresh_token', 'rt2'], ['client_id', 'app']]);
    expect(noProof.request.headers.some((h) => h.name.toLowerCase() === 'dpop')).toBe(false);
    expect(otherKey.request.dpop).toBe('fresh-key');
  });

  it('a server that checks the binding: both refused, pass', async () => {
    const as = server(true);
    const plan = await planActiveCheck(dpopFlow, 'dpop.refresh-unbound');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const runner = new ActiveRunner({}, { sendTokenRequest: as.send, runProbeTab: vi.fn() as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow: dpopFlow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'dpop.refresh-unbound', verdict: 'pass' }] });
    expect(as.keys[0]).toBeUndefined();
    expect(as.keys[1]).toMatch(/^[\w-]{43}$/);
  });

  it('a server that ignores the binding: tokens without a proof, a critical finding, and no second try', async () => {
    const as = server(false);
    const plan = await planActiveCheck(dpopFlow, 'dpop.refresh-unbound');
    if ('unavailable' in plan) throw new Error(plan.unavailable);
    const runner = new ActiveRunner({}, { sendTokenRequest: as.send, runProbeTab: vi.fn() as never });
    const answer = await runner.run({ type: 'oauth-lens/active-run', tabId: 1, flow: dpopFlow, plan });
    expect(answer).toMatchObject({ ok: true, results: [{ check: 'dpop.refresh-unbound', verdict: 'finding', finding: { check: 'dpop.refresh-unbound', severity: 'critical' } }] });
    expect(as.sent).toHaveLength(1);
  });

  it('is unavailable on a Bearer flow', async () => {
    const plan = await planActiveCheck(bearerFlow, 'dpop.refresh-unbound');
    expect(plan).toEqual({ unavailable: expect.stringMatching(/not DPoP-bound/) });
  });
});
