/**
 * The client app (app.example.test, and insecure.example.test over plain
 * HTTP), the API (api.example.test) and a third party (tracker.example.test).
 * Pages are real HTML with the inline client script (client-script.ts); the
 * confidential variant redeems its code here, on the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import { CLIENT_SCRIPT } from './client-script.ts';
import { CLIENT_SCRIPT_MODERN } from './client-script-modern.ts';
import { TOKEN_WORKER_SCRIPT } from './token-worker-script.ts';
import { escapeHtml, readBody, requestUrl, cors, sendJson, sendHtml, redirect } from './http-util.ts';
import { CONFIDENTIAL_SECRET, OP_CLIENTS, type ClientKeys, type NodeHandler } from './provider.ts';
import { createBff, postToOp } from './bff.ts';
import { VARIANTS, variantByName } from './variants.ts';
import { serveLibraryRoute } from './library-pages.ts';

export interface AppOptions {
  /** Origin builders (see flawed-clients.ts Origins). */
  https(name: string): string;
  http(name: string): string;
  /** Where the app server reaches the HTTPS listener for its server-side token request. */
  httpsPort: number;
  /** Discovery/endpoints per authorization server name, for the page. */
  as: Record<string, { discovery?: string; authorize?: string; token?: string; userinfo?: string }>;
  /** Private keys of the oidc-provider clients that sign (lens-fapi, lens-jar), for the page. */
  clientKeys: ClientKeys;
}

