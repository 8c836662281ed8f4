/**
 * The page scripts of the library variants (library-variants.ts): ES modules
 * that import the real library from /lib/ (library-pages.ts serves it from
 * node_modules). Each reads its config from #lens-config, starts on the
 * #login click, and ends in #done (or #failed) for demo/drive.ts.
 */
import type { ClientLibrary } from './library-variants.ts';

const PRELUDE = String.raw`
const cfg = JSON.parse(document.getElementById('lens-config').textContent);
function mark(id, text) { const p = document.createElement('p'); p.id = id; p.textContent = text; document.body.append(p); }
const done = (t) => mark('done', t);
const failed = (err) => mark('failed', String((err && (err.error_description || err.message)) || err));
function onLogin(start) {
  const button = document.getElementById('login');
  if (button) button.addEventListener('click', () => { window.__lensStarted = true; start().catch(failed); });
}
const redirectUri = cfg.origin + '/callback';
`;

const OIDC_CLIENT_TS = String.raw`
import { UserManager, WebStorageStateStore, InMemoryWebStorage } from 'oidc-client-ts';
${PRELUDE}
const manager = new UserManager({
  authority: cfg.op,
  client_id: cfg.clientId,
  redirect_uri: redirectUri,
  silent_redirect_uri: cfg.origin + '/silent-callback',
  scope: 'openid profile',
  response_type: 'code',
  automaticSilentRenew: false,
  userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
});
if (cfg.page === 'index') onLogin(() => manager.signinRedirect());
if (cfg.page === 'callback') {
  (async () => {
    const user = await manager.signinCallback();
    if (!user || !user.refresh_token) throw new Error('no refresh token after signinCallback');
    const renewed = await manager.signinSilent();
    if (!renewed || renewed.refresh_token === user.refresh_token) throw new Error('signinSilent did not rotate the refresh token');
    done('signed in with oidc-client-ts; refreshed');
  })().catch(failed);
}
`;

const AUTH0_SPA_JS = String.raw`
import { Auth0Client } from '/lib/auth0-spa-js.js';
${PRELUDE}
const client = new Auth0Client({
  domain: new URL(cfg.auth0).host,
  issuer: cfg.auth0,
  clientId: cfg.clientId,
  authorizationParams: { redirect_uri: redirectUri, scope: 'openid profile' },
  useRefreshTokens: true,
  cacheLocation: 'memory',
});
if (cfg.page === 'index') onLogin(() => client.loginWithRedirect());
if (cfg.page === 'callback') {
  (async () => {
    await client.handleRedirectCallback();
    const first = await client.getTokenSilently();
    const second = await client.getTokenSilently({ cacheMode: 'off' });
    if (!first || !second || first === second) throw new Error('getTokenSilently did not refresh');
    done('signed in with auth0-spa-js; refreshed in its worker');
  })().catch(failed);
}
`;

const OAUTH4WEBAPI = String.raw`
import * as oauth from '/lib/oauth4webapi.js';
${PRELUDE}
const PENDING = 'oauth-lens-demo:oauth4webapi';
const issuer = new URL(cfg.op);
const client = { client_id: cfg.clientId };
async function discover() {
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer));
}
if (cfg.page === 'index') {
  onLogin(async () => {
    const as = await discover();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce }));
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set('client_id', client.client_id);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', 'openid profile');
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    location.assign(url.href);
  });
}
if (cfg.page === 'callback') {
  (async () => {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    if (!pending) throw new Error('no pending login');
    const as = await discover();
    const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
    history.replaceState(null, '', '/callback');
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const exchange = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, pending.verifier, { DPoP });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, exchange, { expectedNonce: pending.nonce, requireIdToken: true });
    if (tokens.token_type.toLowerCase() !== 'dpop' || !tokens.refresh_token) throw new Error('expected DPoP tokens and a refresh token');
    const refresh = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, { DPoP });
    const renewed = await oauth.processRefreshTokenResponse(as, client, refresh);
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    const info = await oauth.userInfoRequest(as, client, renewed.access_token, { DPoP });
    await oauth.processUserInfoResponse(as, client, claims.sub, info);
    done('signed in with oauth4webapi; DPoP refresh and userinfo');
  })().catch(failed);
}
`;

export const LIBRARY_SCRIPTS: Readonly<Record<ClientLibrary, string>> = {
  'oidc-client-ts': OIDC_CLIENT_TS,
  'auth0-spa-js': AUTH0_SPA_JS,
  oauth4webapi: OAUTH4WEBAPI,
};
