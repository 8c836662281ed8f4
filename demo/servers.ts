/**
 * Starts the whole demo on loopback: one HTTPS port that routes by Host header,
 * plus one plain-HTTP port for the transport.insecure variant.
 *
 *   const demo = await startDemo();            // port 0: free ports
 *   browser args: --ignore-certificate-errors --host-resolver-rules=${demo.hostResolverRules}
 *   await page.goto(demo.urls.variants.clean);
 *   await completeVariant(context, page, variantByName('clean')!);   // demo/drive.ts
 *
 * Hosts (all *.example.test, one certificate made at start-up):
 *   app        the client pages (index lists every variant), /callback, /popup-callback,
 *              /silent-callback, /server/login + /server/callback (confidential client)
 *   insecure   the same app over plain HTTP (http://insecure.example.test:HTTP_PORT)
 *   op         oidc-provider 9.13 (issuer https://op.example.test:PORT), strict and correct
 *   accounts + oauth2 + openidconnect   flawed AS, Google-shaped
 *   login + graph                       flawed AS, Microsoft-shaped (/{tenant}/oauth2/v2.0/...)
 *   github                              flawed AS, GitHub-shaped (no discovery, no grant_type)
 *   sso                                 flawed AS, Keycloak-shaped (/realms/demo, /realms/broken)
 *   api        resource server (accepts Bearer, DPoP or ?access_token=), CORS for the app
 *   tracker    third party: /pixel.gif, /collect
 *
 * Login: any login/password (DEMO_USER in drive.ts); oidc-provider then shows a
 * consent "Continue" button. Every variant ends with `#done` on the app page.
 *
 * VARIANTS (name, start URL [authorization server, client], what it shows,
 * the checks a capture must report, and the active checks a re-run against
 * the live demo should report):
 *
 * clean
 *   https://app.example.test:PORT/?variant=clean   [oidc-provider, client lens-spa]
 *   SPA, code + PKCE S256, state and nonce, token request by fetch, API call with a Bearer
 *   header; Referrer-Policy: no-referrer; oidc-provider.
 *   passive: (none)
 * confidential
 *   https://app.example.test:PORT/?variant=confidential   [oidc-provider, client lens-web]
 *   Confidential client: the app server redeems the code (client_secret_basic); the browser
 *   never sees the token request (observability: server-side).
 *   passive: (none)
 * form-post
 *   https://app.example.test:PORT/?variant=form-post   [oidc-provider, client lens-form-post]
 *   Code + PKCE with response_mode=form_post: the callback is a cross-origin POST whose body
 *   carries code, state and iss.
 *   passive: (none)
 * popup
 *   https://app.example.test:PORT/?variant=popup   [oidc-provider, client lens-spa]
 *   Login in a popup (window.open); the popup callback posts the URL to the opener, which
 *   redeems the code.
 *   passive: (none)
 * silent-renew
 *   https://app.example.test:PORT/?variant=silent-renew   [oidc-provider, client lens-spa]
 *   Login, then a silent renew with prompt=none in a hidden iframe: two clean code + PKCE
 *   flows.
 *   passive: (none)
 * refresh-rotating
 *   https://app.example.test:PORT/?variant=refresh-rotating   [oidc-provider, client lens-spa]
 *   Login, then one refresh_token grant; oidc-provider rotates the refresh token of the public
 *   client. The refresh belongs to the login flow that issued its refresh token.
 *   passive: (none)
 * dpop
 *   https://app.example.test:PORT/?variant=dpop   [oidc-provider, client lens-spa]
 *   Code + PKCE with a valid DPoP proof on the token request, then an API call with
 *   Authorization: DPoP and a proof carrying ath.
 *   passive: (none)
 * access-denied
 *   https://app.example.test:PORT/?variant=access-denied   [oidc-provider, client lens-spa]
 *   The user presses Cancel at the login page; the callback carries error=access_denied with
 *   state and iss, and no code.
 *   passive: (none)
 * google-like
 *   https://app.example.test:PORT/?variant=google-like   [flawed AS (google), client google-web]
 *   Google-shaped provider (/o/oauth2/v2/auth, token endpoint on another host), code + PKCE,
 *   then userinfo.
 *   passive: (none)
 * microsoft-like
 *   https://app.example.test:PORT/?variant=microsoft-like   [flawed AS (ms), client ms-spa]
 *   Microsoft-shaped provider (/{tenant}/oauth2/v2.0/authorize, /{tenant}/v2.0 issuer), code +
 *   PKCE.
 *   passive: (none)
 * github-like-form
 *   https://app.example.test:PORT/?variant=github-like-form   [flawed AS (github), client gh-app]
 *   GitHub-shaped: /login/oauth/authorize and /login/oauth/access_token, no discovery, token
 *   request without grant_type, form-encoded token response.
 *   passive: (none)
 * github-like-json
 *   https://app.example.test:PORT/?variant=github-like-json   [flawed AS (github), client gh-app]
 *   GitHub-shaped as above, Accept: application/json so the token response is JSON; then an API
 *   call.
 *   passive: (none)
 * keycloak-like
 *   https://app.example.test:PORT/?variant=keycloak-like   [flawed AS (keycloak), client kc-spa]
 *   Keycloak-shaped (/realms/demo/protocol/openid-connect/auth), code + PKCE, then a rotating
 *   refresh (part of the same flow).
 *   passive: (none)
 * active-flaws
 *   https://app.example.test:PORT/?variant=active-flaws   [flawed AS (ms), client ms-legacy]
 *   Passively clean code + PKCE and a refresh, against a client whose AS accepts code reuse,
 *   ignores PKCE, matches redirect_uri by prefix and accepts an already-rotated refresh token:
 *   for the re-run (active checks).
 *   passive: (none) | re-run: code.reuse-accepted, pkce.not-enforced, refresh.reuse-accepted, redirect.not-exact
 * refresh-only
 *   https://app.example.test:PORT/?variant=refresh-only   [flawed AS (keycloak), client kc-password]
 *   A refresh_token grant whose refresh token was issued before the capture began (the page
 *   holds it in memory; capture.ts seeds it with seedRefreshToken): a flow of kind
 *   refresh_token on its own; rotated.
 *   passive: (none)
 * hybrid-clean
 *   https://app.example.test:PORT/?variant=hybrid-clean   [flawed AS (ms), client ms-hybrid]
 *   Hybrid code id_token with PKCE, nonce and response_mode=form_post; c_hash correct.
 *   passive: (none)
 * worker-token
 *   https://app.example.test:PORT/?variant=worker-token   [oidc-provider, client lens-spa]
 *   Code + PKCE whose code exchange and refresh are sent by a dedicated Web Worker, which keeps
 *   the refresh token to itself and adds it to the refresh request (as auth0-spa-js does with
 *   refresh tokens). Its requests carry the tab in webRequest; the refresh joins the login
 *   flow.
 *   passive: (none)
 * service-worker-token
 *   https://app.example.test:PORT/?variant=service-worker-token   [oidc-provider, client lens-spa]
 *   Code + PKCE whose code exchange is sent by the site's service worker: the callback page
 *   posts the code to it. Service-worker requests carry no tab in webRequest (tabId -1); the
 *   exchange must still join the tab's flow.
 *   passive: (none)
 * instant-redirect
 *   https://app.example.test:PORT/?variant=instant-redirect   [oidc-provider, client lens-spa]
 *   A first login, then a second one with prompt=none while signed in at the AS: oidc-provider
 *   answers the authorization request at once with a redirect, and the callback page redeems
 *   the code the instant it loads. Two clean code + PKCE flows.
 *   passive: (none)
 * no-pkce
 *   https://app.example.test:PORT/?variant=no-pkce   [flawed AS (google), client google-legacy]
 *   Code flow without code_challenge (the AS does not require PKCE); state and nonce present.
 *   passive: pkce.missing | re-run: code.reuse-accepted, pkce.not-enforced
 * pkce-plain
 *   https://app.example.test:PORT/?variant=pkce-plain   [flawed AS (keycloak), client kc-spa]
 *   code_challenge_method=plain (the AS accepts it and checks it).
 *   passive: pkce.plain
 * pkce-challenge-malformed
 *   https://app.example.test:PORT/?variant=pkce-challenge-malformed   [flawed AS (ms), client ms-legacy]
 *   S256 challenge written as 64 hex characters; the AS ignores PKCE, so the real verifier is
 *   also a mismatch (tokens issued).
 *   passive: pkce.challenge-malformed, pkce.mismatch | re-run: code.reuse-accepted, pkce.not-enforced, redirect.not-exact
 * state-missing-with-pkce
 *   https://app.example.test:PORT/?variant=state-missing-with-pkce   [oidc-provider, client lens-spa]
 *   No state; PKCE S256 and nonce protect the flow, so state.missing is reported at info.
 *   passive: state.missing
 * state-missing-no-pkce
 *   https://app.example.test:PORT/?variant=state-missing-no-pkce   [flawed AS (ms), client ms-legacy]
 *   No state, no PKCE, no nonce (OAuth only): nothing protects against CSRF.
 *   passive: pkce.missing, state.missing | re-run: code.reuse-accepted, pkce.not-enforced, redirect.not-exact
 * state-weak
 *   https://app.example.test:PORT/?variant=state-weak   [oidc-provider, client lens-spa]
 *   state is Date.now() (13 digits, a timestamp).
 *   passive: state.weak
 * state-reused
 *   https://app.example.test:PORT/?variant=state-reused   [oidc-provider, client lens-spa]
 *   Two logins with the same hard-coded (long) state value; fresh PKCE each time.
 *   passive: state.reused
 * nonce-missing
 *   https://app.example.test:PORT/?variant=nonce-missing   [flawed AS (ms), client ms-hybrid-nononce]
 *   Hybrid code id_token (form_post) without nonce; the AS allows it.
 *   passive: nonce.missing
 * implicit
 *   https://app.example.test:PORT/?variant=implicit   [oidc-provider, client lens-implicit]
 *   Implicit id_token token from oidc-provider: tokens in the Location fragment (nonce and
 *   state present). oidc-provider sends no iss parameter when the response carries an ID token
 *   (whose iss claim names the issuer), so iss.missing must stay silent.
 *   passive: flow.implicit, leak.token-in-fragment
 * password-grant
 *   https://app.example.test:PORT/?variant=password-grant   [flawed AS (keycloak), client kc-password]
 *   Resource owner password grant from page script (no authorization request).
 *   passive: flow.password-grant
 * transport-insecure
 *   http://insecure.example.test:HTTP_PORT/?variant=transport-insecure   [flawed AS (keycloak), client kc-spa]
 *   The app runs on http://insecure.example.test (plain HTTP, not loopback): the redirect
 *   endpoint is http:.
 *   passive: transport.insecure
 * redirect-mismatch
 *   https://app.example.test:PORT/?variant=redirect-mismatch   [flawed AS (keycloak), client kc-loose-redirect]
 *   The token request sends a different redirect_uri than the authorization request; the AS
 *   does not compare.
 *   passive: redirect.mismatch
 * redirect-307
 *   https://app.example.test:PORT/?variant=redirect-307   [flawed AS (keycloak), client kc-307]
 *   The AS answers the login form POST with 307 to the callback: the browser re-POSTs login and
 *   password to the client.
 *   passive: redirect.307-after-post
 * metadata-issuer-mismatch
 *   https://app.example.test:PORT/?variant=metadata-issuer-mismatch   [flawed AS (keycloak-broken), client kc-broken-spa]
 *   Discovery document at https://sso.example.test:PORT/realms/broken says issuer
 *   https://sso.example.test/realms/broken (port lost behind a proxy). OAuth only.
 *   passive: metadata.issuer-mismatch
 * state-not-returned
 *   https://app.example.test:PORT/?variant=state-not-returned   [flawed AS (keycloak), client kc-cancel-nostate]
 *   The user cancels; the AS error response (access_denied) drops state.
 *   passive: state.not-returned
 * state-mismatch-accepted
 *   https://app.example.test:PORT/?variant=state-mismatch-accepted   [flawed AS (keycloak), client kc-state-mangle]
 *   The AS returns a different state; the sloppy client redeems the code anyway.
 *   passive: state.mismatch-accepted
 * iss-missing
 *   https://app.example.test:PORT/?variant=iss-missing   [flawed AS (keycloak), client kc-noiss]
 *   Discovery advertises authorization_response_iss_parameter_supported, the callback has no
 *   iss. OAuth only.
 *   passive: iss.missing
 * iss-mismatch
 *   https://app.example.test:PORT/?variant=iss-mismatch   [flawed AS (keycloak), client kc-badiss]
 *   The callback iss names another realm. OAuth only.
 *   passive: iss.mismatch
 * code-forwarded-open-redirect
 *   https://app.example.test:PORT/?variant=code-forwarded-open-redirect   [flawed AS (ms), client ms-legacy]
 *   An attacker's authorization link whose redirect_uri is the app's open redirector
 *   (/callback/continue?to=tracker); the AS matches redirect_uri by prefix, the code lands on
 *   tracker.example.test (whose landing page sends Referrer-Policy: no-referrer). Never
 *   redeemed by the app.
 *   passive: code.forwarded | re-run: pkce.not-enforced, redirect.not-exact
 * code-forwarded
 *   https://app.example.test:PORT/?variant=code-forwarded   [oidc-provider, client lens-spa]
 *   The callback page sends its full URL (code included) to tracker.example.test as an
 *   analytics beacon.
 *   passive: code.forwarded
 * referer-leak
 *   https://app.example.test:PORT/?variant=referer-leak   [oidc-provider, client lens-spa]
 *   The callback page loads a tracker.example.test image with referrerpolicy="unsafe-url": the
 *   Referer carries the code cross-origin.
 *   passive: leak.referrer
 * referrer-policy-missing
 *   https://app.example.test:PORT/?variant=referrer-policy-missing   [oidc-provider, client lens-spa]
 *   The app sends no Referrer-Policy header (the callback page loads nothing and cleans its
 *   URL, so no Referer actually leaks).
 *   passive: leak.referrer-policy
 * token-cacheable
 *   https://app.example.test:PORT/?variant=token-cacheable   [flawed AS (keycloak), client kc-cacheable]
 *   Token response without Cache-Control: no-store (needs response headers only).
 *   passive: leak.token-cacheable
 * client-secret-in-browser
 *   https://app.example.test:PORT/?variant=client-secret-in-browser   [flawed AS (keycloak), client kc-secret]
 *   The page sends client_secret in the token request body (PKCE too).
 *   passive: leak.client-secret-in-browser
 * credentials-in-query
 *   https://app.example.test:PORT/?variant=credentials-in-query   [flawed AS (keycloak), client kc-get-token]
 *   Token request by GET: code, code_verifier and redirect_uri in the URL query.
 *   passive: leak.credentials-in-query
 * token-in-query
 *   https://app.example.test:PORT/?variant=token-in-query   [oidc-provider, client lens-spa]
 *   After login the page calls the API with ?access_token= in the URL.
 *   passive: leak.token-in-query
 * token-in-storage
 *   https://app.example.test:PORT/?variant=token-in-storage   [oidc-provider, client lens-spa]
 *   The page stores access_token and refresh_token in localStorage. Needs the storage snapshot
 *   token-in-storage.storage.json; from the HAR alone the check cannot fire.
 *   passive: leak.token-in-storage
 * pkce-verifier-missing
 *   https://app.example.test:PORT/?variant=pkce-verifier-missing   [flawed AS (ms), client ms-legacy]
 *   Challenge sent, token request without code_verifier; the AS issues tokens anyway
 *   (critical).
 *   passive: pkce.verifier-missing | re-run: code.reuse-accepted, pkce.not-enforced, redirect.not-exact
 * pkce-verifier-malformed
 *   https://app.example.test:PORT/?variant=pkce-verifier-malformed   [flawed AS (keycloak), client kc-spa]
 *   A 32-character code_verifier (matching S256 challenge); the AS accepts it.
 *   passive: pkce.verifier-malformed
 * pkce-mismatch
 *   https://app.example.test:PORT/?variant=pkce-mismatch   [flawed AS (ms), client ms-legacy]
 *   A code_verifier that does not match the challenge; the AS issues tokens anyway (critical).
 *   passive: pkce.mismatch | re-run: code.reuse-accepted, pkce.not-enforced, redirect.not-exact
 * pkce-downgrade
 *   https://app.example.test:PORT/?variant=pkce-downgrade   [flawed AS (google), client google-legacy]
 *   No code_challenge, but a code_verifier in the token request, and the AS issues tokens.
 *   passive: pkce.missing, pkce.downgrade-accepted | re-run: code.reuse-accepted, pkce.not-enforced
 * pkce-verifier-reused
 *   https://app.example.test:PORT/?variant=pkce-verifier-reused   [oidc-provider, client lens-spa]
 *   Two logins with the same hard-coded code_verifier (so the same challenge).
 *   passive: pkce.verifier-reused
 * refresh-not-rotated
 *   https://app.example.test:PORT/?variant=refresh-not-rotated   [flawed AS (keycloak), client kc-norotate]
 *   Public client refresh returns the same refresh token (needs the token response body).
 *   passive: refresh.not-rotated
 * jwt-alg-none
 *   https://app.example.test:PORT/?variant=jwt-alg-none   [flawed AS (ms), client ms-idt-none]
 *   ID token with alg none (unsigned).
 *   passive: jwt.alg-none
 * jwt-signature-invalid
 *   https://app.example.test:PORT/?variant=jwt-signature-invalid   [flawed AS (ms), client ms-idt-badsig]
 *   ID token signed by a key that is not in the JWKS (same kid).
 *   passive: jwt.signature-invalid
 * jwt-iss-mismatch
 *   https://app.example.test:PORT/?variant=jwt-iss-mismatch   [flawed AS (ms), client ms-idt-iss]
 *   ID token iss is the multi-tenant "common" issuer, not the tenant issuer.
 *   passive: jwt.iss-mismatch
 * jwt-aud-mismatch
 *   https://app.example.test:PORT/?variant=jwt-aud-mismatch   [flawed AS (ms), client ms-idt-aud]
 *   ID token aud is another client.
 *   passive: jwt.aud-mismatch
 * jwt-expired
 *   https://app.example.test:PORT/?variant=jwt-expired   [flawed AS (ms), client ms-idt-expired]
 *   ID token exp an hour before it was issued (judge against the capture time, not now).
 *   passive: jwt.expired
 * nonce-mismatch
 *   https://app.example.test:PORT/?variant=nonce-mismatch   [flawed AS (ms), client ms-idt-nonce]
 *   ID token nonce differs from the request nonce.
 *   passive: nonce.mismatch
 * at-hash-mismatch
 *   https://app.example.test:PORT/?variant=at-hash-mismatch   [flawed AS (ms), client ms-idt-athash]
 *   Token endpoint ID token whose at_hash does not match the access token.
 *   passive: jwt.at-hash-mismatch
 * c-hash-mismatch
 *   https://app.example.test:PORT/?variant=c-hash-mismatch   [flawed AS (ms), client ms-hybrid-chash]
 *   Hybrid code id_token (form_post): the front-channel ID token c_hash does not match the
 *   code.
 *   passive: jwt.c-hash-mismatch
 * dpop-invalid
 *   https://app.example.test:PORT/?variant=dpop-invalid   [flawed AS (google), client google-web]
 *   DPoP proof on the token request whose htu names another URL (the AS ignores DPoP).
 *   passive: dpop.proof-invalid
 * mixup-no-iss
 *   https://app.example.test:PORT/?variant=mixup-no-iss   [flawed AS (okta), client okta-spa]
 *   Two authorization servers (Okta-shaped OIDC, then GitHub-shaped OAuth) log in through the
 *   same redirect_uri /callback, and neither sends RFC 9207 iss (nor an ID token in the
 *   authorization response): the client cannot tell which AS answered.
 *   passive: mixup.no-defence
 * mixup-defended
 *   https://app.example.test:PORT/?variant=mixup-defended   [flawed AS (ms), client ms-spa]
 *   Two authorization servers (Microsoft-shaped, then Keycloak-shaped) through the same
 *   redirect_uri, both sending RFC 9207 iss: the mix-up defence is in place.
 *   passive: (none)
 * bff-weak-cookie
 *   https://app.example.test:PORT/?variant=bff-weak-cookie   [oidc-provider, client lens-bff]
 *   Backend-for-frontend: the app server redeems the code (lens-bff, client_secret_basic) and
 *   gives the browser a session cookie without HttpOnly and SameSite; the page then calls
 *   /bff/api/me with it.
 *   passive: session.cookie-weak
 * bff-clean
 *   https://app.example.test:PORT/?variant=bff-clean   [oidc-provider, client lens-bff]
 *   Backend-for-frontend as above with a __Host- session cookie: Secure, HttpOnly,
 *   SameSite=Lax.
 *   passive: (none)
 * fapi2-clean
 *   https://app.example.test:PORT/?variant=fapi2-clean   [oidc-provider, client lens-fapi]
 *   FAPI 2.0-shaped at oidc-provider (lens-fapi): PAR (required) with private_key_jwt (ES256
 *   client assertion), PKCE S256, iss in the response, DPoP-bound tokens (token_type DPoP),
 *   PS256 ID token, then a DPoP API call.
 *   passive: (none)
 * fapi2-broken
 *   https://app.example.test:PORT/?variant=fapi2-broken   [flawed AS (ms), client ms-hybrid]
 *   Clean by RFC 9700 but not FAPI 2.0: a plain (not pushed) hybrid code id_token request, a
 *   public client, Bearer tokens, RS256 ID tokens.
 *   passive: (none)
 * fapi2-broken-plain
 *   https://app.example.test:PORT/?variant=fapi2-broken-plain   [flawed AS (okta), client okta-fapi-broken]
 *   Breaks the other FAPI 2.0 clauses: PKCE plain, no iss in the authorization response (the
 *   Okta-shaped AS does not support RFC 9207), the login answered with 307, Bearer tokens,
 *   RS256, a public client, no PAR.
 *   passive: pkce.plain, redirect.307-after-post
 * jarm-invalid
 *   https://app.example.test:PORT/?variant=jarm-invalid   [flawed AS (ms), client ms-jarm-aud]
 *   JARM response_mode=query.jwt: the signed response names another client as aud; the sloppy
 *   client uses the code anyway.
 *   passive: jarm.invalid
 * jarm-clean
 *   https://app.example.test:PORT/?variant=jarm-clean   [oidc-provider, client lens-spa]
 *   JARM response_mode=jwt at oidc-provider: the callback carries response=<JWT> (RS256, iss,
 *   aud, exp) holding code, state and iss.
 *   passive: (none)
 * jar-unsigned
 *   https://app.example.test:PORT/?variant=jar-unsigned   [flawed AS (keycloak), client kc-jar-none]
 *   The authorization parameters travel in an unsigned request object (alg none), which the AS
 *   accepts.
 *   passive: jar.unsigned
 * jar-signed
 *   https://app.example.test:PORT/?variant=jar-signed   [oidc-provider, client lens-jar]
 *   The authorization parameters travel in an ES256-signed request object (lens-jar) that
 *   oidc-provider verifies.
 *   passive: (none)
 * par-request-uri-reused
 *   https://app.example.test:PORT/?variant=par-request-uri-reused   [flawed AS (keycloak), client kc-par-reuse]
 *   Two logins; the second reuses the first PAR request_uri, and the AS answers it with a code
 *   again. The pushed code_challenge comes back with it, so the second exchange repeats the
 *   first code_verifier (pkce.verifier-reused).
 *   passive: par.request-uri-reused, pkce.verifier-reused
 * par-request-uri-long-lived
 *   https://app.example.test:PORT/?variant=par-request-uri-long-lived   [flawed AS (keycloak), client kc-par-long]
 *   PAR whose response says expires_in 3600: the request_uri lives an hour instead of a minute.
 *   passive: par.request-uri-long-lived
 * par-clean
 *   https://app.example.test:PORT/?variant=par-clean   [oidc-provider, client lens-spa]
 *   PAR at oidc-provider (public client lens-spa): a one-time request_uri with a short
 *   lifetime.
 *   passive: (none)
 * dpop-ignored
 *   https://app.example.test:PORT/?variant=dpop-ignored   [flawed AS (ms), client ms-dpop-ignore]
 *   The token request carries a valid DPoP proof; the AS takes no notice and answers token_type
 *   Bearer.
 *   passive: dpop.ignored
 * dpop-binding-mismatch
 *   https://app.example.test:PORT/?variant=dpop-binding-mismatch   [flawed AS (ms), client ms-dpop-type]
 *   The token request carries no DPoP proof, yet the AS answers token_type DPoP.
 *   passive: dpop.binding-mismatch
 * dpop-proof-replayed
 *   https://app.example.test:PORT/?variant=dpop-proof-replayed   [flawed AS (ms), client ms-dpop-replay]
 *   The refresh request re-sends the DPoP proof of the code exchange (same jti); the AS accepts
 *   it.
 *   passive: dpop.proof-replayed
 * dpop-refresh
 *   https://app.example.test:PORT/?variant=dpop-refresh   [oidc-provider, client lens-spa]
 *   DPoP at oidc-provider: the code exchange and a refresh each with a fresh proof of the same
 *   key; bound tokens; an API call with Authorization: DPoP.
 *   passive: (none)
 * dpop-refresh-unbound
 *   https://app.example.test:PORT/?variant=dpop-refresh-unbound   [flawed AS (ms), client ms-dpop-refresh]
 *   Passively clean DPoP flow with a refresh, against an AS that does not check the binding of
 *   DPoP-bound refresh tokens: for the re-run (dpop.refresh-unbound).
 *   passive: (none) | re-run: dpop.refresh-unbound
 * as-authorize-cors
 *   https://app.example.test:PORT/?variant=as-authorize-cors   [flawed AS (keycloak), client kc-cors]
 *   The authorization endpoint answers with Access-Control-Allow-Origin: *.
 *   passive: as.authorize-cors
 * as-clickjacking
 *   https://app.example.test:PORT/?variant=as-clickjacking   [flawed AS (keycloak), client kc-frameable]
 *   The AS login page carries neither a CSP frame-ancestors directive nor X-Frame-Options.
 *   passive: as.clickjacking
 * logout-get
 *   https://app.example.test:PORT/?variant=logout-get   [flawed AS (keycloak), client kc-spa]
 *   After the login the page signs out by GET to the end_session_endpoint with id_token_hint,
 *   post_logout_redirect_uri and state in the URL.
 *   passive: logout.id-token-in-url
 * logout-post
 *   https://app.example.test:PORT/?variant=logout-post   [oidc-provider, client lens-spa]
 *   After the login the page signs out at oidc-provider by a form POST carrying id_token_hint
 *   (the user confirms), then lands on /logged-out.
 *   passive: (none)
 * non-oauth
 *   https://app.example.test:PORT/?variant=non-oauth   [oidc-provider, client lens-spa]
 *   No OAuth: an email verification link ?code=123&state=open, pagination ?state=2, paths with
 *   token/auth, a gift-card POST with code=. Must give zero flows.
 *   passive: (none)
 * lib-oidc-client-ts
 *   https://app.example.test:PORT/?variant=lib-oidc-client-ts   [oidc-provider, client lens-spa]
 *   oidc-client-ts 3 UserManager: signinRedirect (code + PKCE S256, state; the library sends no
 *   nonce in the code flow), signinCallback (discovery, token request by fetch), then
 *   signinSilent, which refreshes with the refresh token. oidc-provider rotates it; the refresh
 *   joins the login flow.
 *   passive: (none)
 * lib-auth0-spa-js
 *   https://app.example.test:PORT/?variant=lib-auth0-spa-js   [oidc-provider, client lens-spa]
 *   auth0-spa-js 2 (useRefreshTokens, cacheLocation memory) against a second oidc-provider at
 *   auth0.example.test whose routes are Auth0's (/authorize, /oauth/token): loginWithRedirect,
 *   handleRedirectCallback, then getTokenSilently({cacheMode: 'off'}). Both token requests go
 *   out from the library's Web Worker (a blob: URL), which keeps the refresh token; the refresh
 *   joins the login flow.
 *   passive: (none)
 * lib-oauth4webapi
 *   https://app.example.test:PORT/?variant=lib-oauth4webapi   [oidc-provider, client lens-spa]
 *   oauth4webapi 3 in the page: discovery, code + PKCE S256, state and nonce, then a DPoP-bound
 *   code exchange (ES256 key made on the callback page), a DPoP refresh and a DPoP userinfo
 *   call; the library validates the callback iss and the ID token.
 *   passive: (none)
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeCertificate } from './tls.ts';
import { createProvider, type NodeHandler } from './provider.ts';

const AUTH0_ROUTES = { authorization: '/authorize', token: '/oauth/token', end_session: '/v2/logout' };
import { createFlawedAs } from './flawed-as.ts';
import { tenants, type Origins } from './flawed-clients.ts';
import { createApp } from './app.ts';
import { VARIANTS } from './variants.ts';

export { VARIANTS, variantByName, activeExpect, type Variant } from './variants.ts';
export { completeVariant, seedRefreshToken, DEMO_USER } from './drive.ts';

export interface DemoUrls {
  /** `https://app.example.test:PORT` (the index lists every variant). */
  app: string;
  /** The oidc-provider issuer, `https://op.example.test:PORT`. */
  op: string;
  api: string;
  tracker: string;
  /** `http://insecure.example.test:HTTP_PORT` */
  insecure: string;
  /** Issuers of the flawed provider shapes. */
  flawed: Record<string, string>;
  /** Start page of every variant, by name. */
  variants: Record<string, string>;
}

