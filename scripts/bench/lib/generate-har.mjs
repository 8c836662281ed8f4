/**
 * Writes a large, realistic HAR: mostly ordinary page traffic (documents,
 * scripts, images, XHR with JSON bodies, analytics POSTs, cookies, Chrome's
 * extra fields) with a few real OAuth flows (authorization request, callback,
 * token exchange with its response, userinfo call) spread through it.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const HOSTS = ['www.shop.example', 'cdn.shop.example', 'api.shop.example', 'fonts.example', 'metrics.example', 'img.example'];
const PATHS = ['/', '/products', '/products/4411/reviews', '/static/js/app.8f3a1c.js', '/static/css/main.css', '/img/banner-2x.webp', '/api/v2/cart', '/api/v2/recommendations', '/collect', '/search'];
const QUERIES = ['', '?page=2&sort=price', '?q=running+shoes&ref=nav', '?utm_source=news&utm_medium=email&utm_campaign=autumn', '?v=1718', '?id=4411&variant=blue&size=42', '?lang=en-GB&currency=EUR'];
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const h = (name, value) => ({ name, value });

function ordinaryEntry(rand, time, referer) {
  const host = HOSTS[Math.floor(rand() * HOSTS.length)];
  const path = PATHS[Math.floor(rand() * PATHS.length)];
  const url = `https://${host}${path}${QUERIES[Math.floor(rand() * QUERIES.length)]}`;
  const isPost = path === '/collect' || (path === '/api/v2/cart' && rand() < 0.3);
  const kind = path.endsWith('.js') ? 'script' : path.endsWith('.css') ? 'stylesheet' : path.startsWith('/img') ? 'image' : path.startsWith('/api') || isPost ? 'fetch' : 'document';
  const json = kind === 'fetch';
  const text = json
    ? JSON.stringify({ items: [{ id: 4411, name: 'Trail runner', price: 89.9, tags: ['shoes', 'sport'] }, { id: 4412, name: 'Road runner', price: 99.5, tags: ['shoes'] }], page: 2, total: 120 })
    : kind === 'document'
      ? `<!doctype html><html><head><title>Shop</title><link rel="stylesheet" href="/static/css/main.css"></head><body><main>${'<div class="card">product</div>'.repeat(8)}</main><script src="/static/js/app.8f3a1c.js"></script></body></html>`
      : undefined;
  const request = {
    method: isPost ? 'POST' : 'GET',
    url,
    httpVersion: 'http/2.0',
    headers: [
      h(':authority', host), h(':method', isPost ? 'POST' : 'GET'), h(':path', url.slice(url.indexOf('/', 8))), h(':scheme', 'https'),
      h('accept', json ? 'application/json' : '*/*'), h('accept-encoding', 'gzip, deflate, br, zstd'), h('accept-language', 'en-GB,en;q=0.9'),
      h('cookie', 'session=6b1f0c7e9a2d4b5c8e1f; consent=granted; ab=variant-b'), h('priority', 'u=1, i'), h('referer', referer),
      h('sec-ch-ua', '"Chromium";v="131", "Not_A Brand";v="24"'), h('sec-ch-ua-mobile', '?0'), h('sec-ch-ua-platform', '"Linux"'),
      h('sec-fetch-dest', kind === 'document' ? 'document' : json ? 'empty' : kind === 'stylesheet' ? 'style' : kind), h('sec-fetch-mode', kind === 'document' ? 'navigate' : 'cors'), h('sec-fetch-site', 'same-site'), h('user-agent', UA),
    ],
    queryString: [],
    cookies: [{ name: 'session', value: '6b1f0c7e9a2d4b5c8e1f' }],
    headersSize: -1,
    bodySize: isPost ? 64 : 0,
  };
  if (isPost) request.postData = { mimeType: 'application/json', text: '{"event":"add_to_cart","item":4411,"ts":1718000000}' };
  return {
    _initiator: { type: kind === 'document' ? 'other' : 'script', stack: { callFrames: [{ functionName: 'load', scriptId: '12', url: 'https://cdn.shop.example/static/js/app.8f3a1c.js', lineNumber: 1, columnNumber: 4410 }] } },
    _priority: 'High',
    _resourceType: kind,
    cache: {},
    connection: '443',
    request,
    response: {
      status: 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [
        h('cache-control', 'public, max-age=600'), h('content-encoding', 'br'), h('content-type', json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8'),
        h('date', 'Sun, 22 Nov 2026 10:00:00 GMT'), h('etag', '"5f3a-18c2b1"'), h('server', 'nginx'), h('strict-transport-security', 'max-age=63072000'),
        h('vary', 'Accept-Encoding'), h('x-content-type-options', 'nosniff'), h('x-request-id', '9c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f'),
      ],
      cookies: [],
      content: text === undefined ? { size: 48213, mimeType: kind === 'image' ? 'image/webp' : 'text/javascript' } : { size: text.length, mimeType: json ? 'application/json' : 'text/html', text },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: 1834,
      _error: null,
    },
    serverIPAddress: '192.0.2.10',
    startedDateTime: new Date(time).toISOString(),
    time: 41.2,
    timings: { blocked: 1.1, dns: -1, ssl: -1, connect: -1, send: 0.2, wait: 38.1, receive: 1.8, _blocked_queueing: 0.6 },
  };
}

