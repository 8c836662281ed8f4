import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../src/core/model.ts';
import { collectSecrets } from '../../../src/core/report/collect-secrets.ts';
import { createRedactor, redactText } from '../../../src/core/report/redact.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

describe('redaction of text', () => {
  it.each([
    { description: 'code in a query', input: 'https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', expected: 'https://app.example/cb?code=Spl…bIA&state=xyz' },
    { description: 'tokens in a fragment', input: 'https://app.example/cb#access_token=2YotnFZFEjr1zCsicMWpAA&token_type=Bearer&id_token=abc.def', expected: 'https://app.example/cb#access_token=2Yo…pAA&token_type=Bearer&id_token=****' },
    { description: 'a token request body', input: 'grant_type=authorization_code&code=c0de-value-1&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_secret=s3cr3t!!', expected: 'grant_type=authorization_code&code=c0…-1&code_verifier=dBjf…EjXk&client_secret=****' },
    { description: 'a password field, masked whole', input: 'username=alice&password=hunter2', expected: 'username=alice&password=****' },
    { description: 'short secrets become stars', input: '?code=abc', expected: '?code=****' },
    { description: 'names are case-insensitive', input: '?Password=correcthorse', expected: '?Password=****' },
    { description: 'a JWT anywhere', input: `token is ${JWT} here`, expected: `token is eyJh…lcmU here` },
    { description: 'a bearer credential', input: 'Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA', expected: 'Authorization: Bearer 2Yo…pAA' },
    { description: 'prose after a scheme is kept', input: 'uses Basic authentication to the token endpoint', expected: 'uses Basic authentication to the token endpoint' },
    { description: 'a cookie line', input: 'Cookie: sid=0123456789abcdef; theme=dark', expected: 'Cookie: sid=01…ef; theme=****' },
    { description: 'JSON fields in text', input: '{"access_token":"2YotnFZFEjr1zCsicMWpAA","expires_in":3600}', expected: '{"access_token":"2Yo…pAA","expires_in":3600}' },
    { description: 'ordinary parameters untouched', input: 'https://x.example/?page=2&state=abc&code_challenge=E9Melhoa', expected: 'https://x.example/?page=2&state=abc&code_challenge=E9Melhoa' },
    { description: 'a parameter merely containing a secret name', input: '?zipcode=12345678&mycode=1', expected: '?zipcode=12345678&mycode=1' },
  ])('masks $description', ({ input, expected }) => {
    expect(redactText(input)).toBe(expected);
  });

  it('masks a known secret wherever it appears, encoded or not', () => {
    const redact = createRedactor(['a+b/c=d e-long']);
    expect(redact.text('x a+b/c=d e-long y a%2Bb%2Fc%3Dd%20e-long z a%2Bb%2Fc%3Dd+e-long')).toBe('x a+…ng y a%2…ong z a%2…ong');
  });
});

