/**
 * Every demo variant, one per fixture scenario. Each row says how the client
 * page behaves, which authorization server it talks to, and (from the design
 * of the variant and the text of shared/CHECKS.md) exactly which checks the
 * engine must report for a capture of it.
 */
import type { TenantName } from './flawed-clients.ts';
import type { ClientLibrary } from './library-variants.ts';

export type PkceMode =
  | 'S256'
  | 'none'
  | 'plain'
  /** hex SHA-256 instead of base64url: 64 characters */
  | 'hex-challenge'
  /** a 32-character verifier (valid S256 challenge of it) */
  | 'short-verifier'
  /** challenge sent, verifier left out of the token request */
  | 'omit-verifier'
  /** challenge sent, a different verifier in the token request */
  | 'wrong-verifier'
  /** no challenge sent, a verifier in the token request anyway */
  | 'downgrade'
  /** the same hard-coded verifier in every flow */
  | 'fixed-verifier';

export type AfterStep =
  | 'api-bearer'
  | 'api-query'
  | 'api-dpop'
  | 'refresh'
  | 'store-local'
  | 'beacon'
  | 'userinfo'
  /** RP-initiated logout with id_token_hint in the URL (GET), or in a form POST. */
  | 'logout-get'
  | 'logout-post';

export interface Variant {
  name: string;
  description: string;
  as: 'op' | TenantName;
  clientId: string;
  clientSecret?: string;
  responseType: 'code' | 'id_token token' | 'code id_token';
  responseMode?: 'form_post' | 'jwt' | 'query.jwt' | 'form_post.jwt';
  scope: string;
  pkce: PkceMode;
  state: 'random' | 'none' | 'timestamp' | 'fixed';
  nonce: boolean;
  /** The page redeems the code even when the callback state differs. */
  lenientState?: boolean;
  /** refresh-only: the page refreshes a token seeded with seedRefreshToken (drive.ts). */
  mode: 'redirect' | 'popup' | 'server' | 'password' | 'refresh-only' | 'bff';
  /** mode bff: the session cookie the backend sets (demo/bff.ts). */
  bff?: 'weak-cookie' | 'strict';
  /** Push the authorization request (RFC 9126); 'reuse': the second login uses the first request_uri again. */
  par?: true | 'reuse';
  /** Send the authorization parameters as a request object (RFC 9101): unsigned (alg none) or ES256. */
  requestObject?: 'none' | 'signed';
  /** Every second login goes to this other authorization server, same redirect_uri (mix-up). */
  alt?: { as: 'op' | TenantName; clientId: string; scope: string };
  /** Logins in a row in one page session (2 for the reuse variants). */
  logins?: number;
  /** After the login, renew once with prompt=none in a hidden iframe. */
  silentRenew?: boolean;
  /**
   * An attacker's link: redirect_uri is the app's open redirector
   * (/callback/continue?to=…), accepted by a prefix-matching AS, which forwards
   * the code to tracker.example.test. The app never redeems it.
   */
  openRedirect?: boolean;
  /** The user presses Cancel at the login page. */
  cancel?: boolean;
  token?: {
    method?: 'GET';
    noGrantType?: boolean;
    acceptJson?: boolean;
    secret?: 'post';
    /** The token request's redirect_uri differs from the authorization request's. */
    otherRedirectUri?: boolean;
    /** replay: the first proof is sent again on the next token request. */
    dpop?: 'valid' | 'bad-htu' | 'replay';
    /** Client authentication by an ES256 client assertion the page signs (lens-fapi). */
    auth?: 'private_key_jwt';
  };
  after?: AfterStep[];
  /** The callback page embeds a cross-origin image with referrerpolicy="unsafe-url". */
  refererImage?: boolean;
  /** The app serves its pages without any Referrer-Policy header. */
  noReferrerPolicy?: boolean;
  /** Served from the plain-HTTP origin http://insecure.example.test. */
  insecure?: boolean;
  // --- token requests from workers, instant redirects (lens/workers) ---
  /**
   * Who sends the token requests: a dedicated Web Worker that keeps the refresh
   * token to itself (as auth0-spa-js does), or the site's service worker (its
   * requests carry tabId -1 in webRequest). Default: the page.
   */
  tokenSender?: 'worker' | 'service-worker';
  /**
   * With `logins: 2`: the second authorization request carries prompt=none; the
   * AS, which holds the user's session and consent, redirects at once, and the
   * callback page redeems the code the instant it loads.
   */
  instantRelogin?: boolean;
  // --- real client libraries (lens/libs, library-variants.ts) ---
  /** The page is driven by this npm library, not by client-script.ts. */
  library?: ClientLibrary;
  /** Not an OAuth variant: ordinary traffic that looks a bit like OAuth. */
  nonOAuth?: boolean;
  /** What the engine must report for a capture of this variant. */
  expect: string[];
  /** Under the FAPI 2.0 profile: the fapi2.* ids it must report (undefined: not designed for it). */
  fapi2?: string[];
  flows: number;
  kinds: string[];
}

import { VARIANT_ROWS } from './variant-rows.ts';
import { LIBRARY_VARIANT_ROWS } from './library-variants.ts';
import { clientFlaws } from './flawed-clients.ts';

export const VARIANTS: readonly Variant[] = [...VARIANT_ROWS, ...LIBRARY_VARIANT_ROWS];

/**
 * The active checks (re-run on the user's click against the live demo) that
 * should fire for a variant, from its client's flaws. oidc-provider clients
 * are strict: none fire. A confidential client's exchange cannot be re-run.
 */
export function activeExpect(v: Variant): string[] {
  if (v.mode === 'server' || v.mode === 'bff' || v.mode === 'password' || v.mode === 'refresh-only' || v.nonOAuth || v.cancel) return [];
  const flaws = clientFlaws(v.clientId);
  const out: string[] = [];
  const redeems = v.responseType !== 'id_token token';
  // Code reuse is judged by replaying the captured token exchange: there must be one.
  if (redeems && !v.openRedirect && flaws.has('code-reuse')) out.push('code.reuse-accepted');
  if (redeems && flaws.has('ignore-pkce')) out.push('pkce.not-enforced');
  if (flaws.has('old-refresh-accepted') && v.after?.includes('refresh')) out.push('refresh.reuse-accepted');
  if (flaws.has('prefix-redirect')) out.push('redirect.not-exact');
  if (flaws.has('dpop-refresh-unbound') && v.token?.dpop && v.after?.includes('refresh')) out.push('dpop.refresh-unbound');
  return out;
}

export function variantByName(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}
