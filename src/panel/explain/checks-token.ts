import type { CheckId } from '../../core/checks/catalogue.ts';
import type { CheckExplanation } from './types.ts';

/** The token leg, ID tokens and the active re-runs. */
export const TOKEN_CHECKS = {
  'pkce.verifier-missing': {
    why: 'The flow started with a PKCE challenge but the code was redeemed without the verifier. If the server still issued tokens, PKCE is not enforced and a stolen code works on its own.',
    fix: 'Send the code_verifier with the token request, and make the server reject code redemption without it once a challenge was given.',
  },
  'pkce.verifier-malformed': {
    why: 'A code_verifier must be 43 to 128 characters from a small alphabet. A short or odd verifier is easier to guess and may be handled differently by servers.',
    fix: 'Generate 32 random bytes and base64url-encode them (43 characters).',
  },
  'pkce.mismatch': {
    why: 'The verifier does not hash to the challenge sent earlier. If tokens were still issued, the server is not checking PKCE, so the protection against code theft is gone.',
    fix: 'Keep the verifier from the authorization request and send it unchanged; have the server compare BASE64URL(SHA256(verifier)) with the challenge.',
  },
  'pkce.downgrade-accepted': {
    why: 'No challenge was sent, yet the server accepted a verifier and issued tokens. An attacker who strips the challenge from the request can then use a stolen code: a PKCE downgrade attack.',
    fix: 'The server must reject a code_verifier when the authorization request had no code_challenge, and should require PKCE for all clients.',
  },
  'pkce.verifier-reused': {
    why: 'A PKCE verifier or challenge that repeats across flows is no longer a per-login secret. Anyone who learned it once can redeem codes from later logins.',
    fix: 'Generate a fresh random verifier for every authorization request.',
  },
  'refresh.not-rotated': {
    why: 'A public client kept using the same refresh token. If it leaks, the attacker can refresh for as long as it lives and nobody notices, because nothing detects the reuse.',
    fix: 'Rotate refresh tokens on every use (or bind them to the client with DPoP) and revoke the family when an old one is replayed.',
  },
  'jwt.alg-none': {
    why: 'A token with alg none has no signature at all: anyone can write one with any claims. A client that accepts it lets attackers log in as anyone.',
    fix: 'Reject alg none; accept only the algorithms the issuer publishes, and verify every signature against its JWKS.',
  },
  'jwt.signature-invalid': {
    why: 'The signature does not verify with the issuer\'s keys. The claims may have been changed, or the token minted by someone else.',
    fix: 'Verify ID tokens against the issuer\'s jwks_uri keys and reject tokens that fail; check that the token came from the expected issuer.',
  },
  'jwt.iss-mismatch': {
    why: 'The token claims to come from a different issuer than the one this flow used. Accepting it lets one provider (or an attacker running one) log users in as another provider\'s users.',
    fix: 'Compare the iss claim with the flow\'s issuer exactly and reject tokens that differ.',
  },
  'jwt.aud-mismatch': {
    why: 'The token was issued for another client. Accepting tokens meant for someone else lets any site that receives a user\'s token log in as that user here.',
    fix: 'Check that aud contains your client_id (and that azp equals it when there are several audiences).',
  },
  'jwt.expired': {
    why: 'The token was already expired (or issued in the future) when it arrived. Accepting it widens the window in which a stolen token can be replayed.',
    fix: 'Check exp and iat with a small clock skew and reject tokens outside it; keep clocks in sync.',
  },
  'nonce.mismatch': {
    why: 'The ID token\'s nonce is not the one the client sent, so the token belongs to another login. It may have been replayed or injected by an attacker.',
    fix: 'Store the nonce with the session and reject an ID token whose nonce differs.',
  },
  'jwt.at-hash-mismatch': {
    why: 'at_hash ties the access token to the ID token. A mismatch means the access token was swapped, which is how an attacker injects a token of their own into the flow.',
    fix: 'Validate at_hash as OIDC describes (left half of the hash of the access token) and reject the response when it differs.',
  },
  'jwt.c-hash-mismatch': {
    why: 'c_hash ties the code to the ID token in the hybrid flow. A mismatch means the code was swapped (code injection).',
    fix: 'Validate c_hash before redeeming the code and stop when it differs.',
  },
  'dpop.proof-invalid': {
    why: 'A DPoP proof binds a token to a key the client holds. A proof with a weak algorithm, an embedded private key, or the wrong method or URL does not prove possession, so a stolen token can be replayed.',
    fix: 'Sign proofs with an asymmetric key, typ dpop+jwt, only the public key in jwk, and htm/htu/ath matching the request.',
  },
  'code.reuse-accepted': {
    why: 'The server issued tokens a second time for the same code. A code that leaks after use (history, logs, Referer) can then still be redeemed by an attacker.',
    fix: 'Accept each code once; on a second attempt refuse it and revoke the tokens already issued for it.',
  },
  'pkce.not-enforced': {
    why: 'The server issued tokens for a code with a wrong or missing verifier. PKCE is then decoration: a stolen code works without the secret.',
    fix: 'Make the server verify the code_verifier against the stored challenge on every code redemption.',
  },
  'refresh.reuse-accepted': {
    why: 'A refresh token that had already been rotated still worked. Rotation only helps if the old token dies, otherwise a stolen one stays usable.',
    fix: 'Invalidate a refresh token when it is used, and revoke the whole token family when an old one is replayed.',
  },
  'redirect.not-exact': {
    why: 'The server redirected to a redirect_uri that differs from the registered one. An attacker can then send codes or tokens to a URL they control.',
    fix: 'Register full redirect URIs and compare them by exact string match (loopback ports for native apps being the only exception).',
  },
} satisfies Partial<Record<CheckId, CheckExplanation>>;
