import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { Flow } from '../../../src/core/model.ts';
import {
  authorizationProbeUrl,
  changedRedirectUris,
  codeReplayRequest,
  createPkcePair,
  createState,
  fieldValue,
  freshCodeExchanges,
  freshExchangeTemplate,
  isAtRedirectUri,
  probeBase,
  readCaughtCallback,
  rotatedRefreshRequest,
  s256,
  wireForm,
  withFields,
} from '../../../src/core/replay/index.ts';
import { capture } from '../../support/flow-builder.ts';

const CB = 'https%3A%2F%2Fapp.test%2Fcb';

function onlyFlow(events: ReturnType<typeof capture>): Flow {
  const { flows } = analyze(events);
  const flow = flows.find((f) => f.kind === 'authorization_code') ?? flows[0];
  if (!flow) throw new Error('no flow');
  return flow;
}

const spaLogin = capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=s1&nonce=n1&scope=openid&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=s1
  GET https://app.test/cb?code=c1&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&redirect_uri=${CB}&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1","refresh_token":"rt1","token_type":"Bearer"}
    > Origin: https://app.test
    > Content-Type: application/x-www-form-urlencoded
    > Cookie: sid=nope
  [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=rt1&client_id=app -> 200 {"access_token":"at2","refresh_token":"rt2"}
    > Origin: https://app.test
`;

describe('code replay: the captured exchange as it was', () => {
  it('keeps the fields in order, drops Cookie, and remembers the app origin', () => {
    const built = codeReplayRequest(onlyFlow(spaLogin));
    if ('unavailable' in built) throw new Error(built.unavailable);
    expect(built.request.method).toBe('POST');
    expect(built.request.url).toBe('https://as.test/token');
    expect(built.request.fields).toEqual([
      ['grant_type', 'authorization_code'],
      ['code', 'c1'],
      ['redirect_uri', 'https://app.test/cb'],
      ['client_id', 'app'],
      ['code_verifier', 'v1'],
    ]);
    expect(built.request.headers.map((h) => h.name.toLowerCase())).toEqual(['content-type']);
    expect(built.request.appOrigin).toBe('https://app.test');
  });

  const rows = [
    {
      description: 'server-side client: nothing to replay, and it says why',
      events: capture`
        GET https://as.test/authorize?response_type=code&client_id=web&redirect_uri=${CB}&state=s1 -> 302 https://app.test/cb?code=c1&state=s1
        GET https://app.test/cb?code=c1&state=s1 -> 302 https://app.test/home
        GET https://app.test/home -> 200
      `,
      expected: /server/,
    },
  ];
  for (const { description, events, expected } of rows) {
    it(description, () => {
      const built = codeReplayRequest(onlyFlow(events));
      expect('unavailable' in built && built.unavailable).toMatch(expected);
    });
  }

  it('a GET token request (GitHub-style legacy) replays with its fields in the query', () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=s1 -> 302 https://app.test/cb?code=c9&state=s1
      GET https://app.test/cb?code=c9&state=s1 -> 200
      [fetch] GET https://as.test/token?grant_type=authorization_code&code=c9&client_id=app -> 200 {"access_token":"a"}
    `;
    const built = codeReplayRequest(onlyFlow(events));
    if ('unavailable' in built) throw new Error(built.unavailable);
    expect(built.request.encoding).toBe('query');
    expect(wireForm(built.request)).toEqual({ url: 'https://as.test/token?grant_type=authorization_code&code=c9&client_id=app', headers: [] });
  });
});

describe('fresh code exchanges', () => {
  it('no verifier, a wrong one, the right one, the same again — from the captured template', async () => {
    const pair = await createPkcePair();
    const template = freshExchangeTemplate(onlyFlow(spaLogin));
    if ('unavailable' in template) throw new Error(template.unavailable);
    const steps = freshCodeExchanges(template, 'fresh', pair, 'https://app.test/cb', 'w'.repeat(43));
    expect(steps.map((s) => s.id)).toEqual(['no-verifier', 'wrong-verifier', 'right-verifier', 'reuse']);
    const verifiers = steps.map((s) => fieldValue(s.request, 'code_verifier'));
    expect(verifiers).toEqual([undefined, 'w'.repeat(43), pair.code_verifier, pair.code_verifier]);
    for (const s of steps) expect(fieldValue(s.request, 'code')).toBe('fresh');
  });

  it('without a captured exchange: a public-client request to the discovered token endpoint', () => {
    const flow = onlyFlow(spaLogin);
    const bare: Flow = { ...flow, legs: flow.legs.filter((l) => l.kind !== 'token-request') };
    const template = freshExchangeTemplate(bare);
    if ('unavailable' in template) throw new Error(template.unavailable);
    expect(template.fields).toEqual([
      ['grant_type', 'authorization_code'],
      ['client_id', 'app'],
    ]);
  });

  it('the PKCE pair is S256 of a 43-character verifier (RFC 7636 appendix B vector)', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const pair = await createPkcePair();
    expect(pair.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.code_challenge).toBe(await s256(pair.code_verifier));
    expect(createState()).not.toBe(createState());
  });
});