export interface Demo {
  urls: DemoUrls;
  httpsPort: number;
  httpPort: number;
  /** For Chromium: `--host-resolver-rules=${hostResolverRules}`. */
  hostResolverRules: string;
  close(): Promise<void>;
}

// Everything else fails to resolve, so nothing a page loads can reach the internet.
export const HOST_RESOLVER_RULES = 'MAP *.example.test 127.0.0.1, MAP * ~NOTFOUND';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startDemo(opts: { port?: number; httpPort?: number } = {}): Promise<Demo> {
  const tls = await makeCertificate();
  let route: (host: string) => NodeHandler | undefined = () => undefined;
  const dispatch = (scheme: string): NodeHandler => (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const handler = scheme === 'https' ? route(host) : host === 'insecure.example.test' ? route('insecure') : undefined;
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no demo host ${host}`);
      return;
    }
    handler(req, res);
  };
  const https = createHttpsServer({ key: tls.key, cert: tls.cert }, dispatch('https'));
  const http = createHttpServer(dispatch('http'));
  const httpsPort = await listen(https, opts.port ?? 0);
  const httpPort = await listen(http, opts.httpPort ?? 0);

  const origins: Origins = {
    https: (name) => `https://${name}.example.test:${httpsPort}`,
    http: (name) => `http://${name}.example.test:${httpPort}`,
  };
  const op = origins.https('op');
  const { handler: opHandler, clientKeys } = await createProvider({ issuer: op, app: origins.https('app') });
  // A second oidc-provider with Auth0's routes, for the auth0-spa-js variant (library-variants.ts).
  const { handler: auth0Handler } = await createProvider({ issuer: origins.https('auth0'), app: origins.https('app') }, { routes: AUTH0_ROUTES });
  const flawed = await createFlawedAs(origins);
  const asConfig: Record<string, { discovery?: string; authorize?: string; token?: string; userinfo?: string }> = {
    op: { discovery: `${op}/.well-known/openid-configuration` },
  };
  for (const t of tenants(origins)) {
    asConfig[t.name] = t.discovery ? { discovery: t.discovery } : { authorize: t.authorize, token: t.token };
  }
  const { app, api, tracker } = createApp({ ...origins, httpsPort, as: asConfig, clientKeys });
  const table = new Map<string, NodeHandler>([
    ['op.example.test', opHandler],
    ['auth0.example.test', auth0Handler],
    ['app.example.test', app],
    ['insecure', app],
    ['api.example.test', api],
    ['tracker.example.test', tracker],
    ...flawed.hosts.map((h): [string, NodeHandler] => [h, flawed.handler]),
  ]);
  route = (host) => table.get(host);

  const variants: Record<string, string> = {};
  for (const v of VARIANTS) variants[v.name] = `${v.insecure ? origins.http('insecure') : origins.https('app')}/?variant=${v.name}`;
  return {
    urls: {
      app: origins.https('app'),
      op,
      api: origins.https('api'),
      tracker: origins.https('tracker'),
      insecure: origins.http('insecure'),
      flawed: Object.fromEntries(tenants(origins).map((t) => [t.name, t.issuer])),
      variants,
    },
    httpsPort,
    httpPort,
    hostResolverRules: HOST_RESOLVER_RULES,
    close: async () => {
      await Promise.all([close(https as unknown as Server), close(http)]);
    },
  };
}
