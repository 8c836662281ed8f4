/**
 * "How this flow works", per flow kind, step by step. Each step names the leg
 * kind that shows it, so the panel can tie the text to the legs on screen
 * (seen / not seen in this capture).
 */
import type { Flow, FlowKind, LegKind } from '../../core/model.ts';

export interface ExplainerStep {
  text: string;
  /** The leg that shows this step, when the browser can see it. */
  leg?: LegKind;
}

export interface FlowExplainer {
  title: string;
  summary: string;
  steps: ExplainerStep[];
  reference: string;
}

const CODE_PKCE: FlowExplainer = {
  title: 'Authorization code flow with PKCE',
  summary: 'The recommended flow for every kind of client. The browser only ever carries a short-lived code; tokens come from a direct request to the token endpoint, and PKCE proves that whoever redeems the code also started the flow.',
  steps: [
    { text: 'The client makes a random code_verifier and sends its SHA-256 hash (code_challenge) with state and, for OpenID Connect, a nonce.', leg: 'authorization-request' },
    { text: 'The user signs in and consents on the authorization server.', leg: 'interaction' },
    { text: 'The authorization server redirects the browser to the redirect_uri with a one-time code and the same state (and iss).', leg: 'callback' },
    { text: 'The client checks state, then POSTs the code and the code_verifier to the token endpoint. The server hashes the verifier and compares it with the challenge.', leg: 'token-request' },
    { text: 'The client validates the ID token (signature, iss, aud, exp, nonce) and calls APIs with the access token.', leg: 'userinfo' },
  ],
  reference: 'RFC 9700 §2.1.1; RFC 7636 §1',
};

const PAR: FlowExplainer = {
  title: 'Pushed authorization request (PAR)',
  summary: 'The client first sends the authorization parameters straight to the server and gets back a request_uri; the browser then carries only that reference, so the parameters cannot be read or changed on the way.',
  steps: [
    { text: 'The client POSTs the authorization parameters (with PKCE) to the PAR endpoint, authenticating if it is confidential.', leg: 'par' },
    { text: 'The browser goes to the authorization endpoint with only client_id and request_uri.', leg: 'authorization-request' },
    { text: 'After sign-in, the callback brings the code back as in the code flow.', leg: 'callback' },
    { text: 'The client redeems the code with its code_verifier.', leg: 'token-request' },
  ],
  reference: 'RFC 9126 §1; RFC 9700 §2.1',
};

export const FLOW_EXPLAINERS: Record<FlowKind, FlowExplainer> = {
  authorization_code: CODE_PKCE,
  implicit: {
    title: 'Implicit flow (deprecated)',
    summary: 'The authorization server returns the access token (and ID token) directly in the redirect URL fragment. There is no token request, so nothing binds the token to the client and the token is exposed to the browser, its history and any script on the page.',
    steps: [
      { text: 'The client sends response_type=token (or id_token token) with state and nonce.', leg: 'authorization-request' },
      { text: 'The user signs in on the authorization server.', leg: 'interaction' },
      { text: 'The server redirects back with access_token in the URL fragment; page script reads it from location.hash.', leg: 'callback' },
      { text: 'The client calls APIs with the token. Use the code flow with PKCE instead.', leg: 'api' },
    ],
    reference: 'RFC 9700 §2.1.2; RFC 6749 §4.2',
  },
  hybrid: {
    title: 'Hybrid flow (OpenID Connect)',
    summary: 'The authorization response carries both a code and an ID token (response_type=code id_token). The front-channel ID token lets the client check c_hash before redeeming the code, which detects code injection.',
    steps: [
      { text: 'The client sends response_type=code id_token with state and a nonce.', leg: 'authorization-request' },
      { text: 'The callback brings a code and an ID token, usually by form_post or in the fragment.', leg: 'callback' },
      { text: 'The client validates the ID token (nonce, c_hash), then redeems the code.', leg: 'token-request' },
    ],
    reference: 'OIDC §3.3.2.11',
  },
  refresh_token: {
    title: 'Refreshing tokens',
    summary: 'The client trades a refresh token for a new access token without the user. For public clients the server should rotate the refresh token each time and revoke the family when an old one is replayed.',
    steps: [
      { text: 'The client POSTs grant_type=refresh_token with its refresh token to the token endpoint.', leg: 'token-request' },
      { text: 'The server answers with a new access token and, for public clients, a new refresh token.' },
    ],
    reference: 'RFC 6749 §6; RFC 9700 §4.14.2',
  },
  client_credentials: {
    title: 'Client credentials',
    summary: 'A machine-to-machine grant: the client authenticates as itself, no user is involved. It has no place in a browser, since the client credentials would ship to every user.',
    steps: [{ text: 'The client POSTs grant_type=client_credentials with its own credentials.', leg: 'token-request' }],
    reference: 'RFC 6749 §4.4',
  },
  password: {
    title: 'Resource owner password grant (deprecated)',
    summary: 'The client collects the user\'s password and sends it to the token endpoint. The client sees the password, and multi-factor or phishing-resistant sign-in is impossible.',
    steps: [{ text: 'The client POSTs grant_type=password with the username and password.', leg: 'token-request' }],
    reference: 'RFC 9700 §2.4',
  },
  unknown: {
    title: 'Unrecognised flow',
    summary: 'The inspector saw OAuth traffic it could not place in a known flow. The legs below show what travelled.',
    steps: [],
    reference: 'RFC 6749 §1.2',
  },
};

/** The explainer for a flow: PAR when a PAR leg is present, else by kind. */
export function explainerFor(flow: Flow): FlowExplainer {
  if (flow.legs.some((l) => l.kind === 'par')) return PAR;
  return FLOW_EXPLAINERS[flow.kind];
}
