// oidc-provider ships no types and @types/oidc-provider lags behind 9.x; the
// demo uses a handful of members, typed here loosely on purpose.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type ClientMetadata = Record<string, unknown> & { client_id: string };

  export interface ProviderClient {
    clientId: string;
    grantTypeAllowed(grant: string): boolean;
  }

  export interface KoaContext {
    type: string;
    body: unknown;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    responseTypes?: string[];
    scopes?: string[];
    claims?: Record<string, string[]>;
    features?: Record<string, Record<string, unknown>>;
    cookies?: { keys?: string[]; long?: { sameSite?: 'lax' | 'strict' | 'none' } };
    jwks?: { keys: Array<Record<string, unknown>> };
    enableHttpPostMethods?: boolean;
    issueRefreshToken?: (ctx: unknown, client: ProviderClient, code: unknown) => Promise<boolean> | boolean;
    clientBasedCORS?: (ctx: unknown, origin: string, client: ProviderClient) => boolean;
    findAccount?: (ctx: unknown, sub: string) => Promise<{ accountId: string; claims(): Promise<Record<string, unknown>> }>;
    ttl?: Record<string, number>;
    renderError?: (ctx: KoaContext, out: Record<string, unknown>, error: Error) => Promise<void>;
    pkce?: { required?: (ctx: unknown, client: ProviderClient) => boolean };
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
