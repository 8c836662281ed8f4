/**
 * Small HTTPS sites on loopback for capture tests that must not depend on the
 * demo: a minimal authorization server and client (`mini-as`, `mini-app`),
 * a CDN, and a busy page with hundreds of unrelated requests. One port,
 * routed by Host; browsers map *.example.test to 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';

export interface LocalSites {
  port: number;
  origin(host: string): string;
  /** The client page that starts a code+PKCE login (`?referer-leak=1` adds a third-party image on the callback). */
  appStart: string;
  busyPage: string;
  close(): Promise<void>;
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

async function certificate() {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '*.example.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: '*.example.test' }] }],
  } as never);
  return { key: pems.private, cert: pems.cert };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLocalSites(): Promise<LocalSites> {
  const tls = await certificate();
  let port = 0;
  const origin = (host: string) => `https://${host}.example.test:${port}`;
  const codes = new Map<string, { challenge: string; redirectUri: string }>();

  const server: Server = createServer(tls, async (req, res) => {
    const host = (req.headers.host ?? '').split('.')[0];
    const url = new URL(req.url ?? '/', origin(host ?? 'x'));
    const path = url.pathname;
    if (host === 'mini-app' && path === '/') {
      const leak = url.searchParams.get('referer-leak') === '1';
      const verifier = b64url(randomBytes(32));
      const challenge = b64url(createHash('sha256').update(verifier).digest());
      const state = b64url(randomBytes(16));
      const redirectUri = `${origin('mini-app')}/cb${leak ? '-leaky' : ''}`;
      const auth = `${origin('mini-as')}/authorize?response_type=code&client_id=mini&redirect_uri=${encodeURIComponent(redirectUri)}&state=${state}&code_challenge=${challenge}&code_challenge_method=S256&scope=openid`;
      return send(
        res,
        200,
        `<!doctype html><title>mini app</title><script>sessionStorage.setItem('v', ${JSON.stringify(verifier)});</script><a id="login" href="${auth}">Log in</a>`,
      );
    }
    if (host === 'mini-as' && path === '/authorize') {
      const code = b64url(randomBytes(24));
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
      const state = url.searchParams.get('state') ?? '';
      res.writeHead(302, { location: `${redirectUri}?code=${code}&state=${state}&iss=${encodeURIComponent(origin('mini-as'))}` });
      return res.end();
    }
    if (host === 'mini-app' && (path === '/cb' || path === '/cb-leaky')) {
      const leaky = path === '/cb-leaky';
      const image = leaky ? `<img src="${origin('cdn')}/pixel.gif">` : '';
      return send(
        res,
        200,
        `<!doctype html><title>callback</title>${image}<pre id="out">…</pre><script>
        (async () => {
          const q = new URLSearchParams(location.search);
          const body = new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code'), code_verifier: sessionStorage.getItem('v'), client_id: 'mini', redirect_uri: location.origin + location.pathname });
          if (window.__holdTokenRequest) await window.__holdTokenRequest;
          const r = await fetch(${JSON.stringify(origin('mini-as'))} + '/token', { method: 'POST', body });
          // A client reads its tokens (Chrome finishes the load, and so the DevTools protocol's record of it, only then).
          await r.text();
          document.getElementById('out').textContent = r.ok ? 'signed in' : 'failed ' + r.status;
        })();
        </script>`,
        leaky ? { 'referrer-policy': 'unsafe-url' } : { 'referrer-policy': 'no-referrer' },
      );
    }
    if (host === 'mini-as' && path === '/token') {
      const cors = { 'access-control-allow-origin': origin('mini-app') };
      if (req.method === 'OPTIONS') return send(res, 204, '', { ...cors, 'access-control-allow-methods': 'POST' });
      const params = new URLSearchParams(await readBody(req));
      const grant = codes.get(params.get('code') ?? '');
      const verifier = params.get('code_verifier') ?? '';
      const ok = grant && b64url(createHash('sha256').update(verifier).digest()) === grant.challenge;
      codes.delete(params.get('code') ?? '');
      const body = ok
        ? { access_token: b64url(randomBytes(24)), token_type: 'Bearer', expires_in: 300 }
        : { error: 'invalid_grant' };
      return send(res, ok ? 200 : 400, JSON.stringify(body), { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
    }
    if (host === 'evil' && path === '/') {
      return send(res, 200, hostilePage());
    }
    if (host === 'evil' && req.method === 'POST') {
      await readBody(req);
      // A form-encoded "token response" that froze the old engine (issue 9): a=&a=…<
      return send(res, 200, `a=${'&a='.repeat(28)}<`, { 'content-type': 'application/x-www-form-urlencoded' });
    }
    if (host === 'busy' && path === '/') {
      return send(res, 200, busyPage(origin));
    }
    if (path.endsWith('.gif') || path.startsWith('/img/')) {
      res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
      return res.end(Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
    }
    if (path.startsWith('/redirect/')) {
      res.writeHead(302, { location: `/img/${path.slice('/redirect/'.length)}` });
      return res.end();
    }
    if (path.startsWith('/api/')) {
      if (req.method === 'POST') await readBody(req);
      return send(res, 200, '{"ok":true}', { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    }
    if (path.endsWith('.js')) return send(res, 200, '/* */', { 'content-type': 'text/javascript' });
    if (path.endsWith('.css')) return send(res, 200, '/* */', { 'content-type': 'text/css' });
    send(res, 404, 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    origin,
    appStart: `${origin('mini-app')}/`,
    busyPage: `${origin('busy')}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A page that sends the requests of issue 9 at the extension: a {tenantid}
 * issuer in a 441-character fetch, `a=&a=…` bodies, `&constructor=1`, a 200 KB
 * authorization URL, 100k nested arrays, `eyJ` runs, terminal escapes, a
 * 1 MB form. `window.__hostileDone` resolves when all were sent.
 */
export function hostilePage(): string {
  return `<!doctype html><title>hostile</title><script>
  window.__hostileDone = (async () => {
    const b64 = (o) => btoa(JSON.stringify(o)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    const jwt = b64({ alg: 'none' }) + '.' + b64({ iss: 'https://x.example/' + '{tenantid}'.repeat(12) + '/Z', aud: 'c', sub: 's' }) + '.';
    const post = (body, type = 'application/x-www-form-urlencoded') => fetch('/token', { method: 'POST', headers: { 'content-type': type }, body }).catch(() => {});
    const jobs = [
      fetch('/cb?id_token=' + jwt + '&state=s1&iss=https://x.example/' + 'a'.repeat(60)).catch(() => {}),
      post('grant_type=authorization_code&a=' + '&a='.repeat(28) + '<'),
      post('grant_type=authorization_code&code=abcdefgh123&client_secret=s3cr3tvalue1&constructor=1&__proto__=2&toString=3'),
      fetch('/authorize?response_type=code&client_id=evil&state=s&x=' + 'a'.repeat(200000)).catch(() => {}),
      post('{"grant_type":"authorization_code","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}', 'application/json'),
      fetch('/cb?code=' + 'eyJ'.repeat(30000) + '&state=s').catch(() => {}),
      fetch('/cb?code=abcdefgh1234&state=s&iss=' + encodeURIComponent('\\u001b]0;pwned\\u0007\\u202Eno findings')).catch(() => {}),
      post('grant_type=authorization_code&code=' + 'b'.repeat(1000000)),
    ];
    await Promise.all(jobs);
    return jobs.length;
  })();
  </script>`;
}

/**
 * ~500 unrelated subresources over several origins: images, redirects,
 * scripts, stylesheets, fetch/XHR (GET and POST), a form POST into an iframe.
 */
export function busyPage(origin: (host: string) => string, count = 500): string {
  const hosts = ['cdn', 'static', 'img', 'api'];
  const parts: string[] = [];
  for (let i = 0; i < count * 0.5; i++) parts.push(`<img src="${origin(hosts[i % 4]!)}/img/${i}.gif?v=${i}&page=${i % 7}">`);
  for (let i = 0; i < count * 0.1; i++) parts.push(`<img src="${origin(hosts[(i + 1) % 4]!)}/redirect/${i}.gif">`);
  for (let i = 0; i < count * 0.1; i++) parts.push(`<script src="${origin(hosts[(i + 2) % 4]!)}/s/${i}.js"></script>`);
  for (let i = 0; i < count * 0.1; i++) parts.push(`<link rel="stylesheet" href="${origin(hosts[(i + 3) % 4]!)}/c/${i}.css">`);
  const api = origin('api');
  const xhr = Math.round(count * 0.2);
  return `<!doctype html><title>busy</title>${parts.join('')}
  <iframe name="sink" style="display:none"></iframe>
  <form id="f" method="POST" action="${api}/api/form" target="sink"><input name="comment" value="hello"><input name="page" value="2"></form>
  <script>
  window.__busyDone = (async () => {
    const jobs = [];
    for (let i = 0; i < ${xhr}; i++) {
      if (i % 2) jobs.push(fetch('${api}/api/item/' + i + '?q=' + i));
      else jobs.push(fetch('${api}/api/save', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ id: i, text: 'x' }) }));
    }
    document.getElementById('f').submit();
    await Promise.all(jobs);
    return true;
  })();
  </script>`;
}
