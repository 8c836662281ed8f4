/**
 * Variants for the checks "beyond the basics" and the FAPI 2.0 profile
 * (shared/CHECKS.md): each flaw has a capture where it fires and a clean
 * counterpart where it must stay silent. Rows as in variant-rows.ts.
 */
import type { Variant } from './variants.ts';
import { CODE, HYBRID, flawed, op } from './variant-row-helpers.ts';

const FAPI2_BROKEN = ['fapi2.par-required', 'fapi2.response-type', 'fapi2.sender-constrained', 'fapi2.alg', 'fapi2.public-client'];
const FAPI2_BROKEN_2 = ['fapi2.par-required', 'fapi2.pkce-s256', 'fapi2.iss-required', 'fapi2.no-307', 'fapi2.sender-constrained', 'fapi2.alg', 'fapi2.public-client'];

export const MODERN_ROWS: Variant[] = [
  // --- mix-up (RFC 9700 §4.4) ---
  flawed('okta', 'okta-spa', { name: 'mixup-no-iss', description: 'Two authorization servers (Okta-shaped OIDC, then GitHub-shaped OAuth) log in through the same redirect_uri /callback, and neither sends RFC 9207 iss (nor an ID token in the authorization response): the client cannot tell which AS answered.', alt: { as: 'github', clientId: 'gh-app', scope: 'read:user' }, logins: 2, expect: ['mixup.no-defence'], flows: 2, kinds: [...CODE, ...CODE] }),
  flawed('ms', 'ms-spa', { name: 'mixup-defended', description: 'Two authorization servers (Microsoft-shaped, then Keycloak-shaped) through the same redirect_uri, both sending RFC 9207 iss: the mix-up defence is in place.', alt: { as: 'keycloak', clientId: 'kc-spa', scope: 'openid profile' }, logins: 2, expect: [], flows: 2, kinds: [...CODE, ...CODE] }),

  // --- backend-for-frontend sessions (BBA §6.1) ---
  op({ name: 'bff-weak-cookie', description: 'Backend-for-frontend: the app server redeems the code (lens-bff, client_secret_basic) and gives the browser a session cookie without HttpOnly and SameSite; the page then calls /bff/api/me with it.', clientId: 'lens-bff', mode: 'bff', bff: 'weak-cookie', expect: ['session.cookie-weak'] }),
  op({ name: 'bff-clean', description: 'Backend-for-frontend as above with a __Host- session cookie: Secure, HttpOnly, SameSite=Lax.', clientId: 'lens-bff', mode: 'bff', bff: 'strict', expect: [] }),

  // --- FAPI 2.0 Security Profile (only judged under --profile fapi2) ---
  op({ name: 'fapi2-clean', description: 'FAPI 2.0-shaped at oidc-provider (lens-fapi): PAR (required) with private_key_jwt (ES256 client assertion), PKCE S256, iss in the response, DPoP-bound tokens (token_type DPoP), PS256 ID token, then a DPoP API call.', clientId: 'lens-fapi', par: true, token: { dpop: 'valid', auth: 'private_key_jwt' }, after: ['api-dpop'], expect: [], fapi2: [] }),
  flawed('ms', 'ms-hybrid', { name: 'fapi2-broken', description: 'Clean by RFC 9700 but not FAPI 2.0: a plain (not pushed) hybrid code id_token request, a public client, Bearer tokens, RS256 ID tokens.', ...HYBRID, expect: [], fapi2: FAPI2_BROKEN }),
  flawed('okta', 'okta-fapi-broken', { name: 'fapi2-broken-plain', description: 'Breaks the other FAPI 2.0 clauses: PKCE plain, no iss in the authorization response (the Okta-shaped AS does not support RFC 9207), the login answered with 307, Bearer tokens, RS256, a public client, no PAR.', pkce: 'plain', expect: ['pkce.plain', 'redirect.307-after-post'], fapi2: FAPI2_BROKEN_2 }),

  // --- JARM ---
  flawed('ms', 'ms-jarm-aud', { name: 'jarm-invalid', description: 'JARM response_mode=query.jwt: the signed response names another client as aud; the sloppy client uses the code anyway.', responseMode: 'query.jwt', expect: ['jarm.invalid'] }),
  op({ name: 'jarm-clean', description: 'JARM response_mode=jwt at oidc-provider: the callback carries response=<JWT> (RS256, iss, aud, exp) holding code, state and iss.', responseMode: 'jwt', expect: [] }),

  // --- request objects (JAR) ---
  flawed('keycloak', 'kc-jar-none', { name: 'jar-unsigned', description: 'The authorization parameters travel in an unsigned request object (alg none), which the AS accepts.', requestObject: 'none', expect: ['jar.unsigned'] }),
  op({ name: 'jar-signed', description: 'The authorization parameters travel in an ES256-signed request object (lens-jar) that oidc-provider verifies.', clientId: 'lens-jar', requestObject: 'signed', expect: [] }),

  // --- pushed authorization requests ---
  flawed('keycloak', 'kc-par-reuse', { name: 'par-request-uri-reused', description: 'Two logins; the second reuses the first PAR request_uri, and the AS answers it with a code again. The pushed code_challenge comes back with it, so the second exchange repeats the first code_verifier (pkce.verifier-reused).', par: 'reuse', logins: 2, expect: ['par.request-uri-reused', 'pkce.verifier-reused'], flows: 2, kinds: [...CODE, ...CODE] }),
  flawed('keycloak', 'kc-par-long', { name: 'par-request-uri-long-lived', description: 'PAR whose response says expires_in 3600: the request_uri lives an hour instead of a minute.', par: true, expect: ['par.request-uri-long-lived'] }),
  op({ name: 'par-clean', description: 'PAR at oidc-provider (public client lens-spa): a one-time request_uri with a short lifetime.', par: true, expect: [] }),

  // --- DPoP ---
  flawed('ms', 'ms-dpop-ignore', { name: 'dpop-ignored', description: 'The token request carries a valid DPoP proof; the AS takes no notice and answers token_type Bearer.', token: { dpop: 'valid' }, expect: ['dpop.ignored'] }),
  flawed('ms', 'ms-dpop-type', { name: 'dpop-binding-mismatch', description: 'The token request carries no DPoP proof, yet the AS answers token_type DPoP.', expect: ['dpop.binding-mismatch'] }),
  flawed('ms', 'ms-dpop-replay', { name: 'dpop-proof-replayed', description: 'The refresh request re-sends the DPoP proof of the code exchange (same jti); the AS accepts it.', token: { dpop: 'replay' }, after: ['refresh'], expect: ['dpop.proof-replayed'] }),
  op({ name: 'dpop-refresh', description: 'DPoP at oidc-provider: the code exchange and a refresh each with a fresh proof of the same key; bound tokens; an API call with Authorization: DPoP.', token: { dpop: 'valid' }, after: ['refresh', 'api-dpop'], expect: [] }),
  flawed('ms', 'ms-dpop-refresh', { name: 'dpop-refresh-unbound', description: 'Passively clean DPoP flow with a refresh, against an AS that does not check the binding of DPoP-bound refresh tokens: for the re-run (dpop.refresh-unbound).', token: { dpop: 'valid' }, after: ['refresh'], expect: [] }),

  // --- the AS's own pages ---
  flawed('keycloak', 'kc-cors', { name: 'as-authorize-cors', description: 'The authorization endpoint answers with Access-Control-Allow-Origin: *.', expect: ['as.authorize-cors'] }),
  flawed('keycloak', 'kc-frameable', { name: 'as-clickjacking', description: 'The AS login page carries neither a CSP frame-ancestors directive nor X-Frame-Options.', expect: ['as.clickjacking'] }),

  // --- RP-initiated logout ---
  flawed('keycloak', 'kc-spa', { name: 'logout-get', description: 'After the login the page signs out by GET to the end_session_endpoint with id_token_hint, post_logout_redirect_uri and state in the URL.', after: ['logout-get'], expect: ['logout.id-token-in-url'] }),
  op({ name: 'logout-post', description: 'After the login the page signs out at oidc-provider by a form POST carrying id_token_hint (the user confirms), then lands on /logged-out.', after: ['logout-post'], expect: [] }),
];
