import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import type { RequestEvent } from '../../src/core/model.ts';
import { KeyFetcher, MAX_CACHED_URLS, refusal, type FetchLike, type FetchResponse } from '../../src/background/key-fetcher.ts';
import { parseCapture } from '../support/flow-builder.ts';

const ISS = 'https://as.test';
const CB = 'https%3A%2F%2Fapp.test%2Fcb';
const STATE = 'st-0123456789abcdef';
const NONCE = 'n-0123456789abcdef';
const NOW = 1_700_000_000;
const { publicKey, privateKey } = await generateKeyPair('RS256');
const JWKS = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
const DISCOVERY = JSON.stringify({ issuer: ISS, authorization_endpoint: `${ISS}/authorize`, token_endpoint: `${ISS}/token`, jwks_uri: `${ISS}/jwks` });
const idToken = await new SignJWT({ iss: ISS, aud: 'app', sub: 'u1', iat: NOW, exp: NOW + 3600, nonce: NONCE })
  .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
  .sign(privateKey);

/** A code flow whose discovery document and JWKS were not captured (the page loaded them before capture began). */
const login = (): RequestEvent[] =>
  parseCapture(`
    GET ${ISS}/authorize?response_type=code&client_id=app&scope=openid&redirect_uri=${CB}&state=${STATE}&nonce=${NONCE}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256 -> 302 https://app.test/cb?code=c1&state=${STATE}
    GET https://app.test/cb?code=c1&state=${STATE} -> 200
    POST ${ISS}/token grant_type=authorization_code&code=c1&client_id=app&redirect_uri=${CB}&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk -> 200 ${JSON.stringify({ access_token: 'opaque-access-token-0123456789', token_type: 'Bearer', id_token: idToken })}
  `);

/** A Response as plain data: the body in `chunks`, headers as given (Content-Length may lie). */
function response(status: number, chunks: string[], headers: Record<string, string> = { 'content-type': 'application/json' }): FetchResponse {
  const queue = chunks.map((chunk) => new TextEncoder().encode(chunk));
  let cancelled = false;
  return {
    status,
    headers: { forEach: (callback) => Object.entries(headers).forEach(([name, value]) => callback(value, name)) },
    body: {
      getReader: () => ({
        read: async () => (cancelled || queue.length === 0 ? { done: true } : { done: false, value: queue.shift()! }),
        cancel: async () => {
          cancelled = true;
        },
      }),
    },
  };
}

interface Call {
  url: string;
  init: RequestInit;
}

function server(routes: Record<string, () => FetchResponse | Promise<FetchResponse>>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const route = routes[url];
    if (!route) throw new TypeError('Failed to fetch');
    return route();
  };
  return { calls, fetch };
}

