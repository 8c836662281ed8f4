/** Small HAR captures for the CLI tests, written the way Chrome DevTools exports them. */

type Json = Record<string, unknown>;
const h = (name: string, value: string) => ({ name, value });
let clock = Date.parse('2026-11-01T09:00:00.000Z');

export function entry(method: string, url: string, options: { status?: number; location?: string; type?: string; requestHeaders?: Json[]; responseHeaders?: Json[]; body?: string; response?: string } = {}): Json {
  const status = options.status ?? 200;
  return {
    startedDateTime: new Date((clock += 250)).toISOString(),
    time: 20,
    _resourceType: options.type ?? (method === 'GET' ? 'document' : 'fetch'),
    request: {
      method,
      url,
      httpVersion: 'http/2.0',
      headers: options.requestHeaders ?? [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: options.body?.length ?? 0,
      ...(options.body ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: options.body } } : {}),
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [...(options.location ? [h('Location', options.location)] : []), ...(options.responseHeaders ?? [])],
      cookies: [],
      content: options.response ? { size: options.response.length, mimeType: 'application/json', text: options.response } : { size: 0, mimeType: 'text/html' },
      redirectURL: options.location ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 1, wait: 15, receive: 1 },
  };
}

export function har(entries: Json[]): Json {
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
}

const ordinary = [
  entry('GET', 'https://shop.example/', { requestHeaders: [h('Referer', 'https://search.example/?q=shoes')] }),
  entry('GET', 'https://shop.example/app.js', { type: 'script' }),
  entry('GET', 'https://shop.example/items?page=2&sort=asc', { type: 'fetch' }),
];

/** Only ordinary browsing: no flow, nothing to report. */
export const ORDINARY = har(ordinary);

// RFC 7636 appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const GOOD_CODE = 'good-code-Qx81JzT0a9Lw2u';
export const GOOD_TOKEN = 'good-access-token-7YhNc2pL0sVq';
const STATE = 'kT3x9PqLw2ZcV8bN4mR6yH1d';
const REDIRECT = 'https://app.example/callback';
const AUTHORIZE = `https://login.example/oauth2/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=profile&state=${STATE}&code_challenge=${CHALLENGE}&code_challenge_method=S256`;
const CALLBACK = `${REDIRECT}?code=${GOOD_CODE}&state=${STATE}`;

/** A careful public client: code flow, PKCE S256, long state, token by POST from script, no-store, no Referer leak. */
export const GOOD_FLOW = har([
  ...ordinary,
  entry('GET', AUTHORIZE, { status: 302, location: CALLBACK, requestHeaders: [h('Referer', 'https://app.example/')] }),
  entry('GET', CALLBACK, { responseHeaders: [h('Referrer-Policy', 'no-referrer')] }),
  entry('POST', 'https://login.example/oauth2/token', {
    requestHeaders: [h('Origin', 'https://app.example'), h('Content-Type', 'application/x-www-form-urlencoded')],
    body: `grant_type=authorization_code&code=${GOOD_CODE}&redirect_uri=${encodeURIComponent(REDIRECT)}&client_id=app&code_verifier=${VERIFIER}`,
    responseHeaders: [h('Content-Type', 'application/json'), h('Cache-Control', 'no-store')],
    response: JSON.stringify({ access_token: GOOD_TOKEN, token_type: 'Bearer', expires_in: 3600 }),
  }),
]);

export const IMPLICIT_TOKEN = 'implicit-access-token-9sKd02LmQw';
/** An implicit flow: the access token comes back in the URL fragment. */
export const IMPLICIT_FLOW = har([
  ...ordinary,
  entry('GET', `https://legacy-idp.example/authorize?response_type=token&client_id=legacy&redirect_uri=${encodeURIComponent('https://legacy.example/cb')}&state=${STATE}`, {
    status: 302,
    location: `https://legacy.example/cb#access_token=${IMPLICIT_TOKEN}&token_type=Bearer&state=${STATE}`,
  }),
  entry('GET', 'https://legacy.example/cb'),
]);
