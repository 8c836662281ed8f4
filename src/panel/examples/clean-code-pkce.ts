import { demoJwt, EXAMPLE_T0_SECONDS, har } from './har-builder.ts';

/** A clean public-client login: code + PKCE (S256), state, nonce, iss in the callback, no-store token response. */
const AS = 'https://id.example.test';
const APP = 'https://app.example.test';
const state = 'q3Nf0b8kV2xLw7YpRt5uZa';
const nonce = 'Hk2mP9sQx4LcV7bNw1tYe3';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const code = 'c0de-7Yh2Kq9Lm4Np8Rs1Tv6Wx3Za5Bc';
const cb = `${APP}/callback?code=${code}&state=${state}&iss=${encodeURIComponent(AS)}`;
const idToken = demoJwt({ iss: AS, aud: 'demo-spa', sub: 'alice', nonce, iat: EXAMPLE_T0_SECONDS + 2, exp: EXAMPLE_T0_SECONDS + 3602, auth_time: EXAMPLE_T0_SECONDS });
const accessToken = 'at-9fK2mQ7xLp3Vn8Rt1Yw5Zc6Bd4Hs0Ju';

export const cleanCodePkce = har([
  { url: `${APP}/`, at: 0 },
  {
    url: `${AS}/auth?response_type=code&client_id=demo-spa&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&scope=openid%20profile&state=${state}&nonce=${nonce}&code_challenge=${challenge}&code_challenge_method=S256`,
    at: 100,
    status: 303,
    location: `${AS}/interaction/abc123`,
    requestHeaders: { Referer: `${APP}/` },
  },
  { url: `${AS}/interaction/abc123`, at: 200 },
  { method: 'POST', url: `${AS}/interaction/abc123/login`, at: 900, status: 303, location: `${AS}/auth/abc123`, form: { login: 'alice', password: 'correct horse' } },
  { url: `${AS}/auth/abc123`, at: 1000, status: 303, location: cb },
  { url: cb, at: 1100, responseHeaders: { 'Referrer-Policy': 'no-referrer' } },
  {
    method: 'POST',
    url: `${AS}/token`,
    at: 1300,
    type: 'fetch',
    requestHeaders: { Origin: APP, 'Content-Type': 'application/x-www-form-urlencoded' },
    form: { grant_type: 'authorization_code', code, redirect_uri: `${APP}/callback`, client_id: 'demo-spa', code_verifier: verifier },
    responseHeaders: { 'Cache-Control': 'no-store' },
    json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, id_token: idToken, scope: 'openid profile' },
  },
  {
    url: `${AS}/me`,
    at: 1500,
    type: 'fetch',
    requestHeaders: { Authorization: `Bearer ${accessToken}`, Origin: APP },
    json: { sub: 'alice', name: 'Alice Example' },
  },
]);
