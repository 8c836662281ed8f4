/**
 * The real authorization server of the demo: oidc-provider 9.13 with the
 * in-memory adapter, generated keys and the development login/consent pages
 * (`input[name=login]`, `input[name=password]`, then a "Continue" button).
 *
 * Behaviour we rely on (all oidc-provider defaults unless set here): PKCE S256
 * required for public clients, `iss` in every authorization response
 * (RFC 9207), refresh tokens rotated for public clients, `Cache-Control:
 * no-store` on token responses, CORS only for the clients' own origins.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientMetadata, default as ProviderClass } from 'oidc-provider';

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
} as const;

export const CONFIDENTIAL_SECRET = 'demo-web-secret-not-for-production-0001';

function clients(app: string): ClientMetadata[] {
  const spaRedirects = [`${app}/callback`, `${app}/popup-callback`, `${app}/silent-callback`];
  return [
    {
      client_id: OP_CLIENTS.spa,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: spaRedirects,
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
export async function createProvider(origins: ProviderOrigins, options: { routes?: Record<string, string> } = {}): Promise<NodeHandler> {
  const { default: Provider } = await quietly(() => import('oidc-provider'));
  const provider: ProviderClass = await quietly(() => new Provider(origins.issuer, {
    clients: clients(origins.app),
    ...(options.routes ? { routes: options.routes } : {}),
    responseTypes: ['code', 'id_token token', 'code id_token', 'none'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'api'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    features: {
      devInteractions: { enabled: true },
      dPoP: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    cookies: { keys: ['demo-cookie-key-not-secret'] },
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
  return (req, res) => {
    offline(res);
    void callback(req, res);
  };
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
    if (!res.headersSent && type.includes('html') && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const text = chunk.toString().replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      return end(text, ...args.slice(1));
    }
    return end(...args);
  }) as typeof res.end;
}