function oauthFlow(n, time) {
  const state = `st${n}Xk29dk3kd93kdk3ld9`;
  const code = `SplxlOBeZQQYbYS6WxSbIA${n}`;
  const authorize = `https://login.idp.example/oauth2/v2/authorize?response_type=code&client_id=shop-web&redirect_uri=https%3A%2F%2Fwww.shop.example%2Fcallback&scope=openid%20profile&state=${state}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&nonce=n${n}`;
  const callback = `https://www.shop.example/callback?code=${code}&state=${state}`;
  const base = (method, url, status, extra = {}) => ({
    startedDateTime: new Date(time++).toISOString(),
    time: 20,
    _resourceType: extra.type ?? 'document',
    request: { method, url, httpVersion: 'http/2.0', headers: extra.headers ?? [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...(extra.postData ? { postData: extra.postData } : {}) },
    response: { status, statusText: '', httpVersion: 'http/2.0', headers: extra.responseHeaders ?? [], cookies: [], content: extra.content ?? { size: 0, mimeType: 'text/html' }, redirectURL: extra.location ?? '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 0, wait: 10, receive: 1 },
  });
  return [
    base('GET', authorize, 302, { location: callback, responseHeaders: [h('location', callback)] }),
    base('GET', callback, 200, { content: { size: 20, mimeType: 'text/html', text: '<html>signed in</html>' } }),
    base('POST', 'https://login.idp.example/oauth2/v2/token', 200, {
      type: 'fetch',
      headers: [h('origin', 'https://www.shop.example'), h('content-type', 'application/x-www-form-urlencoded')],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: `grant_type=authorization_code&code=${code}&redirect_uri=https%3A%2F%2Fwww.shop.example%2Fcallback&client_id=shop-web&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk` },
      responseHeaders: [h('content-type', 'application/json'), h('cache-control', 'no-store')],
      content: { size: 100, mimeType: 'application/json', text: JSON.stringify({ access_token: `at-${n}-2YotnFZFEjr1zCsicMWpAA`, token_type: 'Bearer', expires_in: 3600 }) },
    }),
    base('GET', 'https://api.shop.example/userinfo', 200, { type: 'fetch', headers: [h('authorization', `Bearer at-${n}-2YotnFZFEjr1zCsicMWpAA`)] }),
    base('GET', 'https://cdn.shop.example/img/avatar.png', 200, { type: 'image', headers: [h('referer', callback)] }),
  ];
}

/** Writes `count` entries (about `flows` OAuth flows among them) to `file`; resolves to its size in bytes. */
export async function generateHar(file, { count = 100_000, flows = 20, seed = 42 } = {}) {
  const rand = random(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (chunk) => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"startedDateTime":"2026-11-22T10:00:00.000Z","id":"page_1","title":"https://www.shop.example/","pageTimings":{}}],"entries":[');
  let time = Date.parse('2026-11-22T10:00:00.000Z');
  const every = Math.floor(count / (flows + 1));
  let written = 0;
  let batch = [];
  let first = true;
  const flush = async () => {
    await write((first ? '' : ',') + batch.join(','));
    first = false;
    batch = [];
  };
  for (let i = 0; written < count; i++) {
    const entries = i > 0 && i % every === 0 && written + 5 <= count ? oauthFlow(i, time) : [ordinaryEntry(rand, time, 'https://www.shop.example/products')];
    time += 7;
    for (const entry of entries) {
      batch.push(JSON.stringify(entry));
      written++;
    }
    if (batch.length >= 1000) await flush();
  }
  if (batch.length) await flush();
  await write(']}}');
  out.end();
  await once(out, 'finish');
  return bytes;
}