function fetcher(fetch: FetchLike, options: { enabled?: boolean; maxBytes?: number; timeoutMs?: number } = {}) {
  const logs = new Map<number, RequestEvent[]>();
  const keys = new KeyFetcher({
    fetch,
    enabled: async () => options.enabled ?? true,
    record: async (tabId, events) => {
      logs.set(tabId, [...(logs.get(tabId) ?? []), ...events]);
    },
    now: () => 1_700_000_000_000,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { keys, logs };
}

const asRoutes = () => ({
  [`${ISS}/.well-known/openid-configuration`]: () => response(200, [DISCOVERY]),
  [`${ISS}/jwks`]: () => response(200, [JWKS.slice(0, 40), JWKS.slice(40)]),
});

describe('which URLs the worker may fetch for an issuer', () => {
  it.each([
    ['https://as.test/.well-known/openid-configuration', 'https://as.test', undefined],
    ['https://keys.other.test/jwks', 'https://as.test', undefined],
    ['http://as.test/jwks', 'https://as.test', 'not https'],
    ['http://127.0.0.1:8080/jwks', 'http://127.0.0.1:8080', undefined],
    ['http://localhost:8080/jwks', 'http://localhost:8080', undefined],
    ['http://as.test/jwks', 'http://127.0.0.1:8080', 'not https'],
    ['https://127.0.0.1/jwks', 'https://as.test', 'loopback address and the issuer is not'],
    ['https://192.168.1.1/jwks', 'https://as.test', 'private address and the issuer is not'],
    ['https://10.0.0.7/jwks', 'https://10.0.0.7', undefined],
    ['https://[::1]/jwks', 'https://as.test', 'loopback'],
    ['https://user:pw@as.test/jwks', 'https://as.test', 'credentials'],
    ['file:///etc/passwd', 'https://as.test', 'not https'],
    ['https://as.test/jwks', 'not a url', 'is not a URL'],
  ])('%s for %s', (url, issuer, refused) => {
    const reason = refusal(url, issuer);
    if (refused === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(refused);
  });
});

describe('KeyFetcher', () => {
  it('fetches without cookies, redirects or Referer, under a timeout, and logs each fetch in the tab as the inspector own', async () => {
    const { calls, fetch } = server(asRoutes());
    const { keys, logs } = fetcher(fetch);
    expect(await keys.fetchFor(7, `${ISS}/jwks`, ISS)).toEqual(JSON.parse(JWKS));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init).toMatchObject({ method: 'GET', redirect: 'error', credentials: 'omit', referrerPolicy: 'no-referrer' });
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    const [event] = logs.get(7)!;
    expect(event).toMatchObject({ tabId: 7, method: 'GET', url: `${ISS}/jwks`, status: 200, fromInspector: true, responseBodyState: 'captured' });
    expect(event!.responseBody?.text).toBe(JWKS);
  });

  it('refuses a target under the rules before any request', async () => {
    const { calls, fetch } = server(asRoutes());
    const { keys, logs } = fetcher(fetch);
    await expect(keys.fetchFor(1, 'http://as.test/jwks', ISS)).rejects.toThrow(/refusing to fetch http:\/\/as.test\/jwks: not https/);
    expect(calls).toHaveLength(0);
    expect(logs.size).toBe(0);
  });

  it('cuts a body past the byte cap whatever Content-Length says', async () => {
    const big = 'x'.repeat(600);
    const { fetch } = server({ [`${ISS}/jwks`]: () => response(200, [big, big, big], { 'content-type': 'application/json', 'content-length': '10' }) });
    const { keys, logs } = fetcher(fetch, { maxBytes: 1000 });
    await expect(keys.fetchFor(1, `${ISS}/jwks`, ISS)).rejects.toThrow(/response too large \(over 1000 bytes\)/);
    expect(logs.get(1)![0]).toMatchObject({ fromInspector: true, error: 'response too large (over 1000 bytes)' });
  });

  it('gives up after the timeout', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    const { keys } = fetcher(fetch, { timeoutMs: 20 });
    await expect(keys.fetchFor(1, `${ISS}/jwks`, ISS)).rejects.toThrow(/timed out/);
  });

  it('says HTTP errors and non-JSON bodies as failures', async () => {
    const { fetch } = server({ [`${ISS}/a`]: () => response(404, ['nope']), [`${ISS}/b`]: () => response(200, ['<html>']) });
    const { keys } = fetcher(fetch);
    await expect(keys.fetchFor(1, `${ISS}/a`, ISS)).rejects.toThrow(/HTTP 404/);
    await expect(keys.fetchFor(1, `${ISS}/b`, ISS)).rejects.toThrow(/JSON/);
  });

  it('fetches each URL once: concurrent asks share one request, later asks and failures come from memory, each tab logs it once', async () => {
    const { calls, fetch } = server(asRoutes());
    const { keys, logs } = fetcher(fetch);
    const answers = await Promise.all([keys.fetchFor(1, `${ISS}/jwks`, ISS), keys.fetchFor(1, `${ISS}/jwks`, ISS), keys.fetchFor(2, `${ISS}/jwks`, ISS)]);
    expect(answers[0]).toEqual(answers[2]);
    await keys.fetchFor(1, `${ISS}/jwks`, ISS);
    await expect(keys.fetchFor(1, `${ISS}/missing`, ISS)).rejects.toThrow(/Failed to fetch/);
    await expect(keys.fetchFor(1, `${ISS}/missing`, ISS)).rejects.toThrow(/Failed to fetch/);
    expect(calls.map((call) => call.url)).toEqual([`${ISS}/jwks`, `${ISS}/missing`]);
    expect(logs.get(1)!.map((event) => event.url)).toEqual([`${ISS}/jwks`, `${ISS}/missing`]);
    expect(logs.get(2)!.map((event) => event.url)).toEqual([`${ISS}/jwks`]);
  });

  it('keeps the outcomes of the last MAX_CACHED_URLS URLs only: issuers come from the page, and a long session may name any number', async () => {
    const urls = Array.from({ length: MAX_CACHED_URLS + 1 }, (_, i) => `${ISS}/tenant-${i}/jwks`);
    const { calls, fetch } = server(Object.fromEntries(urls.map((url) => [url, () => response(200, [JWKS])])));
    const { keys } = fetcher(fetch);
    for (const url of urls) await keys.fetchFor(1, url, ISS);
    await keys.fetchFor(1, urls.at(-1)!, ISS);
    expect(calls).toHaveLength(urls.length);
    await keys.fetchFor(1, urls[0]!, ISS);
    expect(calls.map((call) => call.url)).toEqual([...urls, urls[0]]);
  });

  it('lets the audit verify the signature; the logged events then carry the keys with no fetch at all, and no passive check judges them', async () => {
    const events = login();
    const before = await audit(events);
    expect(before.notEvaluated.map((n) => n.check)).toContain('jwt.signature-invalid');

    const { calls, fetch } = server(asRoutes());
    const { keys, logs } = fetcher(fetch);
    const live = await audit(events, await keys.optionsFor(3));
    expect(live.notEvaluated.filter((n) => n.check === 'jwt.signature-invalid')).toEqual([]);
    expect(live.findings.filter((f) => f.check === 'jwt.signature-invalid')).toEqual([]);
    expect(calls.map((call) => call.url)).toEqual([`${ISS}/.well-known/openid-configuration`, `${ISS}/jwks`]);

    // What the panel (and a restarted worker) audits: the tab's log with the inspector's fetches, no fetchJson.
    const logged = [...events, ...logs.get(3)!];
    const later = await audit(logged);
    expect(later.notEvaluated.filter((n) => n.check === 'jwt.signature-invalid')).toEqual([]);
    const inspectorIds = new Set(logs.get(3)!.map((event) => event.id));
    expect(inspectorIds.size).toBe(2);
    expect(later.findings.flatMap((f) => f.evidence.map((e) => e.requestId)).filter((id) => inspectorIds.has(id))).toEqual([]);
    expect(later.findings.map((f) => f.check).sort()).toEqual(live.findings.map((f) => f.check).sort());
  });

  it('fetches nothing while the setting is off, and the reason names the setting', async () => {
    const { calls, fetch } = server(asRoutes());
    const { keys } = fetcher(fetch, { enabled: false });
    const result = await audit(login(), await keys.optionsFor(3));
    const reasons = result.notEvaluated.filter((n) => n.check === 'jwt.signature-invalid').map((n) => n.reason);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain("the setting “Fetch the issuer's keys to verify signatures” is off");
    expect(calls).toHaveLength(0);
  });
});
