/**
 * --fetch-keys: without it the CLI makes no network request at all and says
 * the ID token signature was not evaluated; with it, the issuer's discovery
 * document and JWKS are fetched and the signature is checked.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressKind, createKeyFetcher, fetchJson, type Resolver } from '../../src/cli/fetch-json.ts';
import { entry, har } from './hars.ts';

const root = join(import.meta.dirname, '..', '..');
// Each test starts node processes: allow for a busy machine.
vi.setConfig({ testTimeout: 30_000 });
let dir = '';
let server: Server;
let issuer = '';
const requests: string[] = [];
const responses = new Map<string, { status: number; body: string }>();

/** The CLI in a child process (async: the server in this process must keep answering). */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'bundle', 'oauth-lens.js'), ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth-lens-keys-'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/stream') {
      // 2 MB in chunks, no Content-Length: only a streamed count stops it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 32 && res.write(chunk)) sent++;
        if (sent >= 32) res.end();
        else res.once('drain', pump);
      };
      res.write('{"pad":"');
      pump();
      return;
    }
    if (req.url === '/lying-length') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' });
      res.end(JSON.stringify({ pad: 'y'.repeat(200_000) }).slice(0, 20));
      return;
    }
    if (req.url === '/hang') return; // never answers
    if (req.url === '/redirect-same') return void res.writeHead(302, { location: '/keys' }).end();
    if (req.url === '/redirect-other') return void res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/keys` }).end();
    const answer = responses.get(req.url ?? '') ?? { status: 404, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  responses.set('/.well-known/openid-configuration', { status: 200, body: JSON.stringify({ issuer, jwks_uri: `${issuer}/keys`, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token` }) });
  responses.set('/keys', { status: 200, body: JSON.stringify({ keys: [jwk] }) });
  responses.set('/big', { status: 200, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });

  const nonce = 'n-0S6_WzA2Mj-kT3x9PqLw2Z';
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new SignJWT({ nonce })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience('app')
    .setSubject('alice')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
  const state = 'kT3x9PqLw2ZcV8bN4mR6yH1d';
  const redirect = 'https://app.example/callback';
  const code = 'code-Qx81JzT0a9Lw2uYh';
  const callback = `${redirect}?code=${code}&state=${state}`;
  const capture = har([
    entry('GET', `${issuer}/authorize?response_type=code&client_id=app&scope=openid&redirect_uri=${encodeURIComponent(redirect)}&state=${state}&nonce=${nonce}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`, { status: 302, location: callback }),
    entry('GET', callback, { responseHeaders: [{ name: 'Referrer-Policy', value: 'no-referrer' }] }),
    entry('POST', `${issuer}/token`, {
      requestHeaders: [{ name: 'Origin', value: 'https://app.example' }],
      body: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(redirect)}&client_id=app&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`,
      responseHeaders: [{ name: 'Cache-Control', value: 'no-store' }],
      response: JSON.stringify({ access_token: 'at-3n8Vd0qLmZ2x', token_type: 'Bearer', id_token: idToken }),
    }),
  ]);
  writeFileSync(join(dir, 'oidc.har'), JSON.stringify(capture));
  await build({ configFile: join(root, 'vite.cli.config.ts'), build: { outDir: join(dir, 'bundle'), emptyOutDir: true } });
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('oauth-lens audit --fetch-keys', () => {
  it('makes no request without --fetch-keys, and says the signature was not evaluated', async () => {
    requests.length = 0;
    const run = await cli('audit', 'oidc.har', '--format', 'json');
    expect(requests).toEqual([]);
    const report = JSON.parse(run.stdout);
    const signature = report.notEvaluated.find((n: { check: string }) => n.check === 'jwt.signature-invalid');
    expect(signature?.reason).toMatch(/fetching keys is not allowed/);
  });

  it('fetches discovery and JWKS with --fetch-keys and verifies the signature', async () => {
    requests.length = 0;
    const run = await cli('audit', 'oidc.har', '--format', 'json', '--fetch-keys');
    expect(requests).toEqual(['/.well-known/openid-configuration', '/keys']);
    const report = JSON.parse(run.stdout);
    expect(report.notEvaluated.filter((n: { check: string }) => n.check === 'jwt.signature-invalid')).toEqual([]);
    expect(report.findings.filter((f: { check: string }) => f.check === 'jwt.signature-invalid')).toEqual([]);
  });
});

describe('fetchJson', () => {
  it('returns the parsed JSON', async () => {
    await expect(fetchJson(`${issuer}/keys`, { issuer })).resolves.toMatchObject({ keys: [{ kid: 'k1' }] });
  });

  it.each([
    { description: 'an HTTP error', path: '/missing', error: /HTTP 404/ },
    { description: 'a response over 1 MB', path: '/big', error: /too large/ },
  ])('rejects $description', async ({ path, error }) => {
    await expect(fetchJson(`${issuer}${path}`, { issuer })).rejects.toThrow(error);
  });

  it('refuses anything but https (http only for an issuer on loopback)', async () => {
    await expect(fetchJson('file:///etc/passwd', { issuer })).rejects.toThrow(/not https/);
    await expect(fetchJson('http://keys.example.test/keys', { issuer: 'https://as.example.test' })).rejects.toThrow(/not https/);
  });
});

describe('fetchJson against a capture that aims it (issue 9)', () => {
  const names: Record<string, string> = {
    'as.example.test': '93.184.216.34',
    'internal.example.test': '10.1.2.3',
    'metadata.example.test': '169.254.169.254',
    'loop.example.test': '127.0.0.1',
    'mapped.example.test': '::ffff:127.0.0.1',
    'corp.example.test': '192.168.1.10',
  };
  const resolve: Resolver = async (host) => (names[host] ? [{ address: names[host], family: names[host].includes(':') ? 6 : 4 }] : []);
  const fetcher = createKeyFetcher({ resolve, timeoutMs: 1_000, maxBytes: 1_000_000 });

  it.each([
    ['a private address', 'https://internal.example.test/keys', /private address/],
    ['a link-local address (cloud metadata)', 'https://metadata.example.test/latest', /link-local address/],
    ['a name resolving to loopback', 'https://loop.example.test/keys', /loopback address/],
    ['an IPv4-mapped loopback address', 'https://mapped.example.test/keys', /loopback address/],
    ['a loopback IP literal', 'https://127.0.0.1:1/keys', /loopback address/],
    ['localhost', 'https://localhost:1/keys', /loopback address/],
  ])('refuses %s when the issuer is public', async (_, url, error) => {
    requests.length = 0;
    await expect(fetcher(url, { issuer: 'https://as.example.test' })).rejects.toThrow(error);
    expect(requests).toEqual([]);
  });

  it('allows internal targets, and http, when the issuer itself is on loopback', async () => {
    const port = (server.address() as AddressInfo).port;
    const local = `http://loop.example.test:${port}`;
    await expect(fetcher(`${local}/keys`, { issuer: local })).resolves.toMatchObject({ keys: [{ kid: 'k1' }] });
    // The same target for an issuer on the public internet is refused.
    await expect(fetcher(`${local}/keys`, { issuer: 'http://as.example.test' })).rejects.toThrow(/not https/);
  });

  it('follows a redirect within the origin, refuses one to another origin', async () => {
    await expect(fetcher(`${issuer}/redirect-same`, { issuer })).resolves.toMatchObject({ keys: [{ kid: 'k1' }] });
    await expect(fetcher(`${issuer}/redirect-other`, { issuer })).rejects.toThrow(/redirect to another origin/);
  });

  it('caps the body as it streams, whatever Content-Length says', async () => {
    await expect(fetcher(`${issuer}/stream`, { issuer })).rejects.toThrow(/too large/);
    await expect(createKeyFetcher({ maxBytes: 10 })(`${issuer}/keys`, { issuer })).rejects.toThrow(/too large/);
    await expect(fetcher(`${issuer}/lying-length`, { issuer })).rejects.toThrow(/JSON|Unterminated|Unexpected/);
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    await expect(createKeyFetcher({ timeoutMs: 300 })(`${issuer}/hang`, { issuer })).rejects.toThrow(/timed out|abort/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['127.0.0.1', 'loopback'], ['::1', 'loopback'], ['10.0.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'], ['100.64.0.1', 'private'],
    ['fd00::1', 'private'], ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['0.0.0.0', 'reserved'], ['::', 'reserved'], ['224.0.0.1', 'reserved'],
    ['::ffff:10.0.0.1', 'private'], ['93.184.216.34', 'public'], ['2606:2800:220:1::1', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});
