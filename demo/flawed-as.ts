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
import { makeKeys, mintIdToken, randomToken } from './flawed-tokens.ts';
import { tokenEndpoint, type IssuedCode, type TokenState } from './flawed-token-endpoint.ts';
import { ModernAs, frameHeaders } from './flawed-modern.ts';
import type { NodeHandler } from './provider.ts';

interface PendingAuthorization {
  client: FlawedClient;
  tenant: Tenant;
  params: Record<string, string>;
}

const ENDPOINTS = ['discovery', 'authorize', 'login', 'token', 'jwks', 'userinfo', 'par', 'endSession'] as const;
const FRONT_CHANNEL: ReadonlySet<string> = new Set(['authorize', 'login', 'endSession']);
type Route = { tenant: Tenant; endpoint: (typeof ENDPOINTS)[number] };

export async function createFlawedAs(origins: Origins): Promise<{ handler: NodeHandler; hosts: string[] }> {
  const keys = await makeKeys();
  const allTenants = tenants(origins);
  const clients = new Map(flawedClients(origins).map((c) => [c.id, c]));
  const pending = new Map<string, PendingAuthorization>();
  const modern = new ModernAs(keys, clients);
  const state: TokenState = { keys, clients, modern, codes: new Map(), refreshTokens: new Map(), accessTokens: new Set() };
  const { codes, accessTokens } = state;

  const routes = new Map<string, Route>();
  for (const tenant of allTenants) {
    for (const endpoint of ENDPOINTS) {
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
      response_modes_supported: ['query', 'fragment', 'form_post', 'jwt', 'query.jwt', 'fragment.jwt', 'form_post.jwt'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'password'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256', 'plain'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      authorization_response_iss_parameter_supported: t.issParameter,
      authorization_signing_alg_values_supported: ['RS256'],
      request_parameter_supported: true,
      request_object_signing_alg_values_supported: ['none', 'RS256'],
      dpop_signing_alg_values_supported: ['ES256', 'PS256', 'RS256', 'EdDSA'],
      ...(t.par ? { pushed_authorization_request_endpoint: t.par } : {}),
      ...(t.endSession ? { end_session_endpoint: t.endSession } : {}),
    };
  }

  function redirectAllowed(client: FlawedClient, uri: string): boolean {
    if (client.flaws.has('prefix-redirect')) return client.redirectUris.some((r) => uri.startsWith(r));
    return client.redirectUris.includes(uri);
  }

  /** Sends the authorization response by the request's response_mode. */
  async function respond(res: ServerResponse, p: PendingAuthorization, out: Record<string, string>, status: number): Promise<void> {
    const { params, client, tenant } = p;
    if (params.state !== undefined) {
      if (client.flaws.has('state-mangle') && out.error === undefined) out.state = randomToken(32);
      else if (!(client.flaws.has('state-omit-on-error') && out.error !== undefined)) out.state = params.state;
    }
    if (tenant.issParameter && !client.flaws.has('iss-omit')) {
      out.iss = client.flaws.has('iss-wrong') ? 'https://sso.example.test/realms/master' : tenant.issuer;
    }
    const responseType = params.response_type ?? 'code';
    let mode = params.response_mode ?? (responseType === 'code' ? 'query' : 'fragment');
    if (mode.endsWith('jwt')) {
      // JARM: one `response` parameter; bare "jwt" means the response type's default mode.
      const response = await modern.jarm(tenant, client, out);
      for (const k of Object.keys(out)) delete out[k];
      out.response = response;
      mode = mode === 'jwt' ? (responseType === 'code' ? 'query' : 'fragment') : mode.slice(0, -4);
    }
    const target = params.redirect_uri ?? client.redirectUris[0] ?? '';
    if (mode === 'form_post') {
      sendHtml(res, 200, autoPostPage(target, out), { 'Cache-Control': 'no-store', ...frameHeaders(client) });
      return;
    }
    const url = new URL(target);
    const encoded = new URLSearchParams(out).toString();
    if (mode === 'fragment') url.hash = encoded;
    else for (const [k, v] of Object.entries(out)) url.searchParams.append(k, v);
    redirect(res, status, url.toString(), { 'Cache-Control': 'no-store' });
  }

  async function authorize(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
    const query = Object.fromEntries(requestUrl(req).searchParams);
    const client = clients.get(query.client_id ?? '');
    // A CORS answer on the authorization endpoint (RFC 9700 §2.6 says: never).
    if (client?.flaws.has('authorize-cors')) res.setHeader('Access-Control-Allow-Origin', '*');
    const page = (status: number, html: string) => sendHtml(res, status, html, frameHeaders(client));
    if (!client || client.tenant !== tenant.name) return page(400, '<h1 id="error">unknown client</h1>');
    const resolved = modern.resolve(query);
    if ('error' in resolved) return page(400, `<h1 id="error">${escapeHtml(resolved.error)}</h1>`);
    const { params } = resolved;
    const redirectUri = params.redirect_uri ?? client.redirectUris[0] ?? '';
    if (!redirectAllowed(client, redirectUri)) return page(400, '<h1 id="error">redirect_uri not registered</h1>');
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
      { 'Cache-Control': 'no-store', ...frameHeaders(client) },
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
    return respond(res, p, out, client.flaws.has('login-307') ? 307 : 303);
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^(?:Bearer|DPoP) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !accessTokens.has(bearer)) return sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    sendJson(res, 200, { sub: 'user', name: 'Demo user' });
  }

  const handler: NodeHandler = (req, res) => {
    const url = requestUrl(req);
    const route = routes.get(`${url.hostname}${url.pathname}`);
    if (!route) return sendHtml(res, 404, '<h1>not found</h1>');
    const { tenant, endpoint } = route;
    // CORS for what page script calls; never for the pages the browser navigates to.
    if (!FRONT_CHANNEL.has(endpoint) && cors(req, res)) return;
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
          return tokenEndpoint(state, req, res, tenant);
        case 'userinfo':
          return userinfo(req, res);
        case 'par':
          return modern.par(req, res, tenant, redirectAllowed);
        case 'endSession':
          return modern.endSession(req, res, url);
      }
    };
    run().catch((err: unknown) => {
      console.error('[flawed-as]', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  };
  return { handler, hosts };
}
