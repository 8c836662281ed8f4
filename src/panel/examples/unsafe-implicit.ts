import { demoJwt, EXAMPLE_T0_SECONDS, har } from './har-builder.ts';

/**
 * An unsafe login, for teaching: implicit flow without nonce, a weak state,
 * the access token in the fragment and then in a query string, a Referer leak
 * to a third-party script, and an ID token that expired before it arrived.
 * The error_description holds markup, to show that the panel renders it as text.
 */
const AS = 'https://legacy-idp.example.test';
const APP = 'https://shop.example.test';
const token = 'AT-implicit-4hG7kL2mN9pQ3rS8tV1w';
const idToken = demoJwt({ iss: AS, aud: 'shop-web', sub: 'bob', iat: EXAMPLE_T0_SECONDS - 7200, exp: EXAMPLE_T0_SECONDS - 3600, name: '<b>Bob</b>' });
const cb = `${APP}/cb#access_token=${token}&token_type=Bearer&id_token=${idToken}&state=1234`;

export const unsafeImplicit = har([
  {
    url: `${AS}/oauth/authorize?response_type=id_token%20token&client_id=shop-web&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&scope=openid&state=1234`,
    at: 0,
    status: 302,
    location: cb,
  },
  { url: cb, at: 200 },
  { url: `https://cdn.tracker.example.test/pixel.gif?page=cb`, at: 400, requestHeaders: { Referer: `${APP}/cb?access_token=${token}` } },
  { url: `${APP}/api/orders?access_token=${token}`, at: 600, type: 'fetch', json: { orders: [] } },
  {
    url: `${AS}/oauth/authorize?response_type=token&client_id=shop-web&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&state=1235&prompt=none`,
    at: 5000,
    status: 302,
    location: `${APP}/cb?error=login_required&error_description=${encodeURIComponent('<img src=x onerror=alert(1)> javascript:alert(2)')}&state=1235`,
  },
  { url: `${APP}/cb?error=login_required&error_description=${encodeURIComponent('<img src=x onerror=alert(1)> javascript:alert(2)')}&state=1235`, at: 5100 },
]);
