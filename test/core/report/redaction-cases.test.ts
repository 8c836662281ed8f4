/**
 * The masking misses of issue 9, each as it was found, and the rules they
 * broke: names normalised (`accessToken` = `access_token`), credential headers
 * by name, passwords masked whole, API `key=`, and a capture's secret values
 * masked wherever else they appear, encoded once or twice.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import type { RequestEvent } from '../../../src/core/model.ts';
import { toJsonReport } from '../../../src/core/report/json.ts';
import { maskSecret } from '../../../src/core/report/mask.ts';
import { createRedactor, isPasswordName, isSecretHeader, isSecretName, redactorFor } from '../../../src/core/report/redact.ts';
import { toCurl } from '../../../src/panel/curl.ts';
import { eventsToHar } from '../../../src/panel/har-export.ts';

const CODE = 'SplxlOBeZQQYbYS6WxSbIA-forwarded';
const ev = (url: string, extra: Partial<RequestEvent> = {}): RequestEvent => ({
  id: extra.id ?? url,
  requestId: extra.id ?? url,
  hop: 0,
  seq: 0,
  time: 0,
  tabId: 1,
  method: 'GET',
  url,
  type: 'xhr',
  responseBodyState: 'none',
  ...extra,
});

describe('names are normalised before matching', () => {
  it.each([
    ['access_token', true], ['accessToken', true], ['ACCESS-TOKEN', true], ['refreshToken', true], ['clientSecret', true], ['idToken', true],
    ['code_verifier', true], ['codeVerifier', true], ['key', true], ['api_key', true], ['apiKey', true], ['X-API-KEY', true],
    ['token_type', false], ['token_endpoint', false], ['code_challenge', false], ['state', false], ['zipcode', false], ['expires_in', false],
  ])('%s is a secret name: %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });

  it.each(['password', 'passwd', 'pwd', 'pass', 'j_password', 'newPassword', 'user[password]', 'PASSPHRASE'])('%s is a password field', (name) => {
    expect(isPasswordName(name)).toBe(true);
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    ['X-Access-Token', true], ['Authorization', true], ['Proxy-Authorization', true], ['Cookie', true], ['Set-Cookie', true], ['X-Api-Key', true],
    ['X-Session-Id', true], ['X-Client-Secret', true], ['DPoP', true], ['Content-Type', false], ['Referer', false], ['WWW-Authenticate', false],
  ])('%s is a credential header: %s', (name, expected) => {
    expect(isSecretHeader(name)).toBe(expected);
  });
});

describe('masks', () => {
  it.each([
    { description: 'a long secret keeps at most 4 + 4 characters', value: 'abcdefghijklmnopqrstuvwxyz0123', expected: 'abcd…0123' },
    { description: 'a mid-length secret keeps fewer', value: 'abcdefghijklmn', expected: 'ab…mn' },
    { description: 'a short secret is masked whole', value: 'abcdefghijk', expected: '****' },
  ])('$description', ({ value, expected }) => {
    expect(maskSecret(value)).toBe(expected);
  });

  it.each([
    { description: 'pwd= of a login form', input: 'user=alice&pwd=CorrectHorseBatteryStaple', expected: 'user=alice&pwd=****' },
    { description: 'j_password=', input: 'j_username=alice&j_password=CorrectHorseBatteryStaple', expected: 'j_username=alice&j_password=****' },
    { description: 'a password in JSON text', input: '{"user":"alice","password":"CorrectHorseBatteryStaple"}', expected: '{"user":"alice","password":"****"}' },
    { description: 'an API key=', input: 'https://maps.example/api?key=AIzaSyD-1234567890abcdefghij&q=x', expected: 'https://maps.example/api?key=AIza…ghij&q=x' },
    { description: 'camelCase JSON fields', input: '{"refreshToken":"tGzv3JOkF0XG5Qx2TlKWIA","clientSecret":"s3cr3t-client-value"}', expected: '{"refreshToken":"tGz…WIA","clientSecret":"s3c…lue"}' },
    { description: 'an X-Access-Token line', input: 'X-Access-Token: 2YotnFZFEjr1zCsicMWpAA', expected: 'X-Access-Token: 2Yo…pAA' },
  ])('masks $description', ({ input, expected }) => {
    expect(createRedactor().text(input)).toBe(expected);
  });
});

describe('the masking misses of issue 9', () => {
  const tokenResponse = ev('https://as.example/token', {
    id: 'token',
    method: 'POST',
    requestBody: { text: `grant_type=authorization_code&code=${CODE}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`, mimeType: 'application/x-www-form-urlencoded' },
    responseBodyState: 'captured',
    responseBody: { text: JSON.stringify({ accessToken: 'camel-access-token-value-1', refreshToken: 'camel-refresh-token-value-1', idToken: 'camel-id-token-value-1', clientSecret: 'camel-client-secret-1', token_type: 'Bearer' }), mimeType: 'application/json' },
  });

  it('camelCase token fields are masked in the JSON report and the HAR export', async () => {
    const events = [ev(`https://app.example/cb?code=${CODE}&state=s1`, { id: 'cb', type: 'main_frame' }), tokenResponse];
    const report = JSON.stringify(toJsonReport(await audit(events)));
    const har = JSON.stringify(eventsToHar(events));
    for (const out of [report, har]) {
      for (const secret of ['camel-access-token-value-1', 'camel-refresh-token-value-1', 'camel-id-token-value-1', 'camel-client-secret-1', CODE]) expect(out).not.toContain(secret);
    }
    expect(har).toContain('Bearer');
  });

  it('an X-Access-Token header, pwd= and j_password= fields and an API key= are masked in the HAR export', () => {
    const events = [
      ev('https://api.example/v1?key=AIzaSyD-1234567890abcdefghij', { requestHeaders: [{ name: 'X-Access-Token', value: 'header-token-value-1234' }] }),
      ev('https://login.example/j_security_check', { method: 'POST', requestBody: { text: 'j_username=alice&j_password=CorrectHorseBatteryStaple&pwd=AnotherPassword99', mimeType: 'application/x-www-form-urlencoded' } }),
    ];
    const har = JSON.stringify(eventsToHar(events));
    for (const secret of ['AIzaSyD-1234567890abcdefghij', 'header-token-value-1234', 'CorrectHorseBatteryStaple', 'AnotherPassword99']) expect(har).not.toContain(secret);
    // Passwords keep nothing, not even 4 + 4 characters.
    expect(har).not.toContain('Corr');
    expect(har).toContain('j_password=****');
  });

  it('"Copy as cURL" masks a code the capture knows when it is forwarded double-encoded', () => {
    const callback = ev(`https://app.example/cb?code=${CODE}&state=s1`, { id: 'cb', type: 'main_frame' });
    const forwarded = ev(`https://partner.example/in?next=${encodeURIComponent(encodeURIComponent(`https://app.example/cb?code=${CODE}`))}`, { id: 'fw' });
    const curl = toCurl(forwarded, false, redactorFor([callback, forwarded]));
    expect(curl).not.toContain(CODE.slice(0, 8));
    expect(curl).toContain('partner.example');
    expect(toCurl(forwarded, true, redactorFor([callback, forwarded]))).toContain(CODE);
  });

  it('a secret the capture knows is masked in base64url inside another value', () => {
    const state = Buffer.from(JSON.stringify({ returnTo: '/home', code: CODE })).toString('base64url');
    const redactor = createRedactor([CODE]);
    expect(redactor.text(`https://app.example/x?s=${state}`)).not.toContain(Buffer.from(CODE).toString('base64url').slice(4, 16));
  });

  it('the secret half of HTTP Basic is masked where it reappears', () => {
    const basic = ev('https://as.example/token', { method: 'POST', requestHeaders: [{ name: 'Authorization', value: `Basic ${btoa('client:basic-secret-value-1')}` }] });
    const leak = ev('https://logs.example/?msg=basic-secret-value-1');
    expect(JSON.stringify(eventsToHar([basic, leak]))).not.toContain('basic-secret-value-1');
  });

  it('a __proto__ field in a JSON body stays a field and is redacted', () => {
    const out = createRedactor().body('{"__proto__":{"access_token":"2YotnFZFEjr1zCsicMWpAA"}}', 'application/json');
    expect(out).toBe('{"__proto__":{"access_token":"2Yo…pAA"}}');
  });

  it('JSON nested deeper than the walk goes is cut, not thrown on', () => {
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    expect(() => createRedactor().body(deep, 'application/json')).not.toThrow();
  });

  it('runs in linear time on hostile text (eyJ runs, long names, many pairs)', () => {
    const redactor = createRedactor(['known-secret-value-1']);
    for (const hostile of ['eyJ'.repeat(100_000), `${'a'.repeat(200_000)}=1`, 'a=&'.repeat(100_000), `"${'k'.repeat(100_000)}`, 'known-secret-valu'.repeat(20_000)]) {
      const start = performance.now();
      redactor.text(hostile);
      expect(performance.now() - start).toBeLessThan(1500);
    }
  });

  it('stays linear when a capture holds many secrets sharing a long prefix', () => {
    const shared = Array.from({ length: 2000 }, (_, i) => `${'A'.repeat(300)}${i}`);
    const start = performance.now();
    const redactor = createRedactor(shared);
    const out = redactor.text(`${'A'.repeat(1_000_000)}1999`);
    expect(performance.now() - start).toBeLessThan(3000);
    expect(out).not.toContain(shared[1999]);
    expect(out.endsWith(`${'A'.repeat(8)}1999`)).toBe(false);
    expect(redactor.text(`x ${shared[7]} y`)).toBe(`x ${maskSecret(shared[7]!)} y`);
  });
});
