/**
 * The modern parts of the flawed authorization server: pushed authorization
 * requests (RFC 9126), request objects (RFC 9101), JARM responses, DPoP proofs
 * (RFC 9449) and RP-initiated logout. Correct by default; each flaw is a
 * client's (flawed-clients.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { readBody, redirect, sendJson, sendHtml } from './http-util.ts';
import type { FlawedClient, Tenant } from './flawed-clients.ts';
import { randomToken, type Keys } from './flawed-tokens.ts';

/** Headers every HTML page of the AS carries, unless the client's flaw says otherwise. */
export function frameHeaders(client: FlawedClient | undefined): Record<string, string> {
  if (client?.flaws.has('no-frame-protection')) return {};
  return { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' };
}

interface Pushed {
  clientId: string;
  params: Record<string, string>;
  expiresAt: number;
  used: boolean;
}

const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/** Decodes an unsigned (alg none) request object; undefined for anything else. */
export function unsignedRequestObject(jwt: string): Record<string, string> | undefined {
  try {
    if (decodeProtectedHeader(jwt).alg !== 'none') return undefined;
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return undefined;
  }
}

export type Resolved = { params: Record<string, string> } | { error: string };

export class ModernAs {
  private readonly pushed = new Map<string, Pushed>();
  private readonly seenJti = new Set<string>();

  constructor(
    private readonly keys: Keys,
    private readonly clients: Map<string, FlawedClient>,
  ) {}

  /** The authorization request's parameters after PAR and request objects. */
  resolve(query: Record<string, string>): Resolved {
    const client = this.clients.get(query.client_id ?? '');
    let params = { ...query };
    const uri = params.request_uri;
    if (uri !== undefined) {
      const p = this.pushed.get(uri);
      if (!p || p.clientId !== params.client_id) return { error: 'invalid request_uri' };
      if (p.expiresAt < Date.now()) return { error: 'request_uri expired' };
      if (p.used && !client?.flaws.has('par-reusable')) return { error: 'request_uri already used' };
      p.used = true;
      params = { ...p.params, client_id: p.clientId };
    }
    const request = params.request;
    if (request !== undefined) {
      const inner = unsignedRequestObject(request);
      if (!inner || !client?.flaws.has('request-unsigned')) return { error: 'invalid_request_object' };
      const { request: _drop, ...outer } = params;
      params = { ...outer, ...inner };
    }
    return { params };
  }

  /** POST to the PAR endpoint (public clients: no client authentication). */
  async par(req: IncomingMessage, res: ServerResponse, tenant: Tenant, redirectAllowed: (c: FlawedClient, uri: string) => boolean): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const client = this.clients.get(form.client_id ?? '');
    const fail = (error: string, status = 400) => sendJson(res, status, { error }, { 'Cache-Control': 'no-store' });
    if (req.method !== 'POST') return fail('invalid_request', 405);
    if (!client || client.tenant !== tenant.name) return fail('invalid_client', 401);
    if (form.request_uri !== undefined) return fail('invalid_request');
    if (!redirectAllowed(client, form.redirect_uri ?? '')) return fail('invalid_redirect_uri');
    const lifetime = client.flaws.has('par-long-lived') ? 3600 : 60;
    const uri = `${REQUEST_URI_PREFIX}${randomToken(24)}`;
    const { client_id: _id, ...params } = form;
    this.pushed.set(uri, { clientId: client.id, params, expiresAt: Date.now() + lifetime * 1000, used: false });
    sendJson(res, 201, { request_uri: uri, expires_in: lifetime }, { 'Cache-Control': 'no-store' });
  }

  /** A JARM response (JARM §2.1): the authorization response's parameters as a signed JWT. */
  jarm(tenant: Tenant, client: FlawedClient, out: Record<string, string>): Promise<string> {
    const { iss: _iss, ...claims } = out;
    const aud = client.flaws.has('jarm-bad-aud') ? 'another-app-client-id' : client.id;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.kid })
      .setIssuer(tenant.issuer)
      .setAudience(aud)
      .setExpirationTime('10m')
      .sign(this.keys.privateKey);
  }

  /**
   * Checks a DPoP proof (RFC 9449 §4.3): typ, asymmetric alg, public jwk,
   * signature, htm, htu, iat window, jti not seen before. Returns the key's
   * thumbprint, undefined without a proof, or an error.
   */
  async dpop(req: IncomingMessage, htu: string, client: FlawedClient): Promise<{ jkt?: string; error?: string }> {
    const proof = req.headers.dpop;
    if (typeof proof !== 'string') return {};
    try {
      const header = decodeProtectedHeader(proof);
      const jwk = header.jwk as JWK | undefined;
      if (header.typ !== 'dpop+jwt' || !jwk || jwk.d !== undefined || !header.alg || header.alg.startsWith('HS') || header.alg === 'none') {
        return { error: 'bad DPoP header' };
      }
      const { payload } = await jwtVerify(proof, await importJWK(jwk, header.alg), { typ: 'dpop+jwt', maxTokenAge: '5m', clockTolerance: 60 });
      if (payload.htm !== req.method || payload.htu !== htu) return { error: 'htm/htu mismatch' };
      const jti = typeof payload.jti === 'string' ? payload.jti : '';
      if (!jti) return { error: 'no jti' };
      if (this.seenJti.has(jti) && !client.flaws.has('dpop-replay')) return { error: 'DPoP proof replayed' };
      this.seenJti.add(jti);
      return { jkt: await calculateJwkThumbprint(jwk) };
    } catch {
      return { error: 'DPoP proof invalid' };
    }
  }

  /** RP-initiated logout, by GET or POST: back to a registered post_logout_redirect_uri. */
  async endSession(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const target = params.get('post_logout_redirect_uri');
    const clientId = params.get('client_id') ?? audOf(params.get('id_token_hint'));
    const client = this.clients.get(clientId ?? '');
    if (!target || !client?.postLogoutRedirectUris.includes(target)) {
      return sendHtml(res, 200, '<!doctype html><title>Signed out</title><h1 id="signed-out">You are signed out</h1>', frameHeaders(client));
    }
    const back = new URL(target);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    redirect(res, 303, back.toString(), { 'Cache-Control': 'no-store' });
  }
}

function audOf(idToken: string | null): string | undefined {
  if (!idToken) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown };
    return typeof payload.aud === 'string' ? payload.aud : undefined;
  } catch {
    return undefined;
  }
}
