/**
 * A small, deliberately flawed authorization server on plain node:http(s).
 * Clean by default; every flaw is switched on per client (see
 * flawed-clients.ts). It serves several provider shapes (Google-, Microsoft-,
 * GitHub- and Keycloak-like paths and hosts) from one handler, routing by
 * Host header and path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, readBody, requestUrl, cors, sendJson, sendHtml, redirect, autoPostPage } from './http-util.ts';
import { flawedClients, tenants, type FlawedClient, type Origins, type Tenant } from './flawed-clients.ts';
import { makeKeys, mintIdToken, randomToken, s256 } from './flawed-tokens.ts';
import type { NodeHandler } from './provider.ts';

interface PendingAuthorization {
  client: FlawedClient;
  tenant: Tenant;
  params: Record<string, string>;
}

interface IssuedCode {
  client: FlawedClient;
  tenant: Tenant;
  redirectUri: string;
  scope: string;
  nonce?: string;
  challenge?: string;
  method?: string;
  used: boolean;
}

interface RefreshGrant {
  client: FlawedClient;
  tenant: Tenant;
  scope: string;
  rotated: boolean;
}

type Route = { tenant: Tenant; endpoint: 'discovery' | 'authorize' | 'login' | 'token' | 'jwks' | 'userinfo' };

export async function createFlawedAs(origins: Origins): Promise<{ handler: NodeHandler; hosts: string[] }> {
  const keys = await makeKeys();
  const allTenants = tenants(origins);
  const clients = new Map(flawedClients(origins).map((c) => [c.id, c]));
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const accessTokens = new Set<string>();

  const routes = new Map<string, Route>();
  for (const tenant of allTenants) {
    for (const endpoint of ['discovery', 'authorize', 'login', 'token', 'jwks', 'userinfo'] as const) {
      const url = tenant[endpoint];
      if (url === undefined) continue;
      const u = new URL(url);
      routes.set(`${u.hostname}${u.pathname}`, { tenant, endpoint });
    }
  }
  const hosts = [...new Set([...routes.keys()].map((k) => k.split('/')[0] ?? ''))];

  function metadata(t: Tenant): Record<string, unknown> {
    return {
      issuer: t.advertisedIssuer,
      authorization_endpoint: t.authorize,
      token_endpoint: t.token,
      jwks_uri: t.jwks,
      userinfo_endpoint: t.userinfo,
      response_types_supported: ['code', 'id_token', 'id_token token', 'code id_token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'password'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256', 'plain'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      authorization_response_iss_parameter_supported: t.issParameter,
    };
  }

  function tokenHeaders(client: FlawedClient): Record<string, string> {
    return client.flaws.has('no-cache-control') ? {} : { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  }

  function redirectAllowed(client: FlawedClient, uri: string): boolean {
    if (client.flaws.has('prefix-redirect')) return client.redirectUris.some((r) => uri.startsWith(r));
    return client.redirectUris.includes(uri);
  }

  /** Sends the authorization response by the request's response_mode. */
  function respond(res: ServerResponse, p: PendingAuthorization, out: Record<string, string>, status: number): void {
    const { params, client, tenant } = p;
    if (params.state !== undefined) {
      if (client.flaws.has('state-mangle') && out.error === undefined) out.state = randomToken(32);
      else if (!(client.flaws.has('state-omit-on-error') && out.error !== undefined)) out.state = params.state;
    }
    if (tenant.issParameter && !client.flaws.has('iss-omit')) {
      out.iss = client.flaws.has('iss-wrong') ? 'https://sso.example.test/realms/master' : tenant.issuer;
    }
    const responseType = params.response_type ?? 'code';
    const mode = params.response_mode ?? (responseType === 'code' ? 'query' : 'fragment');
    const target = params.redirect_uri ?? client.redirectUris[0] ?? '';
    if (mode === 'form_post') {
      sendHtml(res, 200, autoPostPage(target, out), { 'Cache-Control': 'no-store' });
      return;
    }
    const url = new URL(target);
    const encoded = new URLSearchParams(out).toString();
    if (mode === 'fragment') url.hash = encoded;
    else for (const [k, v] of Object.entries(out)) url.searchParams.append(k, v);
    redirect(res, status, url.toString(), { 'Cache-Control': 'no-store' });
  }

  function authorize(req: IncomingMessage, res: ServerResponse, tenant: Tenant): void {
    const params = Object.fromEntries(requestUrl(req).searchParams);
    const client = clients.get(params.client_id ?? '');
    if (!client || client.tenant !== tenant.name) return sendHtml(res, 400, '<h1 id="error">unknown client</h1>');
    const redirectUri = params.redirect_uri ?? client.redirectUris[0] ?? '';
    if (!redirectAllowed(client, redirectUri)) return sendHtml(res, 400, '<h1 id="error">redirect_uri not registered</h1>');
    const p: PendingAuthorization = { client, tenant, params: { ...params, redirect_uri: redirectUri } };
    const rt = params.response_type ?? 'code';
    if (rt.includes('id_token') && params.nonce === undefined && !client.flaws.has('allow-no-nonce')) {
      return respond(res, p, { error: 'invalid_request', error_description: 'nonce required' }, 303);
    }
    const rid = randomToken(16);
    pending.set(rid, p);
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><title>Sign in</title><link rel="icon" href="data:,"></head><body>
<h1>Sign in to ${escapeHtml(tenant.name)}</h1>
<form method="post" action="${escapeHtml(tenant.login)}">
<input type="hidden" name="rid" value="${rid}">
<input type="text" name="login" placeholder="login" required>
<input type="password" name="password" placeholder="password" required>
<button type="submit" name="action" value="login">Sign in</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form></body></html>`,
      { 'Cache-Control': 'no-store' },
    );
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const p = pending.get(form.get('rid') ?? '');
    if (!p) return sendHtml(res, 400, '<h1 id="error">unknown interaction</h1>');
    pending.delete(form.get('rid') ?? '');
    if (form.get('action') === 'cancel') {
      return respond(res, p, { error: 'access_denied', error_description: 'The user cancelled' }, 303);
    }
    const sub = form.get('login') || 'user';
    const { params, client, tenant } = p;
    const rt = (params.response_type ?? 'code').split(' ');
    const out: Record<string, string> = {};
    let code: string | undefined;
    let accessToken: string | undefined;
    if (rt.includes('code')) {
      code = randomToken(32);
      const issued: IssuedCode = { client, tenant, redirectUri: params.redirect_uri ?? '', scope: params.scope ?? '', used: false };
      if (params.nonce !== undefined) issued.nonce = params.nonce;
      if (params.code_challenge !== undefined) {
        issued.challenge = params.code_challenge;
        issued.method = params.code_challenge_method ?? 'plain';
      }
      codes.set(code, issued);
      out.code = code;
    }
    if (rt.includes('token')) {
      accessToken = randomToken(32);
      accessTokens.add(accessToken);
      Object.assign(out, { access_token: accessToken, token_type: 'Bearer', expires_in: '3600' });
    }
    if (rt.includes('id_token')) {
      const input = { issuer: tenant.issuer, clientId: client.id, sub, flaws: client.flaws } as Parameters<typeof mintIdToken>[1];
      if (params.nonce !== undefined) input.nonce = params.nonce;
      if (code !== undefined) input.code = code;
      if (accessToken !== undefined) input.accessToken = accessToken;
      out.id_token = await mintIdToken(keys, input);
    }
    respond(res, p, out, client.flaws.has('login-307') ? 307 : 303);
  }

  function clientAuth(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
    }
    const out: { id?: string; secret?: string } = {};
    const id = form.get('client_id');
    const secret = form.get('client_secret');
    if (id !== null) out.id = id;
    if (secret !== null) out.secret = secret;
    return out;
  }

  async function token(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
    const url = requestUrl(req);
    const form = req.method === 'GET' ? url.searchParams : new URLSearchParams(await readBody(req));
    const auth = clientAuth(req, form);
    const client = clients.get(auth.id ?? '');
    const fail = (error: string, description: string, status = 400) =>
      sendJson(res, status, { error, error_description: description }, { 'Cache-Control': 'no-store' });
    if (!client || client.tenant !== tenant.name) return fail('invalid_client', 'unknown client', 401);
    if (req.method === 'GET' && !client.flaws.has('get-token')) return fail('invalid_request', 'use POST', 405);
    if (client.secret !== undefined && auth.secret !== client.secret) return fail('invalid_client', 'bad client secret', 401);
    // GitHub-style token requests carry no grant_type.
    const grant = form.get('grant_type') ?? (tenant.name === 'github' ? 'authorization_code' : '');
    let scope = '';
    let nonce: string | undefined;
    if (grant === 'authorization_code') {
      const issued = codes.get(form.get('code') ?? '');
      if (!issued || issued.client !== client) return fail('invalid_grant', 'unknown code');
      if (issued.used && !client.flaws.has('code-reuse')) return fail('invalid_grant', 'code already used');
      if (!client.flaws.has('redirect-unchecked-at-token') && form.get('redirect_uri') !== issued.redirectUri) {
        return fail('invalid_grant', 'redirect_uri mismatch');
      }
      if (!client.flaws.has('ignore-pkce')) {
        const verifier = form.get('code_verifier');
        if (issued.challenge === undefined && verifier !== null) return fail('invalid_grant', 'unexpected code_verifier');
        if (issued.challenge !== undefined) {
          if (verifier === null) return fail('invalid_grant', 'code_verifier required');
          const computed = issued.method === 'S256' ? s256(verifier) : verifier;
          if (computed !== issued.challenge) return fail('invalid_grant', 'PKCE verification failed');
        }
      }
      issued.used = true;
      scope = issued.scope;
      nonce = issued.nonce;
    } else if (grant === 'refresh_token') {
      const old = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!old || old.client !== client) return fail('invalid_grant', 'unknown refresh token');
      if (old.rotated && !client.flaws.has('old-refresh-accepted')) return fail('invalid_grant', 'refresh token already used');
      scope = old.scope;
    } else if (grant === 'password' && client.flaws.has('password-grant')) {
      if (!form.get('username') || !form.get('password')) return fail('invalid_grant', 'bad credentials');
      scope = form.get('scope') ?? '';
    } else {
      return fail('unsupported_grant_type', `grant_type ${grant || '(none)'} not supported`);
    }

    const accessToken = randomToken(32);
    accessTokens.add(accessToken);
    const body: Record<string, string | number> = { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope };
    if (tenant.name !== 'github') {
      let refresh = randomToken(32);
      if (grant === 'refresh_token') {
        const presented = form.get('refresh_token') ?? '';
        const old = refreshTokens.get(presented);
        if (client.flaws.has('no-rotate')) refresh = presented;
        else if (old) old.rotated = true;
      }
      refreshTokens.set(refresh, { client, tenant, scope, rotated: false });
      body.refresh_token = refresh;
    }
    if (tenant.oidc && scope.split(' ').includes('openid') && grant !== 'refresh_token') {
      const input = { issuer: tenant.issuer, clientId: client.id, sub: form.get('username') ?? 'user', accessToken, flaws: client.flaws } as Parameters<typeof mintIdToken>[1];
      if (nonce !== undefined) input.nonce = nonce;
      body.id_token = await mintIdToken(keys, input);
    }
    const headers = tokenHeaders(client);
    const wantsJson = (req.headers.accept ?? '').includes('json');
    if (tenant.name === 'github' && !wantsJson) {
      res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers });
      res.end(new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString());
      return;
    }
    sendJson(res, 200, body, headers);
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^(?:Bearer|DPoP) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !accessTokens.has(bearer)) return sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    sendJson(res, 200, { sub: 'user', name: 'Demo user' });
  }

  const handler: NodeHandler = (req, res) => {
    if (cors(req, res)) return;
    const url = requestUrl(req);
    const route = routes.get(`${url.hostname}${url.pathname}`);
    if (!route) return sendHtml(res, 404, '<h1>not found</h1>');
    const { tenant, endpoint } = route;
    const run = async () => {
      switch (endpoint) {
        case 'discovery':
          return sendJson(res, 200, metadata(tenant), { 'Cache-Control': 'public, max-age=3600' });
        case 'jwks':
          return sendJson(res, 200, keys.jwks, { 'Cache-Control': 'public, max-age=3600' });
        case 'authorize':
          return authorize(req, res, tenant);
        case 'login':
          return login(req, res);
        case 'token':
          return token(req, res, tenant);
        case 'userinfo':
          return userinfo(req, res);
      }
    };
    run().catch((err: unknown) => {
      console.error('[flawed-as]', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  };
  return { handler, hosts };
}
