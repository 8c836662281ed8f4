/**
 * The real authorization server of the demo: oidc-provider 9.13 with the
 * in-memory adapter, generated keys and the development login/consent pages
 * (`input[name=login]`, `input[name=password]`, then a "Continue" button).
 *
 * Behaviour we rely on (all oidc-provider defaults unless set here): PKCE S256
 * required for public clients, `iss` in every authorization response
 * (RFC 9207), refresh tokens rotated for public clients, `Cache-Control:
 * no-store` on token responses, CORS only for the clients' own origins.
 * Enabled here: DPoP, PAR (required for lens-fapi), signed request objects
 * (JAR), JARM response modes, RP-initiated logout; every HTML page it serves
 * carries `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientMetadata, default as ProviderClass } from 'oidc-provider';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ProviderOrigins {
  /** `https://op.example.test:PORT` */
  issuer: string;
  /** `https://app.example.test:PORT` */
  app: string;
}

/** Client ids registered at the real provider. */
export const OP_CLIENTS = {
  spa: 'lens-spa',
  confidential: 'lens-web',
  implicit: 'lens-implicit',
  formPost: 'lens-form-post',
  /** FAPI 2.0-shaped: PAR required, DPoP-bound tokens, private_key_jwt (ES256), PS256 ID tokens. */
  fapi: 'lens-fapi',
  /** Signs its request objects (ES256) and sends them by value. */
  jar: 'lens-jar',
  /** A backend-for-frontend: the app server redeems the code. */
  bff: 'lens-bff',
} as const;

/**
 * The demo clients' private keys (ES256), made at start-up and handed to the
 * page: a browser-held key is what a demo may do, not what a real client should.
 */
export interface ClientKeys {
  fapi: JWK;
  jar: JWK;
}

async function clientKey(kid: string): Promise<{ priv: JWK; pub: JWK }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const pub = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { priv: { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' }, pub };
}

export const CONFIDENTIAL_SECRET = 'demo-web-secret-not-for-production-0001';
export const BFF_SECRET = 'demo-bff-secret-not-for-production-0001';

function clients(app: string, pub: { fapi: JWK; jar: JWK }): ClientMetadata[] {
  const spaRedirects = [`${app}/callback`, `${app}/popup-callback`, `${app}/silent-callback`];
  const postLogout = [`${app}/logged-out`];
  return [
    {
      client_id: OP_CLIENTS.spa,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: spaRedirects,
      post_logout_redirect_uris: postLogout,
    },
    {
      client_id: OP_CLIENTS.confidential,
      client_secret: CONFIDENTIAL_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${app}/server/callback`],
    },
    {
      client_id: OP_CLIENTS.implicit,
      token_endpoint_auth_method: 'none',
      grant_types: ['implicit'],
      response_types: ['id_token token'],
      redirect_uris: [`${app}/callback`],
    },
    {
      client_id: OP_CLIENTS.formPost,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${app}/callback`],
    },
    {
      client_id: OP_CLIENTS.fapi,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [pub.fapi] },
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${app}/callback`],
      id_token_signed_response_alg: 'PS256',
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
    },
    {
      client_id: OP_CLIENTS.jar,
      token_endpoint_auth_method: 'none',
      jwks: { keys: [pub.jar] },
      request_object_signing_alg: 'ES256',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${app}/callback`],
    },
    {
      client_id: OP_CLIENTS.bff,
      client_secret: BFF_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${app}/bff/callback`],
    },
  ];
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * oidc-provider warns on stderr about the Node version, the in-memory adapter,
 * dev keys and devInteractions: all deliberate here, so those lines are muted
 * while it loads and configures itself.
 */
async function quietly<T>(load: () => Promise<T> | T): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING')) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

/**
 * `routes` moves the endpoints, e.g. Auth0's `/authorize` and `/oauth/token`
 * for auth0-spa-js (which builds its URLs from the domain, without discovery).
 */
export async function createProvider(
  origins: ProviderOrigins,
  options: { routes?: Record<string, string> } = {},
): Promise<{ handler: NodeHandler; clientKeys: ClientKeys }> {
  const { default: Provider } = await quietly(() => import('oidc-provider'));
  const fapi = await clientKey('lens-fapi-es256');
  const jar = await clientKey('lens-jar-es256');
  // One RSA signing key without an alg: RS256 by default, PS256 for lens-fapi's ID tokens.
  const rsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const signing = { ...(await exportJWK(rsa.privateKey)), kid: 'op-rsa-1', use: 'sig' };
  const provider: ProviderClass = await quietly(() => new Provider(origins.issuer, {
    clients: clients(origins.app, { fapi: fapi.pub, jar: jar.pub }),
    ...(options.routes ? { routes: options.routes } : {}),
    jwks: { keys: [signing] },
    // RP-initiated logout by form POST (and authorization requests by POST).
    enableHttpPostMethods: true,
    responseTypes: ['code', 'id_token token', 'code id_token', 'none'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'api'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    features: {
      devInteractions: { enabled: true },
      dPoP: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      requestObjects: { enabled: true },
      jwtResponseModes: { enabled: true },
    },
    // sameSite none: oidc-provider's condition for the POST methods (a cross-site form POST must carry the session).
    cookies: { keys: ['demo-cookie-key-not-secret'], long: { sameSite: 'none' } },
    // The demo's SPA asks for refresh tokens without offline_access/consent ceremony.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, origin) => origin === origins.app,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: `Demo ${sub}`, email: `${sub}@example.test`, email_verified: true }),
    }),
    ttl: { AccessToken: 3600, IdToken: 3600, AuthorizationCode: 120, RefreshToken: 86400, Session: 3600, Interaction: 600, Grant: 86400 },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>error</title><h1 id="error">${String(out.error)}</h1><p>${String(out.error_description ?? '')}</p>`;
    },
  }));
  // Quiet: the provider logs nothing we need during captures.
  provider.on('server_error', (_ctx, err) => console.error('[op] server_error', err));
  const callback = provider.callback();
  const handler: NodeHandler = (req, res) => {
    offline(res);
    void callback(req, res);
  };
  return { handler, clientKeys: { fapi: fapi.priv, jar: jar.priv } };
}

/**
 * The development pages @import a Google font; nothing in the demo may reach
 * the internet, so that import is cut from every HTML response.
 */
function offline(res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    const type = String(res.getHeader('content-type') ?? '');
    if (!res.headersSent && type.includes('html')) {
      // The login, consent and logout pages must not be framed (RFC 9700 §4.16).
      if (!res.hasHeader('content-security-policy')) res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
      if (!res.hasHeader('x-frame-options')) res.setHeader('X-Frame-Options', 'DENY');
    }
    if (!res.headersSent && type.includes('html') && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const text = chunk.toString().replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      return end(text, ...args.slice(1));
    }
    return end(...args);
  }) as typeof res.end;
}
