/**
 * Demo variants whose client is a real, well-known browser OAuth/OIDC library
 * (devDependencies, served from node_modules by library-pages.ts; nothing is
 * fetched at run time) instead of the hand-written client-script.ts. Each is a
 * clean login against oidc-provider, so each expects no finding: the point is
 * that recognition, grouping and the body join hold for traffic we did not
 * shape ourselves.
 */
import type { Variant } from './variants.ts';

export type ClientLibrary = 'oidc-client-ts' | 'auth0-spa-js' | 'oauth4webapi';

const CODE = ['authorization_code'];

function library(row: Pick<Variant, 'name' | 'description' | 'library'> & Partial<Variant>): Variant {
  return {
    as: 'op',
    clientId: 'lens-spa',
    responseType: 'code',
    scope: 'openid profile',
    pkce: 'S256',
    state: 'random',
    nonce: true,
    mode: 'redirect',
    after: ['refresh'],
    expect: [],
    flows: 1,
    kinds: CODE,
    ...row,
  };
}

export const LIBRARY_VARIANT_ROWS: Variant[] = [
  library({
    name: 'lib-oidc-client-ts',
    library: 'oidc-client-ts',
    description:
      'oidc-client-ts 3 UserManager: signinRedirect (code + PKCE S256, state; the library sends no nonce in the code flow), signinCallback (discovery, token request by fetch), then signinSilent, which refreshes with the refresh token. oidc-provider rotates it; the refresh joins the login flow.',
    nonce: false,
  }),
  library({
    name: 'lib-auth0-spa-js',
    library: 'auth0-spa-js',
    description:
      "auth0-spa-js 2 (useRefreshTokens, cacheLocation memory) against a second oidc-provider at auth0.example.test whose routes are Auth0's (/authorize, /oauth/token): loginWithRedirect, handleRedirectCallback, then getTokenSilently({cacheMode: 'off'}). Both token requests go out from the library's Web Worker (a blob: URL), which keeps the refresh token; the refresh joins the login flow.",
    tokenSender: 'worker',
  }),
  library({
    name: 'lib-oauth4webapi',
    library: 'oauth4webapi',
    description:
      'oauth4webapi 3 in the page: discovery, code + PKCE S256, state and nonce, then a DPoP-bound code exchange (ES256 key made on the callback page), a DPoP refresh and a DPoP userinfo call; the library validates the callback iss and the ID token.',
    token: { dpop: 'valid' },
    after: ['refresh', 'userinfo'],
  }),
];
