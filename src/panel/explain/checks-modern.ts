import type { CheckId } from '../../core/checks/catalogue.ts';
import type { CheckExplanation } from './types.ts';

/** Mix-up, the AS's own pages, PAR/JAR/JARM, DPoP binding, logout and sessions, and the FAPI 2.0 clauses. */
export const MODERN_CHECKS = {
  'mixup.no-defence': {
    why: 'The client sends logins with two authorization servers back to one redirect URI, and the responses do not say which server issued them. A malicious or compromised server can then make the client send an honest server\'s code to it (the mix-up attack).',
    fix: 'Check the RFC 9207 iss parameter of every authorization response against the server the login was started with, or give each server its own redirect URI.',
  },
  'as.authorize-cors': {
    why: 'The authorization endpoint lets other origins read its answers by script. A page on an allowed origin can then start a login with the user\'s session at the server and read the code or the consent page, which only the browser\'s navigation should ever see.',
    fix: 'Do not send Access-Control-Allow-Origin from the authorization endpoint: it is for top-level navigations only (CORS belongs on the token, PAR and userinfo endpoints).',
  },
  'as.clickjacking': {
    why: 'The login or consent page can be loaded in an invisible frame by any site. That site can trick the user into clicking "sign in" or "allow" on the real page placed under a decoy (clickjacking).',
    fix: 'Serve every page of the authorization server with Content-Security-Policy: frame-ancestors \'none\' (or \'self\'), and X-Frame-Options: DENY for old browsers.',
  },
  'par.request-uri-reused': {
    why: 'A PAR request_uri stands for one pushed request, with its own PKCE challenge and state. When it works twice, a request_uri that leaks (history, logs, a shared link) starts another login with the victim\'s pushed parameters.',
    fix: 'Push a new request for every login in the client, and have the authorization server treat each request_uri as one-time use.',
  },
  'par.request-uri-long-lived': {
    why: 'A request_uri is a bearer handle on the pushed request: whoever has it can start that login. The longer it lives, the longer a leaked one is useful to an attacker.',
    fix: 'Issue request_uris with expires_in between 5 and 600 seconds (a minute is plenty for a redirect).',
  },
  'jar.unsigned': {
    why: 'The request object has alg none, so it is not signed. It proves nothing about who wrote it, and anyone who can touch it can change the redirect_uri, scope or code_challenge it carries.',
    fix: 'Sign request objects with the client\'s private key (PS256 or ES256) and make the authorization server reject alg none.',
  },
  'jarm.invalid': {
    why: 'The JWT that carries the authorization response fails validation: its signature, issuer, audience or expiry is wrong. A client that uses its code anyway accepts responses an attacker forged or replayed, which is what JARM exists to stop.',
    fix: 'Validate every JARM response like an ID token before using it: signature with the issuer\'s keys, iss equal to the issuer, aud equal to your client_id, exp in the future.',
  },
  'dpop.proof-replayed': {
    why: 'Two requests carry DPoP proofs with the same jti. A proof is meant for one request only; a server that accepts a repeated proof lets anyone who captured one replay it within its lifetime.',
    fix: 'Create a fresh proof (new jti, current iat) for every request, and have servers remember the jtis they saw for the proof lifetime and reject repeats.',
  },
  'dpop.binding-mismatch': {
    why: 'The token is bound to one key but presented with a proof from another, or called DPoP-bound when no proof was sent. Either way the binding that should make a stolen token useless is not being enforced.',
    fix: 'Bind tokens (cnf.jkt) to the thumbprint of the key in the token request\'s proof, and make resource servers compare cnf.jkt with the key of the proof that presents the token.',
  },
  'dpop.ignored': {
    why: 'The client sent a valid DPoP proof but got a plain Bearer token back. It believes its tokens are sender-constrained, but anyone who steals one can use it.',
    fix: 'Enable DPoP on the authorization server (token_type DPoP, cnf.jkt in the token) or, if it cannot, let the client notice token_type Bearer and treat the token as unbound.',
  },
  'logout.id-token-in-url': {
    why: 'The ID token rides in the logout URL as id_token_hint. It then sits in the browser history, server and proxy logs, and can leave in a Referer header, with the user\'s identity claims inside.',
    fix: 'Send the logout request as a form POST (RP-Initiated Logout allows it), or use logout_hint / client_id instead of the ID token.',
  },
  'session.cookie-weak': {
    why: 'When the tokens stay on a server, the session cookie is the login: whoever holds it is the user. Without HttpOnly a script injected into the page can steal it, without Secure it can travel in clear, and without SameSite other sites can make the browser use it.',
    fix: 'Set the session cookie with the __Host- prefix, HttpOnly, Secure and SameSite=Lax or Strict (Path=/ and no Domain).',
  },
  'dpop.refresh-unbound': {
    why: 'A refresh token that was bound to a DPoP key still worked without a proof, or with a proof from another key. A stolen refresh token then mints new access tokens for anyone, for as long as it lives.',
    fix: 'Bind refresh tokens of public clients to the DPoP key of the request that got them, and reject a refresh without a proof by that key.',
  },
  'fapi2.par-required': {
    why: 'FAPI 2.0 requires pushed authorization requests. Parameters in the URL can be read and changed on the way, and the client is not authenticated before the user reaches the server.',
    fix: 'Push the request to the PAR endpoint with client authentication and send only client_id and request_uri through the browser.',
  },
  'fapi2.response-type': {
    why: 'FAPI 2.0 allows only response_type=code. Any other response type sends tokens through the browser\'s front channel, where they leak far more easily.',
    fix: 'Use the authorization code flow only.',
  },
  'fapi2.pkce-s256': {
    why: 'FAPI 2.0 requires PKCE with S256 for every code flow. Without it a stolen or injected authorization code can be redeemed by someone else.',
    fix: 'Send a code_challenge with code_challenge_method=S256, and the verifier with the token request.',
  },
  'fapi2.iss-required': {
    why: 'FAPI 2.0 requires the authorization response to name its issuer (RFC 9207). Without iss a client talking to several servers cannot detect a mix-up attack.',
    fix: 'Enable the iss parameter in authorization responses and have the client compare it with the issuer it started the login with.',
  },
  'fapi2.sender-constrained': {
    why: 'FAPI 2.0 requires access tokens bound to the client (DPoP or mTLS). A plain bearer token works for anyone who steals it.',
    fix: 'Use DPoP (token_type DPoP, a proof on every request) or mTLS-bound tokens.',
  },
  'fapi2.alg': {
    why: 'FAPI 2.0 allows only PS256, ES256 and EdDSA for signatures. RS256 uses the older PKCS#1 v1.5 padding, and symmetric or none algorithms prove nothing about the signer.',
    fix: 'Sign ID tokens, JARM responses and request objects with PS256, ES256 or EdDSA.',
  },
  'fapi2.no-307': {
    why: 'A 307 redirect makes the browser re-send the body of a POST to the redirect target. After a login form that body holds the user\'s credentials, which the client then receives.',
    fix: 'Redirect with 303 (or 302) after a POST.',
  },
  'fapi2.public-client': {
    why: 'FAPI 2.0 has only confidential clients. A token request without client authentication means anyone holding a code (or refresh token) can redeem it as the client.',
    fix: 'Authenticate the client at the token and PAR endpoints with private_key_jwt or mTLS, from a backend that holds the key.',
  },
} satisfies Partial<Record<CheckId, CheckExplanation>>;
