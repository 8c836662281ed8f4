/**
 * The flawed authorization server's token endpoint: authorization_code (with
 * or without grant_type, GitHub style), refresh_token and, for the clients
 * that allow it, password; by POST, or by GET for the `get-token` flaw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, requestUrl, sendJson } from './http-util.ts';
import type { FlawedClient, Tenant } from './flawed-clients.ts';
import { mintIdToken, randomToken, s256, type Keys } from './flawed-tokens.ts';
import type { ModernAs } from './flawed-modern.ts';

export interface IssuedCode {
  client: FlawedClient;
  tenant: Tenant;
  redirectUri: string;
  scope: string;
  nonce?: string;
  challenge?: string;
  method?: string;
  used: boolean;
}

export interface RefreshGrant {
  client: FlawedClient;
  tenant: Tenant;
  scope: string;
  rotated: boolean;
  /** The DPoP key thumbprint the refresh token is bound to (RFC 9449 §5). */
  jkt?: string;
}

export interface TokenState {
  keys: Keys;
  modern: ModernAs;
  clients: Map<string, FlawedClient>;
  codes: Map<string, IssuedCode>;
  refreshTokens: Map<string, RefreshGrant>;
  accessTokens: Set<string>;
}

function tokenHeaders(client: FlawedClient): Record<string, string> {
  return client.flaws.has('no-cache-control') ? {} : { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
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

export async function tokenEndpoint(state: TokenState, req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
  const { keys, clients, codes, refreshTokens, accessTokens, modern } = state;
  const url = requestUrl(req);
  const form = req.method === 'GET' ? url.searchParams : new URLSearchParams(await readBody(req));
  const auth = clientAuth(req, form);
  const client = clients.get(auth.id ?? '');
  const fail = (error: string, description: string, status = 400) =>
    sendJson(res, status, { error, error_description: description }, { 'Cache-Control': 'no-store' });
  if (!client || client.tenant !== tenant.name) return fail('invalid_client', 'unknown client', 401);
  if (req.method === 'GET' && !client.flaws.has('get-token')) return fail('invalid_request', 'use POST', 405);
  if (client.secret !== undefined && auth.secret !== client.secret) return fail('invalid_client', 'bad client secret', 401);
  const ignoreDpop = client.flaws.has('dpop-ignore');
  const proof = ignoreDpop ? {} : await modern.dpop(req, `${url.origin}${url.pathname}`, client);
  if (proof.error !== undefined) return fail('invalid_dpop_proof', proof.error);
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
    if (old.jkt !== undefined && old.jkt !== proof.jkt && !client.flaws.has('dpop-refresh-unbound')) {
      return fail('invalid_grant', 'refresh token bound to another DPoP key');
    }
    scope = old.scope;
  } else if (grant === 'password' && client.flaws.has('password-grant')) {
    if (!form.get('username') || !form.get('password')) return fail('invalid_grant', 'bad credentials');
    scope = form.get('scope') ?? '';
  } else {
    return fail('unsupported_grant_type', `grant_type ${grant || '(none)'} not supported`);
  }

  const accessToken = randomToken(32);
  accessTokens.add(accessToken);
  const bound = proof.jkt !== undefined || client.flaws.has('dpop-type-without-proof');
  const body: Record<string, string | number> = { access_token: accessToken, token_type: bound ? 'DPoP' : 'Bearer', expires_in: 3600, scope };
  if (tenant.name !== 'github') {
    let refresh = randomToken(32);
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const old = refreshTokens.get(presented);
      if (client.flaws.has('no-rotate')) refresh = presented;
      else if (old) old.rotated = true;
    }
    const grantRecord: RefreshGrant = { client, tenant, scope, rotated: false };
    if (proof.jkt !== undefined) grantRecord.jkt = proof.jkt;
    refreshTokens.set(refresh, grantRecord);
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
