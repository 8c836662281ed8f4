/**
 * The variant table (see variants.ts for the fields). `expect` is derived from
 * each variant's design and the catalogue text; every other check must stay
 * silent on that capture.
 */
import type { Variant } from './variants.ts';
import { CLIENT_SECRET_IN_PAGE } from './flawed-clients.ts';
import { CODE, HYBRID, OAUTH_ONLY, flawed, op } from './variant-row-helpers.ts';
import { MODERN_ROWS } from './variant-rows-modern.ts';

export const VARIANT_ROWS: Variant[] = [
  // --- clean and good-practice variants: expect nothing ---
  op({ name: 'clean', description: 'SPA, code + PKCE S256, state and nonce, token request by fetch, API call with a Bearer header; Referrer-Policy: no-referrer; oidc-provider.', expect: [], after: ['api-bearer'] }),
  op({ name: 'confidential', description: 'Confidential client: the app server redeems the code (client_secret_basic); the browser never sees the token request (observability: server-side).', clientId: 'lens-web', mode: 'server', expect: [] }),
  op({ name: 'form-post', description: 'Code + PKCE with response_mode=form_post: the callback is a cross-origin POST whose body carries code, state and iss.', clientId: 'lens-form-post', responseMode: 'form_post', expect: [] }),
  op({ name: 'popup', description: 'Login in a popup (window.open); the popup callback posts the URL to the opener, which redeems the code.', mode: 'popup', expect: [] }),
  op({ name: 'silent-renew', description: 'Login, then a silent renew with prompt=none in a hidden iframe: two clean code + PKCE flows.', silentRenew: true, expect: [], flows: 2, kinds: [...CODE, ...CODE] }),
  op({ name: 'refresh-rotating', description: 'Login, then one refresh_token grant; oidc-provider rotates the refresh token of the public client. The refresh belongs to the login flow that issued its refresh token.', after: ['refresh'], expect: [] }),
  op({ name: 'dpop', description: 'Code + PKCE with a valid DPoP proof on the token request, then an API call with Authorization: DPoP and a proof carrying ath.', token: { dpop: 'valid' }, after: ['api-dpop'], expect: [] }),
  op({ name: 'access-denied', description: 'The user presses Cancel at the login page; the callback carries error=access_denied with state and iss, and no code.', cancel: true, expect: [] }),
  flawed('google', 'google-web', { name: 'google-like', description: 'Google-shaped provider (/o/oauth2/v2/auth, token endpoint on another host), code + PKCE, then userinfo.', scope: 'openid email', after: ['userinfo'], expect: [] }),
  flawed('ms', 'ms-spa', { name: 'microsoft-like', description: 'Microsoft-shaped provider (/{tenant}/oauth2/v2.0/authorize, /{tenant}/v2.0 issuer), code + PKCE.', scope: 'openid profile offline_access', expect: [] }),
  flawed('github', 'gh-app', { name: 'github-like-form', description: 'GitHub-shaped: /login/oauth/authorize and /login/oauth/access_token, no discovery, token request without grant_type, form-encoded token response.', ...OAUTH_ONLY, scope: 'read:user', token: { noGrantType: true }, expect: [] }),
  flawed('github', 'gh-app', { name: 'github-like-json', description: 'GitHub-shaped as above, Accept: application/json so the token response is JSON; then an API call.', ...OAUTH_ONLY, scope: 'read:user', token: { noGrantType: true, acceptJson: true }, after: ['api-bearer'], expect: [] }),
  flawed('keycloak', 'kc-spa', { name: 'keycloak-like', description: 'Keycloak-shaped (/realms/demo/protocol/openid-connect/auth), code + PKCE, then a rotating refresh (part of the same flow).', after: ['refresh'], expect: [] }),
  flawed('ms', 'ms-legacy', { name: 'active-flaws', description: 'Passively clean code + PKCE and a refresh, against a client whose AS accepts code reuse, ignores PKCE, matches redirect_uri by prefix and accepts an already-rotated refresh token: for the re-run (active checks).', after: ['refresh'], expect: [] }),
  flawed('keycloak', 'kc-password', { name: 'refresh-only', description: 'A refresh_token grant whose refresh token was issued before the capture began (the page holds it in memory; capture.ts seeds it with seedRefreshToken): a flow of kind refresh_token on its own; rotated.', mode: 'refresh-only', pkce: 'none', state: 'none', nonce: false, expect: [], kinds: ['refresh_token'] }),
  flawed('ms', 'ms-hybrid', { name: 'hybrid-clean', description: 'Hybrid code id_token with PKCE, nonce and response_mode=form_post; c_hash correct.', ...HYBRID, expect: [] }),

  // --- token requests from workers, instant redirects (lens/workers): clean, expect nothing ---
  op({ name: 'worker-token', description: 'Code + PKCE whose code exchange and refresh are sent by a dedicated Web Worker, which keeps the refresh token to itself and adds it to the refresh request (as auth0-spa-js does with refresh tokens). Its requests carry the tab in webRequest; the refresh joins the login flow.', tokenSender: 'worker', after: ['refresh'], expect: [] }),
  op({ name: 'service-worker-token', description: "Code + PKCE whose code exchange is sent by the site's service worker: the callback page posts the code to it. Service-worker requests carry no tab in webRequest (tabId -1); the exchange must still join the tab's flow.", tokenSender: 'service-worker', expect: [] }),
  op({ name: 'instant-redirect', description: 'A first login, then a second one with prompt=none while signed in at the AS: oidc-provider answers the authorization request at once with a redirect, and the callback page redeems the code the instant it loads. Two clean code + PKCE flows.', logins: 2, instantRelogin: true, expect: [], flows: 2, kinds: [...CODE, ...CODE] }),

  // --- authorization request ---
  flawed('google', 'google-legacy', { name: 'no-pkce', description: 'Code flow without code_challenge (the AS does not require PKCE); state and nonce present.', pkce: 'none', expect: ['pkce.missing'] }),
  flawed('keycloak', 'kc-spa', { name: 'pkce-plain', description: 'code_challenge_method=plain (the AS accepts it and checks it).', pkce: 'plain', expect: ['pkce.plain'] }),
  flawed('ms', 'ms-legacy', { name: 'pkce-challenge-malformed', description: 'S256 challenge written as 64 hex characters; the AS ignores PKCE, so the real verifier is also a mismatch (tokens issued).', pkce: 'hex-challenge', expect: ['pkce.challenge-malformed', 'pkce.mismatch'] }),
  op({ name: 'state-missing-with-pkce', description: 'No state; PKCE S256 and nonce protect the flow, so state.missing is reported at info.', state: 'none', expect: ['state.missing'] }),
  flawed('ms', 'ms-legacy', { name: 'state-missing-no-pkce', description: 'No state, no PKCE, no nonce (OAuth only): nothing protects against CSRF.', ...OAUTH_ONLY, scope: 'User.Read', pkce: 'none', state: 'none', expect: ['pkce.missing', 'state.missing'] }),
  op({ name: 'state-weak', description: 'state is Date.now() (13 digits, a timestamp).', state: 'timestamp', expect: ['state.weak'] }),
  op({ name: 'state-reused', description: 'Two logins with the same hard-coded (long) state value; fresh PKCE each time.', state: 'fixed', logins: 2, expect: ['state.reused'], flows: 2, kinds: [...CODE, ...CODE] }),
  flawed('ms', 'ms-hybrid-nononce', { name: 'nonce-missing', description: 'Hybrid code id_token (form_post) without nonce; the AS allows it.', ...HYBRID, nonce: false, expect: ['nonce.missing'] }),
  op({ name: 'implicit', description: 'Implicit id_token token from oidc-provider: tokens in the Location fragment (nonce and state present). oidc-provider sends no iss parameter when the response carries an ID token (whose iss claim names the issuer), so iss.missing must stay silent.', clientId: 'lens-implicit', responseType: 'id_token token', pkce: 'none', after: ['api-bearer'], expect: ['flow.implicit', 'leak.token-in-fragment'], kinds: ['implicit'] }),
  flawed('keycloak', 'kc-password', { name: 'password-grant', description: 'Resource owner password grant from page script (no authorization request).', mode: 'password', pkce: 'none', state: 'none', nonce: false, scope: 'openid', expect: ['flow.password-grant'], kinds: ['password'] }),
  flawed('keycloak', 'kc-spa', { name: 'transport-insecure', description: 'The app runs on http://insecure.example.test (plain HTTP, not loopback): the redirect endpoint is http:.', insecure: true, expect: ['transport.insecure'] }),
  flawed('keycloak', 'kc-loose-redirect', { name: 'redirect-mismatch', description: 'The token request sends a different redirect_uri than the authorization request; the AS does not compare.', token: { otherRedirectUri: true }, expect: ['redirect.mismatch'] }),
  flawed('keycloak', 'kc-307', { name: 'redirect-307', description: 'The AS answers the login form POST with 307 to the callback: the browser re-POSTs login and password to the client.', expect: ['redirect.307-after-post'] }),
  flawed('keycloak-broken', 'kc-broken-spa', { name: 'metadata-issuer-mismatch', description: 'Discovery document at https://sso.example.test:PORT/realms/broken says issuer https://sso.example.test/realms/broken (port lost behind a proxy). OAuth only.', ...OAUTH_ONLY, expect: ['metadata.issuer-mismatch'] }),

  // --- authorization response ---
  flawed('keycloak', 'kc-cancel-nostate', { name: 'state-not-returned', description: 'The user cancels; the AS error response (access_denied) drops state.', cancel: true, expect: ['state.not-returned'] }),
  flawed('keycloak', 'kc-state-mangle', { name: 'state-mismatch-accepted', description: 'The AS returns a different state; the sloppy client redeems the code anyway.', lenientState: true, expect: ['state.mismatch-accepted'] }),
  flawed('keycloak', 'kc-noiss', { name: 'iss-missing', description: 'Discovery advertises authorization_response_iss_parameter_supported, the callback has no iss. OAuth only.', ...OAUTH_ONLY, expect: ['iss.missing'] }),
  flawed('keycloak', 'kc-badiss', { name: 'iss-mismatch', description: 'The callback iss names another realm. OAuth only.', ...OAUTH_ONLY, expect: ['iss.mismatch'] }),
  flawed('ms', 'ms-legacy', { name: 'code-forwarded-open-redirect', description: "An attacker's authorization link whose redirect_uri is the app's open redirector (/callback/continue?to=tracker); the AS matches redirect_uri by prefix, the code lands on tracker.example.test (whose landing page sends Referrer-Policy: no-referrer). Never redeemed by the app.", openRedirect: true, expect: ['code.forwarded'] }),
  op({ name: 'code-forwarded', description: 'The callback page sends its full URL (code included) to tracker.example.test as an analytics beacon.', after: ['beacon'], expect: ['code.forwarded'] }),

  // --- token leakage ---
  op({ name: 'referer-leak', description: 'The callback page loads a tracker.example.test image with referrerpolicy="unsafe-url": the Referer carries the code cross-origin.', refererImage: true, expect: ['leak.referrer'] }),
  op({ name: 'referrer-policy-missing', description: 'The app sends no Referrer-Policy header (the callback page loads nothing and cleans its URL, so no Referer actually leaks).', noReferrerPolicy: true, expect: ['leak.referrer-policy'] }),
  flawed('keycloak', 'kc-cacheable', { name: 'token-cacheable', description: 'Token response without Cache-Control: no-store (needs response headers only).', expect: ['leak.token-cacheable'] }),
  flawed('keycloak', 'kc-secret', { name: 'client-secret-in-browser', description: 'The page sends client_secret in the token request body (PKCE too).', token: { secret: 'post' }, clientSecret: CLIENT_SECRET_IN_PAGE, expect: ['leak.client-secret-in-browser'] }),
  flawed('keycloak', 'kc-get-token', { name: 'credentials-in-query', description: 'Token request by GET: code, code_verifier and redirect_uri in the URL query.', token: { method: 'GET' }, expect: ['leak.credentials-in-query'] }),
  op({ name: 'token-in-query', description: 'After login the page calls the API with ?access_token= in the URL.', after: ['api-query'], expect: ['leak.token-in-query'] }),
  op({ name: 'token-in-storage', description: 'The page stores access_token and refresh_token in localStorage. Needs the storage snapshot token-in-storage.storage.json; from the HAR alone the check cannot fire.', after: ['store-local'], expect: ['leak.token-in-storage'] }),

  // --- token request and response ---
  flawed('ms', 'ms-legacy', { name: 'pkce-verifier-missing', description: 'Challenge sent, token request without code_verifier; the AS issues tokens anyway (critical).', pkce: 'omit-verifier', expect: ['pkce.verifier-missing'] }),
  flawed('keycloak', 'kc-spa', { name: 'pkce-verifier-malformed', description: 'A 32-character code_verifier (matching S256 challenge); the AS accepts it.', pkce: 'short-verifier', expect: ['pkce.verifier-malformed'] }),
  flawed('ms', 'ms-legacy', { name: 'pkce-mismatch', description: 'A code_verifier that does not match the challenge; the AS issues tokens anyway (critical).', pkce: 'wrong-verifier', expect: ['pkce.mismatch'] }),
  flawed('google', 'google-legacy', { name: 'pkce-downgrade', description: 'No code_challenge, but a code_verifier in the token request, and the AS issues tokens.', pkce: 'downgrade', expect: ['pkce.missing', 'pkce.downgrade-accepted'] }),
  op({ name: 'pkce-verifier-reused', description: 'Two logins with the same hard-coded code_verifier (so the same challenge).', pkce: 'fixed-verifier', logins: 2, expect: ['pkce.verifier-reused'], flows: 2, kinds: [...CODE, ...CODE] }),
  flawed('keycloak', 'kc-norotate', { name: 'refresh-not-rotated', description: 'Public client refresh returns the same refresh token (needs the token response body).', after: ['refresh'], expect: ['refresh.not-rotated'] }),

  // --- ID token (need the token response body and the JWKS, both in the HAR) ---
  flawed('ms', 'ms-idt-none', { name: 'jwt-alg-none', description: 'ID token with alg none (unsigned).', expect: ['jwt.alg-none'] }),
  flawed('ms', 'ms-idt-badsig', { name: 'jwt-signature-invalid', description: 'ID token signed by a key that is not in the JWKS (same kid).', expect: ['jwt.signature-invalid'] }),
  flawed('ms', 'ms-idt-iss', { name: 'jwt-iss-mismatch', description: 'ID token iss is the multi-tenant "common" issuer, not the tenant issuer.', expect: ['jwt.iss-mismatch'] }),
  flawed('ms', 'ms-idt-aud', { name: 'jwt-aud-mismatch', description: 'ID token aud is another client.', expect: ['jwt.aud-mismatch'] }),
  flawed('ms', 'ms-idt-expired', { name: 'jwt-expired', description: 'ID token exp an hour before it was issued (judge against the capture time, not now).', expect: ['jwt.expired'] }),
  flawed('ms', 'ms-idt-nonce', { name: 'nonce-mismatch', description: 'ID token nonce differs from the request nonce.', expect: ['nonce.mismatch'] }),
  flawed('ms', 'ms-idt-athash', { name: 'at-hash-mismatch', description: 'Token endpoint ID token whose at_hash does not match the access token.', expect: ['jwt.at-hash-mismatch'] }),
  flawed('ms', 'ms-hybrid-chash', { name: 'c-hash-mismatch', description: 'Hybrid code id_token (form_post): the front-channel ID token c_hash does not match the code.', ...HYBRID, expect: ['jwt.c-hash-mismatch'] }),
  flawed('google', 'google-web', { name: 'dpop-invalid', description: 'DPoP proof on the token request whose htu names another URL (the AS ignores DPoP).', token: { dpop: 'bad-htu' }, expect: ['dpop.proof-invalid'] }),

  // --- beyond the basics: mix-up, BFF, FAPI 2.0, PAR/JAR/JARM, DPoP, the AS's pages, logout ---
  ...MODERN_ROWS,

  // --- not OAuth at all ---
  op({ name: 'non-oauth', description: 'No OAuth: an email verification link ?code=123&state=open, pagination ?state=2, paths with token/auth, a gift-card POST with code=. Must give zero flows.', nonOAuth: true, expect: [], flows: 0, kinds: [] }),
];
