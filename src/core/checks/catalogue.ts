/**
 * The check catalogue, transcribed from shared/CHECKS.md. The ids are a contract:
 * the panel, the reports and the DOM (`data-check`) use them exactly as written.
 */
import type { Severity } from '../model.ts';

export type CheckKind = 'passive' | 'active';

export interface CheckDefinition {
  id: string;
  severity: Severity;
  kind: CheckKind;
  /** When the check fires, as the catalogue says it. */
  firesWhen: string;
  reference: string;
  /** Set for a profile's clause checks: they run only when that profile is picked. */
  profile?: 'fapi2';
}

export const CATALOGUE = [
  { id: 'pkce.missing', severity: 'high', kind: 'passive', firesWhen: 'a code-flow authorization request (response_type contains code) carries no code_challenge', reference: 'RFC 9700 §2.1.1; RFC 7636 §1' },
  { id: 'pkce.plain', severity: 'medium', kind: 'passive', firesWhen: 'code_challenge_method is plain or absent (absent means plain)', reference: 'RFC 7636 §4.2, §7.2; RFC 9700 §2.1.1' },
  { id: 'pkce.challenge-malformed', severity: 'medium', kind: 'passive', firesWhen: 'an S256 code_challenge is not 43 base64url characters', reference: 'RFC 7636 §4.2' },
  { id: 'state.missing', severity: 'medium', kind: 'passive', firesWhen: 'no state, and no PKCE (and no OIDC nonce) protects against CSRF; info only when PKCE is used', reference: 'RFC 9700 §2.1, §4.7; RFC 6749 §10.12' },
  { id: 'state.weak', severity: 'medium', kind: 'passive', firesWhen: 'state is short (< 16 chars / < 96 bits estimated), purely sequential, or looks like a timestamp', reference: 'RFC 6749 §10.10, §10.12' },
  { id: 'state.reused', severity: 'medium', kind: 'passive', firesWhen: 'the same state value appears in two different authorization requests', reference: 'RFC 6749 §10.12' },
  { id: 'nonce.missing', severity: 'high', kind: 'passive', firesWhen: 'response_type contains id_token and there is no nonce', reference: 'OIDC §3.2.2.1, §3.3.2.11' },
  { id: 'flow.implicit', severity: 'high', kind: 'passive', firesWhen: 'response_type contains token (access token issued from the authorization endpoint)', reference: 'RFC 9700 §2.1.2' },
  { id: 'flow.password-grant', severity: 'high', kind: 'passive', firesWhen: 'a token request with grant_type=password', reference: 'RFC 9700 §2.4' },
  { id: 'transport.insecure', severity: 'high', kind: 'passive', firesWhen: 'an authorization, token or redirect endpoint uses http: on a non-loopback host', reference: 'RFC 6749 §3.1, §3.1.2.1; RFC 9700 §2.6; RFC 8252 §7.3' },
  { id: 'redirect.mismatch', severity: 'high', kind: 'passive', firesWhen: 'the token request\'s redirect_uri differs from the authorization request\'s', reference: 'RFC 6749 §4.1.3' },
  { id: 'redirect.307-after-post', severity: 'medium', kind: 'passive', firesWhen: 'the AS answers a POST that carried credentials (login form, consent) with a 307 redirect, which makes the browser re-POST them to the client', reference: 'RFC 9700 §4.12' },
  { id: 'metadata.issuer-mismatch', severity: 'high', kind: 'passive', firesWhen: 'a discovery document\'s issuer differs from the URL it was fetched from', reference: 'RFC 8414 §3.3; OIDC Discovery §4.3' },
  { id: 'state.not-returned', severity: 'medium', kind: 'passive', firesWhen: 'the request had state but the response (success or error) does not echo it', reference: 'RFC 6749 §4.1.2' },
  { id: 'state.mismatch-accepted', severity: 'high', kind: 'passive', firesWhen: 'the callback\'s state differs from the request\'s and the client still redeemed the code', reference: 'RFC 9700 §4.7.1; RFC 6749 §10.12' },
  { id: 'iss.missing', severity: 'low', kind: 'passive', firesWhen: 'the AS advertises authorization_response_iss_parameter_supported but the response has no iss', reference: 'RFC 9207 §2.4' },
  { id: 'iss.mismatch', severity: 'high', kind: 'passive', firesWhen: 'the response iss differs from the AS issuer', reference: 'RFC 9207 §2.4; RFC 9700 §4.4' },
  { id: 'code.forwarded', severity: 'high', kind: 'passive', firesWhen: 'the authorization code (or a token) from the callback shows up in a later request URL to another origin (open redirector)', reference: 'RFC 9700 §4.11' },
  { id: 'leak.token-in-fragment', severity: 'high', kind: 'passive', firesWhen: 'an access token or ID token travels in a URL fragment (Location header or navigation)', reference: 'RFC 9700 §2.1.2, §4.3' },
  { id: 'leak.token-in-query', severity: 'high', kind: 'passive', firesWhen: 'an access token travels in a URL query string (request or redirect)', reference: 'RFC 6750 §2.3, §5.3; RFC 9700 §2.5' },
  { id: 'leak.referrer', severity: 'critical', kind: 'passive', firesWhen: 'a request\'s Referer header carries a code, access token or ID token. Critical when the request goes to an origin that is neither the client\'s nor the AS\'s; low when it stays on the client\'s own origin (the secret lands in its server and CDN logs); not reported when it goes to the AS that issued the secret', reference: 'RFC 9700 §4.2' },
  { id: 'leak.referrer-policy', severity: 'low', kind: 'passive', firesWhen: 'the document whose URL carried a code or token was served without a Referrer-Policy header, or with one that lets the full URL leave the origin (unsafe-url, no-referrer-when-downgrade); no-referrer, origin, strict-origin are best, same-origin and strict-origin-when-cross-origin keep it in the origin and pass', reference: 'RFC 9700 §4.2.4' },
  { id: 'leak.token-cacheable', severity: 'medium', kind: 'passive', firesWhen: 'a token response lacks Cache-Control: no-store', reference: 'RFC 6749 §5.1' },
  { id: 'leak.client-secret-in-browser', severity: 'high', kind: 'passive', firesWhen: 'a token request made by page script (fetch/XHR from a web origin) carries client_secret or HTTP Basic client credentials: the secret ships to every user', reference: 'RFC 9700 §2.1.1; BBA §6' },
  { id: 'leak.credentials-in-query', severity: 'high', kind: 'passive', firesWhen: 'a token request carries client_secret, code_verifier, code or refresh_token in the URL query, or uses GET', reference: 'RFC 6749 §3.2, §2.3.1' },
  { id: 'leak.token-in-storage', severity: 'medium', kind: 'passive', firesWhen: 'an observed access/refresh token is found in the inspected page\'s localStorage/sessionStorage (devtools panel only)', reference: 'BBA §8; RFC 9700 §4.15' },
  { id: 'pkce.verifier-missing', severity: 'high', kind: 'passive', firesWhen: 'the authorization request had a code_challenge, but the token request has no code_verifier; critical if the AS still issued tokens (PKCE not enforced)', reference: 'RFC 7636 §4.5, §4.6; RFC 9700 §2.1.1' },
  { id: 'pkce.verifier-malformed', severity: 'medium', kind: 'passive', firesWhen: 'code_verifier is not 43–128 characters of [A-Za-z0-9-._~]', reference: 'RFC 7636 §4.1' },
  { id: 'pkce.mismatch', severity: 'high', kind: 'passive', firesWhen: 'BASE64URL(SHA256(code_verifier)) (or the verifier itself for plain) differs from the challenge; critical if the AS still issued tokens', reference: 'RFC 7636 §4.6' },
  { id: 'pkce.downgrade-accepted', severity: 'critical', kind: 'passive', firesWhen: 'no code_challenge was sent but the token request carries a code_verifier and the AS issued tokens', reference: 'RFC 9700 §2.1.1, §4.8.2' },
  { id: 'pkce.verifier-reused', severity: 'medium', kind: 'passive', firesWhen: 'the same code_verifier or code_challenge appears in two flows', reference: 'RFC 7636 §7.1' },
  { id: 'refresh.not-rotated', severity: 'medium', kind: 'passive', firesWhen: 'a public client refreshed and got back the same refresh token (or none, keeping the old one)', reference: 'RFC 9700 §4.14.2' },
  { id: 'jwt.alg-none', severity: 'critical', kind: 'passive', firesWhen: 'an ID token (or JWT access token) has alg: none', reference: 'OIDC §3.1.3.7; RFC 8725 §3.1' },
  { id: 'jwt.signature-invalid', severity: 'critical', kind: 'passive', firesWhen: 'the signature does not verify against the issuer\'s JWKS (discovery → jwks_uri)', reference: 'OIDC §3.1.3.7' },
  { id: 'jwt.iss-mismatch', severity: 'high', kind: 'passive', firesWhen: 'iss differs from the issuer of the flow', reference: 'OIDC §3.1.3.7 (2)' },
  { id: 'jwt.aud-mismatch', severity: 'high', kind: 'passive', firesWhen: 'aud does not contain the flow\'s client_id (or azp is missing with several audiences)', reference: 'OIDC §3.1.3.7 (3)–(5)' },
  { id: 'jwt.expired', severity: 'medium', kind: 'passive', firesWhen: 'exp is in the past when received, or iat is in the future beyond skew', reference: 'OIDC §3.1.3.7 (9), (10)' },
  { id: 'nonce.mismatch', severity: 'high', kind: 'passive', firesWhen: 'the ID token nonce differs from the request\'s nonce', reference: 'OIDC §3.1.3.7 (11)' },
  { id: 'jwt.at-hash-mismatch', severity: 'high', kind: 'passive', firesWhen: 'at_hash does not match the access token issued with it', reference: 'OIDC §3.2.2.9, §3.3.2.11' },
  { id: 'jwt.c-hash-mismatch', severity: 'high', kind: 'passive', firesWhen: 'c_hash does not match the code (hybrid flow)', reference: 'OIDC §3.3.2.11' },
  { id: 'dpop.proof-invalid', severity: 'high', kind: 'passive', firesWhen: 'a DPoP header proof has the wrong typ, a symmetric or none alg, a private key in jwk, or htm/htu/ath that do not match the request', reference: 'RFC 9449 §4.2, §4.3' },
  { id: 'mixup.no-defence', severity: 'medium', kind: 'passive', firesWhen: 'one client (same origin) runs flows with two or more different authorization servers through the same redirect_uri, and the callbacks carry no RFC 9207 iss (nor an ID token in the authorization response whose iss the client could check)', reference: 'RFC 9700 §4.4.2; RFC 9207 §2' },
  { id: 'as.authorize-cors', severity: 'medium', kind: 'passive', firesWhen: 'the authorization endpoint answers with Access-Control-Allow-Origin (for the requesting origin or *): CORS must not be supported there', reference: 'RFC 9700 §2.6' },
  { id: 'as.clickjacking', severity: 'medium', kind: 'passive', firesWhen: 'an HTML page served by the AS during the flow (login, consent) carries neither a CSP frame-ancestors directive nor X-Frame-Options', reference: 'RFC 9700 §4.16; RFC 6749 §10.13' },
  { id: 'par.request-uri-reused', severity: 'medium', kind: 'passive', firesWhen: 'the same PAR request_uri appears in two authorization requests; high if the AS answered the second with a code', reference: 'RFC 9126 §4, §7.3' },
  { id: 'par.request-uri-long-lived', severity: 'low', kind: 'passive', firesWhen: 'a PAR response\'s expires_in exceeds 600 seconds', reference: 'RFC 9126 §2.2; FAPI 2.0 SP §5.3.2.2' },
  { id: 'jar.unsigned', severity: 'medium', kind: 'passive', firesWhen: 'a request object (request parameter, or the object behind a request_uri the capture saw) has alg: none', reference: 'RFC 9101 §4, §10.2' },
  { id: 'jarm.invalid', severity: 'high', kind: 'passive', firesWhen: 'a JARM authorization response (response parameter) fails signature (issuer\'s JWKS), iss, aud (= client_id) or exp validation', reference: 'JARM §4.4' },
  { id: 'dpop.proof-replayed', severity: 'medium', kind: 'passive', firesWhen: 'two DPoP proofs in the capture share a jti; high if the second request succeeded', reference: 'RFC 9449 §11.1' },
  { id: 'dpop.binding-mismatch', severity: 'high', kind: 'passive', firesWhen: 'a DPoP-bound access token\'s cnf.jkt (JWT access token, or introspection seen) differs from the thumbprint of the proof key that presents it, or the token response says token_type: DPoP for a request that sent no proof', reference: 'RFC 9449 §6, §7' },
  { id: 'dpop.ignored', severity: 'medium', kind: 'passive', firesWhen: 'the token request carried a valid DPoP proof but the AS answered token_type: Bearer (the client believes its tokens are sender-constrained; they are not)', reference: 'RFC 9449 §5' },
  { id: 'logout.id-token-in-url', severity: 'low', kind: 'passive', firesWhen: 'an RP-initiated logout request carries id_token_hint in the URL (it then sits in history, logs and Referer headers; POST is allowed)', reference: 'OIDC RP-Initiated Logout 1.0 §2, §4' },
  { id: 'session.cookie-weak', severity: 'medium', kind: 'passive', firesWhen: 'in a flow whose tokens stay on a server (backend-for-frontend, or a server-side code exchange), the session cookie set on the callback response lacks HttpOnly, Secure or SameSite=Lax/Strict (info: no __Host- prefix)', reference: 'BBA §6.1 (BFF); RFC 6265bis §4.1.3' },
  { id: 'fapi2.par-required', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the authorization request is not a PAR request_uri with client_id', reference: 'FAPI 2.0 SP §5.3.2.2' },
  { id: 'fapi2.response-type', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the response_type is anything but code', reference: 'FAPI 2.0 SP §5.3.2.2' },
  { id: 'fapi2.pkce-s256', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the authorization request has no S256 code_challenge', reference: 'FAPI 2.0 SP §5.3.2.2' },
  { id: 'fapi2.iss-required', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the authorization response carries no iss (RFC 9207)', reference: 'FAPI 2.0 SP §5.3.2.2' },
  { id: 'fapi2.sender-constrained', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the access token is neither DPoP- nor mTLS-bound (token_type Bearer and no cnf)', reference: 'FAPI 2.0 SP §5.3.2.1' },
  { id: 'fapi2.alg', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: an ID token, JARM response or request object is signed with anything but PS256, ES256 or EdDSA', reference: 'FAPI 2.0 SP §5.4.1' },
  { id: 'fapi2.no-307', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: the authorization server redirects with HTTP 307', reference: 'FAPI 2.0 SP §5.3.2.2' },
  { id: 'fapi2.public-client', severity: 'high', kind: 'passive', profile: 'fapi2', firesWhen: 'FAPI 2.0 profile: a token (or PAR) request carries no client authentication (FAPI 2.0 has only confidential clients)', reference: 'FAPI 2.0 SP §5.3.2.1' },
  { id: 'code.reuse-accepted', severity: 'critical', kind: 'active', firesWhen: 're-running the captured token exchange with the same code yields tokens again', reference: 'RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5' },
  { id: 'pkce.not-enforced', severity: 'critical', kind: 'active', firesWhen: 'a token exchange with a wrong or missing code_verifier (for a fresh code) yields tokens', reference: 'RFC 7636 §4.6; RFC 9700 §2.1.1' },
  { id: 'refresh.reuse-accepted', severity: 'high', kind: 'active', firesWhen: 'replaying an already-rotated refresh token yields tokens', reference: 'RFC 9700 §4.14.2' },
  { id: 'redirect.not-exact', severity: 'high', kind: 'active', firesWhen: 'an authorization request with a changed redirect_uri (extra path, other port, other host) is answered with a redirect there rather than an error page', reference: 'RFC 9700 §2.1, §4.1' },
  { id: 'dpop.refresh-unbound', severity: 'critical', kind: 'active', firesWhen: 'a DPoP-bound refresh token, replayed without a proof or with a proof from another key, yields tokens', reference: 'RFC 9449 §5' },
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CATALOGUE)[number]['id'];

const byId = new Map<string, CheckDefinition>(CATALOGUE.map((c) => [c.id, c]));

export function checkDefinition(id: CheckId): CheckDefinition {
  const def = byId.get(id);
  if (!def) throw new Error(`unknown check id ${id}`);
  return def;
}

export function isCheckId(id: string): id is CheckId {
  return byId.has(id);
}
