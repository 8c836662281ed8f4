/**
 * Generated captures with secrets in every place a capture can hold one:
 * query, fragment, Location, Referer, form and nested JSON bodies (snake and
 * camel case), headers (Authorization, X-Access-Token, Cookie, Set-Cookie),
 * login forms (`pwd`, `j_password`), an API `key=`, response bodies, and
 * values forwarded elsewhere encoded once or twice. Used by the redaction
 * properties: no 8-character piece of any secret may survive in masked output.
 */
import fc from 'fast-check';
import type { RequestEvent } from '../../src/core/model.ts';

/** Upper case, digits and characters that percent-encoding changes: no fixed text of a capture holds 8 of these in a row. */
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=%~ '.split('');

export const secretValue = fc
  .string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 12, maxLength: 48 })
  // A run of spaces is padding in a text report, not a piece of a secret.
  .map((value) => value.replace(/ (?= )/g, 'Q').trim().padEnd(12, 'Z'));

export interface SecretCapture {
  events: RequestEvent[];
  /** Every value placed in a secret role. */
  secrets: string[];
}

type Encode = (value: string) => string;
const once: Encode = (v) => encodeURIComponent(v);
const twice: Encode = (v) => encodeURIComponent(encodeURIComponent(v));
const form: Encode = (v) => new URLSearchParams([['x', v]]).toString().slice(2);

const NAMES = {
  code: fc.constantFrom('code'),
  token: fc.constantFrom('access_token', 'accessToken', 'ACCESS-TOKEN', 'refresh_token', 'refreshToken', 'idToken', 'id_token'),
  clientSecret: fc.constantFrom('client_secret', 'clientSecret', 'CLIENT-SECRET'),
  password: fc.constantFrom('password', 'passwd', 'pwd', 'pass', 'j_password', 'newPassword'),
  header: fc.constantFrom('X-Access-Token', 'X-Auth-Token', 'X-Api-Key', 'X-Session-Id', 'X-CSRF-Token'),
};

let counter = 0;

function ev(method: string, url: string, extra: Partial<RequestEvent> = {}): RequestEvent {
  counter += 1;
  return {
    id: `g${counter}`,
    requestId: `g${counter}`,
    hop: 0,
    seq: counter,
    time: 1_790_000_000_000 + counter * 1000,
    tabId: 3,
    method,
    url,
    type: 'xhr',
    responseBodyState: 'none',
    status: 200,
    ...extra,
  };
}

const h = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));

export const secretCapture: fc.Arbitrary<SecretCapture> = fc
  .record({
    code: secretValue,
    verifier: secretValue,
    clientSecret: secretValue,
    basicSecret: secretValue,
    access: secretValue,
    refresh: secretValue,
    idToken: secretValue,
    nested: secretValue,
    password: secretValue,
    apiKey: secretValue,
    headerSecret: secretValue,
    cookie: secretValue,
    setCookie: secretValue,
    fragmentToken: secretValue,
    jsonBody: secretValue,
    names: fc.record(NAMES),
    forward: fc.constantFrom(once, twice, form),
    referer: fc.constantFrom(once, twice),
    fragment: fc.boolean(),
  })
  .map((s) => {
    const app = 'https://app.example.test';
    const as = 'https://as.example.test';
    const callback = `${app}/cb?code=${once(s.code)}&state=st-123`;
    const events: RequestEvent[] = [
      ev('GET', `${as}/authorize?response_type=code&client_id=app-client&redirect_uri=${once(`${app}/cb`)}&state=st-123&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256`, {
        type: 'main_frame',
        status: 302,
        redirectUrl: s.fragment ? `${app}/cb#code=${once(s.code)}&state=st-123` : callback,
        responseHeaders: h([['Location', s.fragment ? `${app}/cb#code=${once(s.code)}&state=st-123` : callback]]),
      }),
      ev('GET', s.fragment ? `${app}/cb#code=${once(s.code)}&state=st-123` : callback, { type: 'main_frame' }),
      ev('POST', `${as}/token`, {
        requestHeaders: h([
          ['Authorization', `Basic ${btoa(`app-client:${s.basicSecret}`)}`],
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Origin', app],
        ]),
        requestBody: {
          text: `grant_type=authorization_code&code=${form(s.code)}&redirect_uri=${form(`${app}/cb`)}&code_verifier=${form(s.verifier)}&${s.names.clientSecret}=${form(s.clientSecret)}`,
          mimeType: 'application/x-www-form-urlencoded',
        },
        responseBodyState: 'captured',
        responseBody: {
          text: JSON.stringify({ access_token: s.access, token_type: 'Bearer', expires_in: 3600, id_token: s.idToken, session: { [s.names.token]: s.refresh }, extra: { deep: [{ clientSecret: s.nested }] } }),
          mimeType: 'application/json',
        },
      }),
      ev('POST', `${as}/login`, {
        type: 'main_frame',
        requestBody: { formData: { username: ['alice'], [s.names.password]: [s.password] }, mimeType: 'application/x-www-form-urlencoded' },
      }),
      ev('GET', `https://api.example.test/data?key=${once(s.apiKey)}&page=2`, {
        requestHeaders: h([
          ['Authorization', `Bearer ${s.access}`],
          [s.names.header, s.headerSecret],
          ['Cookie', `session=${once(s.cookie)}; lang=en`],
        ]),
        responseHeaders: h([['Set-Cookie', `sid=${once(s.setCookie)}; Path=/; HttpOnly`]]),
        responseBodyState: 'captured',
        responseBody: { text: `<p>welcome</p><script>var t = "${s.access}"; var r = '${s.refresh}';</script>`, mimeType: 'text/html' },
      }),
      ev('GET', 'https://tracker.example.test/pixel.gif?v=1', {
        type: 'image',
        requestHeaders: h([['Referer', `${app}/cb?code=${s.referer(s.code)}&state=st-123`]]),
      }),
      ev('GET', `https://other.example.test/forward?next=${s.forward(`${app}/cb?code=${once(s.code)}`)}&t=${twice(s.access)}`, { type: 'main_frame' }),
      ev('GET', `${app}/implicit#access_token=${once(s.fragmentToken)}&token_type=Bearer`, { type: 'main_frame' }),
      ev('POST', 'https://api.example.test/graphql', {
        requestHeaders: h([['Content-Type', 'application/json']]),
        requestBody: { text: JSON.stringify({ query: 'mutation', variables: { input: { refreshToken: s.jsonBody, note: `uses ${s.verifier}` } } }), mimeType: 'application/json' },
      }),
    ];
    const secrets = [s.code, s.verifier, s.clientSecret, s.basicSecret, s.access, s.refresh, s.idToken, s.nested, s.password, s.apiKey, s.headerSecret, s.cookie, s.setCookie, s.fragmentToken, s.jsonBody];
    return { events, secrets };
  });

/**
 * Each 8-character piece of each secret, as it is and percent-encoded once and
 * twice. Pieces made mostly of characters that encode to escapes (`/%/%`) are
 * left out: their encodings also occur in any twice-encoded URL of the capture.
 */
export function secretPieces(secrets: readonly string[]): string[] {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      if (piece.replace(/[^A-Z0-9]/g, '').length < 5) continue;
      pieces.add(piece);
      pieces.add(encodeURIComponent(piece));
      pieces.add(encodeURIComponent(encodeURIComponent(piece)));
    }
  }
  return [...pieces];
}

/** The pieces of secrets found in `text` (empty when the masking holds). */
export function leakedPieces(text: string, pieces: readonly string[]): string[] {
  return pieces.filter((piece) => text.includes(piece));
}
