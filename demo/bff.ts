/**
 * A backend-for-frontend on the app's origin (BBA §6.1): the server runs the
 * code flow with oidc-provider as the confidential client lens-bff, keeps the
 * tokens, and gives the browser only a session cookie, which the page then
 * sends to /bff/api/me. `weakCookie` drops HttpOnly and SameSite from it.
 *
 *   GET /bff/login?variant=…   -> 303 to oidc-provider /auth (state, nonce, PKCE S256)
 *   GET /bff/callback          -> server-side token request; Set-Cookie; 303 back to the page
 *   GET /bff/api/me            -> 200 with the session cookie, 401 without
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import { createHash, randomBytes } from 'node:crypto';
import { redirect, sendJson } from './http-util.ts';
import { BFF_SECRET, OP_CLIENTS } from './provider.ts';

export interface BffOptions {
  app: string;
  op: string;
  httpsPort: number;
  weakCookie(variant: string): boolean;
}

const rand = () => randomBytes(32).toString('base64url');

/** A token request from the app server to oidc-provider (never seen by the browser). */
export function postToOp(opts: { op: string; httpsPort: number }, clientId: string, secret: string, body: string): Promise<number> {
  const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
  const host = new URL(opts.op).host;
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: opts.httpsPort,
        servername: 'op.example.test',
        rejectUnauthorized: false,
        method: 'POST',
        path: '/token',
        headers: { Host: host, Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

export function createBff(opts: BffOptions) {
  const logins = new Map<string, { verifier: string; variant: string }>();
  const sessions = new Set<string>();
  const redirectUri = `${opts.app}/bff/callback`;

  function login(url: URL, res: ServerResponse, headers: Record<string, string>): void {
    const state = rand();
    const verifier = rand();
    logins.set(state, { verifier, variant: url.searchParams.get('variant') ?? '' });
    const q = new URLSearchParams({
      client_id: OP_CLIENTS.bff,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state,
      nonce: rand(),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    redirect(res, 303, `${opts.op}/auth?${q}`, headers);
  }

  async function callback(url: URL, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const state = url.searchParams.get('state') ?? '';
    const pending = logins.get(state);
    logins.delete(state);
    const code = url.searchParams.get('code');
    if (!pending || !code) return redirect(res, 303, '/?result=bff%20error', headers);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pending.verifier });
    const status = await postToOp(opts, OP_CLIENTS.bff, BFF_SECRET, body.toString());
    if (status !== 200) return redirect(res, 303, `/?variant=${encodeURIComponent(pending.variant)}&result=${encodeURIComponent(`token error ${status}`)}`, headers);
    const sid = rand();
    sessions.add(sid);
    const cookie = opts.weakCookie(pending.variant)
      ? `bff_session=${sid}; Path=/; Secure`
      : `__Host-bff_session=${sid}; Path=/; Secure; HttpOnly; SameSite=Lax`;
    redirect(res, 303, `/?variant=${encodeURIComponent(pending.variant)}&bff=1`, { ...headers, 'Set-Cookie': cookie });
  }

  function me(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    const cookies = (req.headers.cookie ?? '').split(/;\s*/);
    const ok = cookies.some((c) => {
      const [name, value] = c.split('=');
      return (name === 'bff_session' || name === '__Host-bff_session') && sessions.has(value ?? '');
    });
    if (!ok) return sendJson(res, 401, { error: 'no session' }, headers);
    sendJson(res, 200, { sub: 'demo-user', via: 'bff' }, { ...headers, 'Cache-Control': 'no-store' });
  }

  /** Handles /bff/* paths; false for anything else. */
  return async (req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>): Promise<boolean> => {
    if (url.pathname === '/bff/login') login(url, res, headers);
    else if (url.pathname === '/bff/callback') await callback(url, res, headers);
    else if (url.pathname === '/bff/api/me') me(req, res, headers);
    else return false;
    return true;
  };
}
