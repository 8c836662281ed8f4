import type { CheckId } from '../../core/checks/catalogue.ts';
import type { CheckExplanation } from './types.ts';

/** The authorization request and the authorization response (callback). */
export const REQUEST_CHECKS = {
  'pkce.missing': {
    why: 'Without PKCE, whoever gets hold of the authorization code (a malicious app on the same redirect scheme, a leaked log, a Referer header) can redeem it for tokens. PKCE binds the code to a secret that only the client that started the flow knows, so a stolen code is useless.',
    fix: 'Send a code_challenge (S256) with every authorization request and the matching code_verifier with the token request; make the authorization server require PKCE for every client.',
  },
  'pkce.plain': {
    why: 'With the plain method the challenge is the verifier itself, so anyone who sees the authorization request (browser history, logs, a proxy) learns the secret that redeems the code. S256 sends only a hash of the verifier.',
    fix: 'Use code_challenge_method=S256 and send BASE64URL(SHA256(code_verifier)) as the challenge; refuse plain at the authorization server.',
  },
  'pkce.challenge-malformed': {
    why: 'An S256 challenge is always 43 base64url characters. Anything else means the client hashes or encodes wrongly, and the server may reject the flow or, worse, accept a verifier it cannot really check.',
    fix: 'Compute the challenge as base64url (no padding) of the SHA-256 of the ASCII verifier; use a tested library.',
  },
  'state.missing': {
    why: 'Without state (or PKCE, or an OIDC nonce) an attacker can start a login with their own account and make the victim\'s browser finish it. The victim is then logged into the attacker\'s account (login CSRF) and may store private data there.',
    fix: 'Send an unguessable, one-time state bound to the user\'s session and check it on the callback; using PKCE also protects against CSRF.',
  },
  'state.weak': {
    why: 'A short, sequential or time-based state can be guessed, so it no longer proves that the callback belongs to a login this browser started. An attacker can forge a callback that passes the check.',
    fix: 'Generate state from a cryptographic random source, at least 128 bits (22 base64url characters), fresh for every request.',
  },
  'state.reused': {
    why: 'A state value that repeats is not tied to one login attempt. A callback captured earlier, or crafted by an attacker, can then be replayed and accepted.',
    fix: 'Generate a new random state for each authorization request and delete it once the callback has used it.',
  },
  'nonce.missing': {
    why: 'When an ID token comes back from the authorization endpoint, the nonce is what ties it to this login. Without it, an ID token stolen or injected from another session can be replayed into the client.',
    fix: 'Send a random nonce with the request, store it in the session, and check that the ID token\'s nonce claim equals it.',
  },
  'flow.implicit': {
    why: 'The implicit flow hands the access token to the browser in the URL, where history, Referer headers, browser extensions and open redirectors can leak it, and nothing binds the token to the client. The current best practice forbids it.',
    fix: 'Switch to the authorization code flow with PKCE (response_type=code); single-page apps can do this directly or through a backend-for-frontend.',
  },
  'flow.password-grant': {
    why: 'With the password grant the client sees the user\'s password, which trains users to type it into any app. It also rules out multi-factor login, phishing-resistant methods and consent.',
    fix: 'Use the authorization code flow with PKCE, so the user signs in on the authorization server only.',
  },
  'transport.insecure': {
    why: 'Over plain http anyone on the network path (public Wi-Fi, a hostile proxy) reads and changes the authorization request, the code and the tokens. OAuth relies on TLS for all of its secrets.',
    fix: 'Serve the authorization, token and redirect endpoints over https only; http is acceptable only on loopback for native apps.',
  },
  'redirect.mismatch': {
    why: 'The token request must repeat the exact redirect_uri of the authorization request so the server can tell that the code was delivered where it was meant to go. A different value means a code could be redeemed after being sent elsewhere.',
    fix: 'Send the same redirect_uri in the token request as in the authorization request, and have the server compare them exactly.',
  },
  'redirect.307-after-post': {
    why: 'A 307 redirect tells the browser to repeat the POST with the same body. The user\'s login form, password included, is then re-sent to the client\'s redirect_uri, which may be an attacker\'s.',
    fix: 'Answer POSTed login and consent forms with 303 See Other (or 302), which makes the browser follow with a GET and no body.',
  },
  'metadata.issuer-mismatch': {
    why: 'The issuer in a discovery document must equal the URL it was fetched from. Otherwise a document for one server can impersonate another, and the client will trust keys and endpoints an attacker chose (mix-up).',
    fix: 'Publish the discovery document at the issuer\'s own /.well-known path with that exact issuer, and have clients reject a mismatch.',
  },
  'state.not-returned': {
    why: 'If the authorization server does not echo state, the client cannot tell that the callback belongs to the login it started. CSRF protection then silently stops working.',
    fix: 'Return the state parameter unchanged in every authorization response, errors included.',
  },
  'state.mismatch-accepted': {
    why: 'The client redeemed a code whose state did not match the one it sent. That is exactly the login-CSRF attack: an attacker\'s code was accepted into the victim\'s session.',
    fix: 'Compare the callback\'s state with the stored value and stop before the token request when they differ.',
  },
  'iss.missing': {
    why: 'The server announces that it sends iss in responses, but this response lacks it. A client using several authorization servers then cannot detect a mix-up attack, where one server\'s response is sent to another.',
    fix: 'Include iss in every authorization response, and have the client reject responses without it when the server advertises support.',
  },
  'iss.mismatch': {
    why: 'The response names a different issuer than the server the client talked to. That is the signature of a mix-up attack, where an attacker\'s server tricks the client into sending a code or token to the wrong place.',
    fix: 'Compare the iss parameter with the issuer the request was sent to and reject the response when they differ (RFC 9207).',
  },
  'code.forwarded': {
    why: 'The authorization code from the callback left the client\'s origin inside a later URL, typically through an open redirector on the redirect_uri. Whoever receives it can try to redeem it.',
    fix: 'Register exact redirect URIs, remove open redirects from callback pages, and clear the code from the URL as soon as it is read.',
  },
} satisfies Partial<Record<CheckId, CheckExplanation>>;