describe('refresh replay', () => {
  const rows = [
    { description: 'rotated (the answer carried a new token): replay the old one', events: spaLogin, expected: 'rt1' },
    {
      description: 'rotated, known without the answer: the app later refreshed with another token',
      events: capture`
        [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=old&client_id=app -> 200
        [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=new&client_id=app -> 200
      `,
      expected: 'old',
    },
    {
      description: 'rotated, answers attached to each other’s requests (same token URL): still known from the flow',
      events: capture`
        [fetch] POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app -> 200 {"access_token":"a2","refresh_token":"rt2"}
        [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=rt1&client_id=app -> 200 {"access_token":"a1","refresh_token":"rt1"}
      `,
      expected: 'rt1',
    },
    {
      description: 'not rotated: nothing to replay',
      events: capture`
        [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=same&client_id=app -> 200 {"access_token":"a","refresh_token":"same"}
      `,
      expected: /not rotated/,
    },
    {
      description: 'answer not captured (Chrome without DevTools): unknown, says so',
      events: capture`
        [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=x&client_id=app -> 200
      `,
      expected: /not captured/,
    },
  ];
  for (const { description, events, expected } of rows) {
    it(description, () => {
      const flows = analyze(events).flows;
      const built = flows.map((f) => rotatedRefreshRequest(f)).find((b) => !('unavailable' in b)) ?? rotatedRefreshRequest(flows[0] as Flow);
      if (typeof expected === 'string') {
        if ('unavailable' in built) throw new Error(built.unavailable);
        expect(fieldValue(built.request, 'refresh_token')).toBe(expected);
      } else {
        expect('unavailable' in built && built.unavailable).toMatch(expected);
      }
    });
  }
});

describe('authorization probes', () => {
  it('fresh request: the inspector’s state, challenge and nonce; prompt=none and form_post dropped', async () => {
    const events = capture`
      GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=s1&nonce=n1&prompt=none&response_mode=form_post&code_challenge=ch&code_challenge_method=S256 -> 200
    `;
    const base = probeBase(onlyFlow(events));
    if ('unavailable' in base) throw new Error(base.unavailable);
    const pair = await createPkcePair();
    const probe = authorizationProbeUrl(base, { state: 'lens-s', pair, nonce: 'lens-n' });
    const q = new URL(probe.url).searchParams;
    expect(Object.fromEntries(q)).toEqual({
      response_type: 'code',
      client_id: 'app',
      redirect_uri: 'https://app.test/cb',
      state: 'lens-s',
      nonce: 'lens-n',
      code_challenge: pair.code_challenge,
      code_challenge_method: 'S256',
    });
  });

  const unavailable = [
    { description: 'implicit flow', url: 'https://as.test/authorize?response_type=id_token%20token&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&nonce=n&state=s' },
    { description: 'PAR', url: 'https://as.test/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax' },
    { description: 'signed request object', url: 'https://as.test/authorize?response_type=code&client_id=app&request=eyJ.x.y' },
  ];
  for (const { description, url } of unavailable) {
    it(`not possible: ${description}`, () => {
      const flows = analyze(capture`GET ${url} -> 200`).flows;
      const base = flows[0] ? probeBase(flows[0]) : { unavailable: 'no flow' };
      expect('unavailable' in base).toBe(true);
    });
  }

  it('changed redirect URIs: extra path, other port, other subdomain, added query', () => {
    expect(changedRedirectUris('https://app.test:8443/cb').map((v) => [v.id, v.redirectUri])).toEqual([
      ['path', 'https://app.test:8443/cb/lens-probe'],
      ['port', 'https://app.test:8444/cb'],
      ['subdomain', 'https://lens-probe.app.test:8443/cb'],
      ['query', 'https://app.test:8443/cb?lens_probe=1'],
    ]);
    expect(changedRedirectUris('http://127.0.0.1/').map((v) => v.id)).toEqual(['path', 'port', 'query']);
    expect(changedRedirectUris('https://app.test/').find((v) => v.id === 'port')?.redirectUri).toBe('https://app.test:444/');
  });

  const at = [
    { description: 'the address itself with a code', url: 'https://app.test/cb/lens-probe?code=x', uri: 'https://app.test/cb/lens-probe', expected: true },
    { description: 'the registered address is not the changed one', url: 'https://app.test/cb?code=x', uri: 'https://app.test/cb/lens-probe', expected: false },
    { description: 'added query kept, code appended', url: 'https://app.test/cb?lens_probe=1&code=x', uri: 'https://app.test/cb?lens_probe=1', expected: true },
    { description: 'added query lost', url: 'https://app.test/cb?code=x', uri: 'https://app.test/cb?lens_probe=1', expected: false },
    { description: 'other port', url: 'https://app.test:444/cb?code=x', uri: 'https://app.test/cb', expected: false },
  ];
  for (const { description, url, uri, expected } of at) {
    it(`isAtRedirectUri: ${description}`, () => expect(isAtRedirectUri(url, uri)).toBe(expected));
  }

  it('reads the caught callback only when the state is the inspector’s', () => {
    expect(readCaughtCallback('https://app.test/cb?code=c&state=lens-1&iss=https%3A%2F%2Fas.test', 'lens-1')).toEqual({ code: 'c', iss: 'https://as.test' });
    expect(readCaughtCallback('https://app.test/cb?code=c&state=app-state', 'lens-1')).toBeUndefined();
    expect(readCaughtCallback('https://app.test/cb?error=access_denied&state=lens-1', 'lens-1')).toEqual({ error: 'access_denied' });
  });

  it('withFields replaces in place, removes, and appends', () => {
    const req = { method: 'POST' as const, url: 'https://as.test/token', headers: [], encoding: 'form' as const, fields: [['a', '1'], ['b', '2'], ['b', '3']] as Array<[string, string]> };
    expect(withFields(req, { a: 'x', b: null, c: 'new' }).fields).toEqual([
      ['a', 'x'],
      ['c', 'new'],
    ]);
    expect(req.fields).toHaveLength(3);
  });
});
