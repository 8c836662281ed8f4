/**
 * The browser side of the demo app: one plain script (served inline) that
 * runs every variant. PKCE, DPoP and SHA-256 are written by hand on WebCrypto,
 * with a pure-JS SHA-256 for the plain-HTTP origin, where crypto.subtle does
 * not exist. Progress ends in `#done` (or `#failed`) for Playwright.
 */
export const CLIENT_SCRIPT = String.raw`
'use strict';
const cfg = JSON.parse(document.getElementById('lens-config').textContent);
const PENDING = 'oauth-lens-demo:pending';
const FIXED_STATE = 'c3RhdGUtd3JpdHRlbi1vbmNlLWJ5LWEtYnVzeS1kZXY';
const FIXED_VERIFIER = 'dmVyaWZpZXItd3JpdHRlbi1vbmNlLWJ5LWEtYnVzeS1k';
const enc = new TextEncoder();
const logEl = document.getElementById('log');
function log(m) { const li = document.createElement('li'); li.textContent = m; logEl.append(li); }
function mark(id, text) { const p = document.createElement('p'); p.id = id; p.textContent = text; document.body.append(p); }
const done = (t) => mark('done', t);
const failed = (t) => mark('failed', t);
function b64url(bytes) { let s = ''; for (const b of bytes) s += String.fromCharCode(b); return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
function rand(n) { return b64url(crypto.getRandomValues(new Uint8Array(n))); }
function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }
function ror(x, n) { return (x >>> n) | (x << (32 - n)); }
function sha256js(msg) {
  const H = [], K = [];
  for (let c = 2; K.length < 64; c++) {
    let prime = true;
    for (let d = 2; d * d <= c; d++) if (c % d === 0) { prime = false; break; }
    if (!prime) continue;
    if (H.length < 8) H.push((Math.sqrt(c) * 4294967296) | 0);
    K.push((Math.cbrt(c) * 4294967296) | 0);
  }
  const len = msg.length, total = ((len + 9 + 63) >> 6) << 6;
  const buf = new Uint8Array(total); buf.set(msg); buf[len] = 0x80;
  const dv = new DataView(buf.buffer); dv.setUint32(total - 4, len * 8);
  const W = new Int32Array(64);
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) W[i] = dv.getInt32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2];
      W[i] = (W[i - 16] + (ror(a, 7) ^ ror(a, 18) ^ (a >>> 3)) + W[i - 7] + (ror(b, 17) ^ ror(b, 19) ^ (b >>> 10))) | 0;
    }
    let [a, b, c, d, e, f, g, h] = H;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }
  const out = new Uint8Array(32), odv = new DataView(out.buffer);
  H.forEach((v, i) => odv.setInt32(i * 4, v));
  return out;
}
async function sha256(text) {
  const data = enc.encode(text);
  if (globalThis.crypto && crypto.subtle) return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return sha256js(data);
}

let dpopKey;
async function dpopProof(htm, htu, accessToken) {
  if (!dpopKey) dpopKey = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', dpopKey.publicKey);
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
  const payload = { jti: rand(16), htm, htu, iat: Math.floor(Date.now() / 1000) };
  if (accessToken) payload.ath = b64url(await sha256(accessToken));
  const input = b64url(enc.encode(JSON.stringify(header))) + '.' + b64url(enc.encode(JSON.stringify(payload)));
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, dpopKey.privateKey, enc.encode(input));
  return input + '.' + b64url(new Uint8Array(sig));
}

// Chromium drops the bodies of a page's responses when the page navigates away
// before the HAR recorder has read them; a short pause keeps discovery, JWKS
// and token responses in the capture (a real SPA spends that time rendering).
const settle = () => new Promise((r) => setTimeout(r, 400));

const variantNamed = (name) => cfg.variants.find((v) => v.name === name);

async function discover(V) {
  const as = cfg.as[V.as];
  if (!as.discovery) return { authorization_endpoint: as.authorize, token_endpoint: as.token, userinfo_endpoint: as.userinfo };
  const doc = await (await fetch(as.discovery)).json();
  // Real OIDC libraries fetch the keys to validate ID tokens; it also puts the JWKS in the capture.
  if (doc.jwks_uri) await (await fetch(doc.jwks_uri)).json();
  return doc;
}

async function startLogin(V, seq, target, popup) {
  // Mix-up variants: every second login goes to another AS through the same redirect_uri.
  const A = V.alt && seq % 2 === 0 ? Object.assign({}, V, V.alt) : V;
  const meta = await discover(A);
  const path = target === 'popup' ? '/popup-callback' : target === 'silent' ? '/silent-callback' : '/callback';
  const redirectUri = V.openRedirect ? cfg.origin + '/callback/continue?to=' + encodeURIComponent(cfg.tracker + '/landing') : cfg.origin + path;
  const p = { variant: V.name, seq, target, redirectUri, clientId: A.clientId, issuer: meta.issuer || null, tokenEndpoint: meta.token_endpoint, userinfo: meta.userinfo_endpoint || null, endSession: meta.end_session_endpoint || null };
  const q = new URLSearchParams();
  q.set('client_id', A.clientId);
  q.set('response_type', V.responseType);
  q.set('redirect_uri', p.redirectUri);
  q.set('scope', A.scope);
  if (V.state === 'random') p.state = rand(32);
  else if (V.state === 'timestamp') p.state = String(Date.now());
  else if (V.state === 'fixed') p.state = FIXED_STATE;
  if (p.state !== undefined) q.set('state', p.state);
  if (V.nonce) { p.nonce = rand(32); q.set('nonce', p.nonce); }
  if (V.pkce !== 'none') {
    p.verifier = V.pkce === 'fixed-verifier' ? FIXED_VERIFIER : V.pkce === 'short-verifier' ? rand(24) : rand(32);
    if (V.pkce === 'plain') { q.set('code_challenge', p.verifier); q.set('code_challenge_method', 'plain'); }
    else if (V.pkce === 'hex-challenge') { q.set('code_challenge', hex(await sha256(p.verifier))); q.set('code_challenge_method', 'S256'); }
    else if (V.pkce !== 'downgrade') { q.set('code_challenge', b64url(await sha256(p.verifier))); q.set('code_challenge_method', 'S256'); }
  }
  if (V.responseMode) q.set('response_mode', V.responseMode);
  if (target === 'silent' || (V.instantRelogin && seq > 1)) q.set('prompt', 'none');
  // The cancel variants need the login page even when a session already exists.
  if (V.cancel) q.set('prompt', 'login');
  const url = await authorizationUrl(V, meta, p, q);
  localStorage.setItem(PENDING, JSON.stringify(p));
  log('authorization request ' + seq + ' (' + target + ')');
  if (target === 'popup') popup.location.href = url;
  else if (target === 'silent') {
    const frame = document.createElement('iframe');
    frame.hidden = true; frame.id = 'silent-frame'; frame.src = url;
    document.body.append(frame);
  } else {
    await settle();
    location.assign(url);
  }
}

let firstProof;
async function tokenRequest(V, endpoint, body, p) {
  if (V.tokenSender) return tokenRequestVia(V, endpoint, body);
  const t = V.token || {};
  const headers = {};
  if (t.acceptJson) headers.Accept = 'application/json';
  if (t.dpop === 'replay') headers.DPoP = firstProof || (firstProof = await dpopProof('POST', endpoint));
  else if (t.dpop) headers.DPoP = await dpopProof('POST', t.dpop === 'bad-htu' ? cfg.origin + '/token' : endpoint);
  if (t.auth === 'private_key_jwt' && p) for (const [k, v] of Object.entries(await clientAssertion(p))) body.set(k, v);
  let res;
  if (t.method === 'GET') res = await fetch(endpoint + '?' + body, { headers });
  else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    res = await fetch(endpoint, { method: 'POST', headers, body });
  }
  const text = await res.text();
  const data = (res.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
  log('token response ' + res.status);
  return data;
}

function redeem(V, p, code) {
  const t = V.token || {};
  const body = new URLSearchParams();
  if (!t.noGrantType) body.set('grant_type', 'authorization_code');
  body.set('code', code);
  body.set('redirect_uri', t.otherRedirectUri ? cfg.origin + '/oauth/return' : p.redirectUri);
  body.set('client_id', p.clientId || V.clientId);
  if (p.verifier !== undefined && V.pkce !== 'omit-verifier') body.set('code_verifier', V.pkce === 'wrong-verifier' ? rand(32) : p.verifier);
  if (t.secret === 'post') body.set('client_secret', V.clientSecret);
  return tokenRequest(V, p.tokenEndpoint, body, p);
}

async function afterSteps(V, p, tokens) {
  const at = tokens.access_token;
  for (const step of V.after || []) {
    if (step === 'api-bearer') await fetch(cfg.api + '/v1/me', { headers: { Authorization: 'Bearer ' + at } });
    else if (step === 'api-query') await fetch(cfg.api + '/v1/me?access_token=' + encodeURIComponent(at));
    else if (step === 'api-dpop') {
      const u = cfg.api + '/v1/me';
      await fetch(u, { headers: { Authorization: 'DPoP ' + at, DPoP: await dpopProof('GET', u, at) } });
    } else if (step === 'userinfo') await fetch(p.userinfo, { headers: { Authorization: 'Bearer ' + at } });
    else if (step === 'refresh') {
      // With tokenSender 'worker' the page never sees the refresh token: the worker fills it in.
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token || '', client_id: p.clientId || V.clientId });
      const renewed = await tokenRequest(V, p.tokenEndpoint, body, p);
      if (!renewed.access_token) throw new Error('refresh failed: ' + (renewed.error || 'no access_token'));
    } else if (step === 'logout-get' || step === 'logout-post') {
      await logout(p, tokens, step === 'logout-post');
      return 'navigated';
    } else if (step === 'store-local') {
      localStorage.setItem('access_token', at);
      if (tokens.refresh_token) localStorage.setItem('refresh_token', tokens.refresh_token);
    }
  }
}

function loadImage(src, policy) {
  return new Promise((resolve) => {
    const img = new Image();
    if (policy) img.referrerPolicy = policy;
    img.onload = img.onerror = resolve;
    img.src = src;
    img.width = 1; img.height = 1;
    document.body.append(img);
  });
}

function callbackParams(url, posted) {
  if (posted && (posted.code || posted.error || posted.id_token || posted.access_token || posted.response)) return unwrapJarm(new URLSearchParams(posted));
  if (url.hash.length > 1) return unwrapJarm(new URLSearchParams(url.hash.slice(1)));
  return unwrapJarm(url.searchParams);
}

async function handleCallback(url, posted, inFrame) {
  const raw = localStorage.getItem(PENDING);
  if (!raw) return failed('no pending login');
  const p = JSON.parse(raw);
  localStorage.removeItem(PENDING);
  const V = variantNamed(p.variant);
  const params = callbackParams(url, posted);
  if (V.refererImage) await loadImage(cfg.tracker + '/pixel.gif?p=callback', 'unsafe-url');
  if ((V.after || []).includes('beacon')) await loadImage(cfg.tracker + '/collect?v=1&t=pageview&dl=' + encodeURIComponent(url.href));
  if (!inFrame) history.replaceState(null, '', location.pathname + '?variant=' + encodeURIComponent(V.name));
  const error = params.get('error');
  if (error && V.instantRelogin && p.seq > 1) return failed('no instant redirect: ' + error);
  if (error) { log('authorization error ' + error); return done('authorization error: ' + error); }
  if (p.state !== undefined && params.get('state') !== p.state && !V.lenientState) return failed('state mismatch');
  let tokens = {};
  if (params.get('code')) tokens = await redeem(V, p, params.get('code'));
  else if (params.get('access_token')) tokens = { access_token: params.get('access_token'), id_token: params.get('id_token') };
  if (!tokens.access_token) return failed('no access token: ' + (tokens.error || 'none'));
  if (p.target !== 'silent' && (await afterSteps(V, p, tokens)) === 'navigated') return;
  if (p.target !== 'silent' && V.logins && p.seq < V.logins) return startLogin(V, p.seq + 1, 'redirect');
  if (V.silentRenew && p.target !== 'silent') return startLogin(V, p.seq + 1, 'silent');
  done('signed in (' + p.seq + ' login' + (p.seq > 1 ? 's' : '') + ')');
}

async function passwordLogin(V) {
  const meta = await discover(V);
  const body = new URLSearchParams({ grant_type: 'password', username: 'demo', password: 'demo-password', client_id: V.clientId, scope: V.scope });
  const tokens = await tokenRequest(V, meta.token_endpoint, body);
  if (!tokens.access_token) return failed('password grant refused');
  done('signed in (password grant)');
}

async function refreshOnly(V) {
  const meta = await discover(V);
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: window.__lensRefreshToken || 'none', client_id: V.clientId });
  const tokens = await tokenRequest(V, meta.token_endpoint, body);
  if (!tokens.access_token) return failed('refresh refused: ' + (tokens.error || 'no access_token'));
  done('refreshed');
}

async function nonOAuth() {
  await fetch('/products?state=2&page=3');
  await fetch('/api/token-usage?period=month');
  await fetch('/auth/help');
  await fetch(cfg.api + '/v1/tokens?page=2');
  await fetch('/giftcard/redeem', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'code=GIFT-2026-ABCD&email=demo%40example.test' });
  await settle();
  location.assign('/verify-email?code=123&state=open');
}

function start(V) {
  window.__lensStarted = true;
  if (V.mode === 'server') return location.assign('/server/login?variant=' + encodeURIComponent(V.name));
  if (V.mode === 'bff') return location.assign('/bff/login?variant=' + encodeURIComponent(V.name));
  if (V.mode === 'password') return passwordLogin(V);
  if (V.mode === 'refresh-only') return refreshOnly(V);
  if (V.nonOAuth) return nonOAuth();
  if (V.tokenSender === 'service-worker') return registerTokenServiceWorker().then(() => startLogin(V, 1, 'redirect'));
  if (V.mode === 'popup') {
    const popup = window.open('about:blank', 'lens-login', 'popup,width=480,height=640');
    return startLogin(V, 1, 'popup', popup);
  }
  return startLogin(V, 1, 'redirect');
}

// --- token requests sent by a Web Worker or the site's service worker (lens/workers) ---
// The worker script is demo/token-worker-script.ts, served at /token-worker.js and /token-sw.js.
let tokenWorker;
async function tokenSenderOf(V) {
  if (V.tokenSender === 'worker') return tokenWorker || (tokenWorker = new Worker('/token-worker.js'));
  return (await navigator.serviceWorker.ready).active;
}
async function tokenRequestVia(V, endpoint, body) {
  const sender = await tokenSenderOf(V);
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => { channel.port1.onmessage = (e) => resolve(e.data); });
  sender.postMessage({ type: 'lens-token', endpoint, body: body.toString() }, [channel.port2]);
  const { status, data } = await answer;
  log('token response ' + status + ' (sent by the ' + V.tokenSender + ')');
  return data;
}
async function registerTokenServiceWorker() {
  await navigator.serviceWorker.register('/token-sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  log('token service worker active');
}

window.addEventListener('message', (e) => {
  if (e.origin !== location.origin || !e.data || e.data.type !== 'lens-callback') return;
  handleCallback(new URL(e.data.href), null, true).catch((err) => failed(String(err)));
});

const run = {
  index() {
    const V = cfg.variant && variantNamed(cfg.variant);
    if (cfg.serverResult) return done(cfg.serverResult);
    if (cfg.bffSignedIn) return bffMe();
    if (!V) return;
    document.getElementById('login').addEventListener('click', () => Promise.resolve(start(V)).catch((err) => failed(String(err))));
  },
  callback() { return handleCallback(new URL(location.href), cfg.posted, false); },
  'popup-callback'() { window.opener.postMessage({ type: 'lens-callback', href: location.href }, location.origin); window.close(); },
  'silent-callback'() { parent.postMessage({ type: 'lens-callback', href: location.href }, location.origin); },
  'verify-email'() { done('email address verified'); },
  'logged-out'() { done('signed out'); },
};
Promise.resolve(run[cfg.page]()).catch((err) => failed(String(err)));
`;