describe('redaction of headers and bodies', () => {
  const redact = createRedactor();
  it.each([
    { name: 'Authorization', value: 'Bearer 2YotnFZFEjr1zCsicMWpAA', expected: 'Bearer 2Yo…pAA' },
    { name: 'authorization', value: 'Basic c2hvcC13ZWI6c2VjcmV0', expected: 'Basic c2h…mV0' },
    { name: 'Proxy-Authorization', value: 'whatever-credential-1', expected: 'wha…l-1' },
    { name: 'DPoP', value: JWT, expected: 'eyJh…lcmU' },
    { name: 'Cookie', value: 'sid=0123456789abcdef; lang=en', expected: 'sid=01…ef; lang=****' },
    { name: 'Set-Cookie', value: 'sid=0123456789abcdef; Path=/; HttpOnly; Secure', expected: 'sid=01…ef; Path=/; HttpOnly; Secure' },
    { name: 'Location', value: 'https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA', expected: 'https://app.example/cb?code=Spl…bIA' },
    { name: 'Content-Type', value: 'application/json', expected: 'application/json' },
  ])('masks a $name header', ({ name, value, expected }) => {
    expect(redact.header(name, value)).toBe(expected);
  });

  it('masks secret fields of a JSON body at any depth', () => {
    const body = JSON.stringify({ access_token: '2YotnFZFEjr1zCsicMWpAA', nested: { refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA', list: [{ id_token: JWT }] }, scope: 'openid', note: `see ${JWT}` });
    expect(JSON.parse(redact.body(body, 'application/json'))).toEqual({
      access_token: '2Yo…pAA',
      nested: { refresh_token: 'tGz…WIA', list: [{ id_token: 'eyJh…lcmU' }] },
      scope: 'openid',
      note: 'see eyJh…lcmU',
    });
  });

  it('masks a form body and leaves broken JSON readable', () => {
    expect(redact.body('code=SplxlOBeZQQYbYS6WxSbIA&state=s', 'application/x-www-form-urlencoded')).toBe('code=Spl…bIA&state=s');
    expect(redact.body('{"code":"SplxlOBeZQQYbYS6WxSbIA"', 'application/json')).toBe('{"code":"Spl…bIA"');
  });
});

describe('collectSecrets', () => {
  it('gathers secret values from URLs, Locations, bodies, responses and credentials', () => {
    const event: RequestEvent = {
      id: '1', requestId: '1', hop: 0, seq: 0, time: 0, tabId: -1, method: 'POST', type: 'fetch', responseBodyState: 'captured',
      url: 'https://as.example/token?client_secret=query-secret-1',
      redirectUrl: 'https://app.example/cb#access_token=fragment-token-1&state=short-state-value',
      requestHeaders: [{ name: 'Authorization', value: `Basic ${btoa('client:basic-secret-1')}` }, { name: 'Referer', value: 'https://app.example/cb?code=referer-code-1' }],
      requestBody: { text: 'grant_type=authorization_code&code=body-code-1', formData: { code_verifier: ['form-verifier-1'] } },
      responseBody: { text: '{"access_token":"json-token-1","token_type":"Bearer","id_token":"short"}' },
    };
    expect([...collectSecrets([event])].sort()).toEqual(
      ['basic-secret-1', btoa('client:basic-secret-1'), 'body-code-1', 'form-verifier-1', 'fragment-token-1', 'json-token-1', 'query-secret-1', 'referer-code-1'].sort(),
    );
  });
});

describe('redaction properties', () => {
  const secretChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/='.split(''));
  const secret = fc.string({ unit: secretChars, minLength: 8, maxLength: 80 });
  const noise = fc.string({ maxLength: 40 });
  const name = fc.constantFrom('code', 'access_token', 'id_token', 'refresh_token', 'code_verifier', 'client_secret', 'password', 'token');
  /** Text built from noise and secrets placed in every shape a capture has. */
  const sample = fc.record({
    secrets: fc.array(secret, { minLength: 1, maxLength: 4 }),
    pieces: fc.array(fc.tuple(noise, name, fc.constantFrom('query', 'fragment', 'form', 'json', 'bearer', 'cookie', 'bare'), fc.nat()), { maxLength: 6 }),
  }).map(({ secrets, pieces }) => {
    const text = pieces
      .map(([before, key, shape, pick]) => {
        const value = secrets[pick % secrets.length]!;
        const placed = {
          query: `https://app.example/cb?${key}=${value}&x=1`,
          fragment: `https://app.example/cb#${key}=${value}`,
          form: `a=1&${key}=${encodeURIComponent(value)}`,
          json: JSON.stringify({ [key]: value }),
          bearer: `Authorization: Bearer ${value}`,
          cookie: `Cookie: sid=${value}`,
          bare: ` ${value} `,
        }[shape];
        return before + placed;
      })
      .join(' ');
    return { secrets, text };
  });

  const runs = Number(process.env.FUZZ_RUNS ?? 1000);
  const timeout = Math.max(5_000, runs * 5);

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(sample, fc.record({ secrets: fc.array(secret), text: fc.string({ maxLength: 200 }) })), ({ secrets, text }) => {
        const redact = createRedactor(secrets);
        const once = redact.text(text);
        expect(redact.text(once)).toBe(once);
      }),
      { numRuns: runs },
    );
  }, timeout);

  it('leaves no known secret in the output', () => {
    fc.assert(
      fc.property(sample, ({ secrets, text }) => {
        const out = createRedactor(secrets).text(text);
        for (const value of secrets) {
          expect(out).not.toContain(value);
          expect(out).not.toContain(encodeURIComponent(value));
        }
      }),
      { numRuns: runs },
    );
  }, timeout);

  it('masks secret parameters even when the value was never collected', () => {
    fc.assert(
      fc.property(name, secret, (key, value) => {
        const out = createRedactor().text(`https://app.example/cb?${key}=${encodeURIComponent(value)}&state=s`);
        expect(out).not.toContain(encodeURIComponent(value));
      }),
      { numRuns: runs },
    );
  }, timeout);

  it('is idempotent on JSON values and bodies', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(secret), (value, secrets) => {
        const redact = createRedactor(secrets);
        const once = redact.value(value);
        expect(redact.value(once)).toEqual(once);
        const body = redact.body(JSON.stringify(value));
        expect(redact.body(body)).toBe(body);
      }),
      { numRuns: runs },
    );
  }, timeout);
});