const VARIANT_COOKIE = 'lens_variant';
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function cookie(req: IncomingMessage, name: string): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie ?? '');
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function page(title: string, body: string, config: unknown): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,"></head>
<body><h1>${escapeHtml(title)}</h1>${body}<ol id="log"></ol>
<script type="application/json" id="lens-config">${json}</script>
<script>'use strict';${CLIENT_SCRIPT_MODERN}${CLIENT_SCRIPT}</script></body></html>`;
}

export function createApp(opts: AppOptions): { app: NodeHandler; api: NodeHandler; tracker: NodeHandler } {
  const serverLogins = new Map<string, { verifier: string }>();
  const bff = createBff({
    app: opts.https('app'),
    op: opts.https('op'),
    httpsPort: opts.httpsPort,
    weakCookie: (name) => variantByName(name)?.bff === 'weak-cookie',
  });
  const app: NodeHandler = (req, res) => {
    void handleApp(req, res).catch((err: unknown) => {
      console.error('[app]', err);
      if (!res.headersSent) sendHtml(res, 500, '<h1 id="failed">server error</h1>');
    });
  };

  async function handleApp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const insecure = !('encrypted' in req.socket && req.socket.encrypted);
    const url = requestUrl(req, insecure ? 'http' : 'https');
    const origin = insecure ? opts.http('insecure') : opts.https('app');
    const chosen = url.searchParams.get('variant') ?? cookie(req, VARIANT_COOKIE);
    const variant = chosen ? variantByName(chosen) : undefined;
    const headers: Record<string, string> = {};
    if (!variant?.noReferrerPolicy) headers['Referrer-Policy'] = 'no-referrer';
    const base = { origin, api: opts.https('api'), tracker: opts.https('tracker'), as: opts.as, variants: VARIANTS, keys: opts.clientKeys };
    const html = (title: string, body: string, config: Record<string, unknown>) =>
      sendHtml(res, 200, page(title, body, { ...base, ...config }), { ...headers, 'Cache-Control': 'no-store' });

    // The library variants (library-variants.ts) and the /lib/ files they load.
    if (url.pathname === '/' && variant?.library) headers['Set-Cookie'] = `${VARIANT_COOKIE}=${encodeURIComponent(variant.name)}; Path=/; SameSite=Lax; Secure`;
    if (serveLibraryRoute(url.pathname, variant, res, headers, { origin, op: opts.https('op'), auth0: opts.https('auth0') })) return;

    switch (url.pathname) {
      case '/': {
        if (url.searchParams.has('variant') && variant) {
          headers['Set-Cookie'] = `${VARIANT_COOKIE}=${encodeURIComponent(variant.name)}; Path=/; SameSite=Lax${insecure ? '' : '; Secure'}`;
        }
        if (!variant) {
          const list = VARIANTS.map((v) => `<li><a href="/?variant=${v.name}">${v.name}</a>: ${escapeHtml(v.description)}</li>`).join('');
          return html('OAuth Lens demo', `<ul>${list}</ul>`, { page: 'index', variant: null });
        }
        const serverResult = url.searchParams.get('signed_in') ? 'signed in (server-side token exchange)' : url.searchParams.get('result');
        return html(`Demo: ${variant.name}`, `<p>${escapeHtml(variant.description)}</p><button id="login">Log in</button>`, {
          page: 'index',
          variant: variant.name,
          serverResult,
          bffSignedIn: url.searchParams.has('bff'),
        });
      }
      case '/callback': {
        let posted: Record<string, string> | null = null;
        if (req.method === 'POST') posted = Object.fromEntries(new URLSearchParams(await readBody(req)));
        return html('Signing you in', '', { page: 'callback', posted });
      }
      case '/callback/continue': {
        // An open redirector: sends the browser (and every other parameter) on to `to`.
        const to = new URL(url.searchParams.get('to') ?? '/', origin);
        for (const [k, v] of url.searchParams) if (k !== 'to') to.searchParams.append(k, v);
        return redirect(res, 302, to.toString(), headers);
      }
      case '/popup-callback':
      case '/silent-callback':
        return html('Signing you in', '', { page: url.pathname.slice(1) });
      case '/logged-out':
        return html('Signed out', '<p>You are signed out.</p>', { page: 'logged-out' });
      // The token worker of worker-token (a Web Worker) and service-worker-token (the service worker).
      case '/token-worker.js':
      case '/token-sw.js':
        res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(TOKEN_WORKER_SCRIPT);
        return;
      case '/verify-email':
        return html('Email verification', '<p>Thanks for confirming your address.</p>', { page: 'verify-email' });
      case '/products':
        return sendJson(res, 200, { page: Number(url.searchParams.get('page') ?? 1), items: ['lens', 'tripod'] }, headers);
      case '/api/token-usage':
        return sendJson(res, 200, { period: 'month', tokensUsed: 1234 }, headers);
      case '/auth/help':
        return sendHtml(res, 200, '<p>Forgot your password? Ask an admin.</p>', headers);
      case '/giftcard/redeem':
        await readBody(req);
        return sendJson(res, 200, { redeemed: true, balance: 25 }, headers);
      case '/server/login':
        return serverLogin(res, headers);
      case '/server/callback':
        return serverCallback(url, res, headers);
      default:
        if (await bff(req, res, url, headers)) return;
        return sendHtml(res, 404, '<h1>not found</h1>', headers);
    }
  }

  function serverLogin(res: ServerResponse, headers: Record<string, string>): void {
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    serverLogins.set(state, { verifier });
    const q = new URLSearchParams({
      client_id: OP_CLIENTS.confidential,
      response_type: 'code',
      redirect_uri: `${opts.https('app')}/server/callback`,
      scope: 'openid profile',
      state,
      nonce: randomBytes(32).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    redirect(res, 303, `${opts.https('op')}/auth?${q}`, headers);
  }

  async function serverCallback(url: URL, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const state = url.searchParams.get('state') ?? '';
    const login = serverLogins.get(state);
    serverLogins.delete(state);
    const code = url.searchParams.get('code');
    if (!login || !code) {
      const why = url.searchParams.get('error') ?? 'state mismatch';
      return redirect(res, 303, `/?variant=confidential&result=${encodeURIComponent(`error: ${why}`)}`, headers);
    }
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${opts.https('app')}/server/callback`,
      code_verifier: login.verifier,
    }).toString();
    const status = await postToOp({ op: opts.https('op'), httpsPort: opts.httpsPort }, OP_CLIENTS.confidential, CONFIDENTIAL_SECRET, body);
    const target = status === 200 ? '/?variant=confidential&signed_in=1' : `/?variant=confidential&result=${encodeURIComponent(`token error ${status}`)}`;
    redirect(res, 303, target, headers);
  }

  const api: NodeHandler = (req, res) => {
    if (cors(req, res)) return;
    const url = requestUrl(req);
    if (url.pathname === '/v1/tokens') return sendJson(res, 200, { page: 2, tokens: [] });
    const auth = req.headers.authorization;
    if (!auth && !url.searchParams.has('access_token')) {
      return sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer' });
    }
    sendJson(res, 200, { sub: 'user', scheme: auth?.split(' ')[0] ?? 'query' });
  };

  const tracker: NodeHandler = (req, res) => {
    const url = requestUrl(req);
    if (url.pathname === '/landing') {
      return sendHtml(res, 200, '<!doctype html><title>Welcome</title><link rel="icon" href="data:,"><p id="done">landed on the third party (with whatever the URL carried)</p>', { 'Referrer-Policy': 'no-referrer' });
    }
    if (url.pathname === '/pixel.gif' || url.pathname === '/collect') {
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
      res.end(GIF);
      return;
    }
    sendHtml(res, 404, 'not found');
  };

  return { app, api, tracker };
}
