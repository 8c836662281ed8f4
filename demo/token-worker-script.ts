/**
 * The token worker of the worker-token and service-worker-token variants,
 * served by the app as /token-worker.js (a dedicated Web Worker) and as
 * /token-sw.js (the site's service worker). The page posts it a token
 * request ({ endpoint, body }) with a MessagePort for the answer.
 *
 * Like auth0-spa-js's token worker, it keeps refresh tokens to itself: it
 * strips them from the answers it hands the page and fills them into the
 * page's refresh requests (which carry an empty refresh_token).
 */
export const TOKEN_WORKER_SCRIPT = String.raw`
'use strict';
const refreshTokens = new Map();

async function send(message) {
  const body = new URLSearchParams(message.body);
  const key = message.endpoint + ' ' + body.get('client_id');
  if (body.get('grant_type') === 'refresh_token' && !body.get('refresh_token')) {
    const kept = refreshTokens.get(key);
    if (!kept) return { status: 0, data: { error: 'no refresh token kept in the worker' } };
    body.set('refresh_token', kept);
  }
  const res = await fetch(message.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const data = await res.json();
  if (data.refresh_token) {
    refreshTokens.set(key, data.refresh_token);
    delete data.refresh_token;
  }
  return { status: res.status, data };
}

self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port || !event.data || event.data.type !== 'lens-token') return;
  const work = send(event.data).then(
    (answer) => port.postMessage(answer),
    (err) => port.postMessage({ status: 0, data: { error: String(err) } }),
  );
  // A service worker stays alive until the answer is sent.
  if (typeof event.waitUntil === 'function') event.waitUntil(work);
});
// As a service worker: take over at once (it has no fetch handler, so it never intercepts a request).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
`;
