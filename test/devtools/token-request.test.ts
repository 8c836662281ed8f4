import { describe, expect, it } from 'vitest';
import { bodyWorthReading, looksLikeKeySet, looksLikeUserinfo, MAX_RESPONSE_BODY_CHARS, sendableBody } from '../../src/devtools/token-request.ts';

const request = (method: string, url: string, requestBodyText?: string, mimeType?: string) => ({
  method,
  url,
  ...(requestBodyText === undefined ? {} : { requestBodyText }),
  ...(mimeType === undefined ? {} : { mimeType }),
});

describe('which response bodies the devtools page reads', () => {
  const rows = [
    { description: 'code exchange', input: request('POST', 'https://as/token', 'grant_type=authorization_code&code=c'), expected: true },
    { description: 'refresh as JSON', input: request('POST', 'https://as/token', '{"grant_type":"refresh_token"}'), expected: true },
    { description: 'GitHub-style exchange without grant_type', input: request('POST', 'https://github/login/oauth/access_token', 'client_id=a&code=c&client_secret=s'), expected: true },
    { description: 'pushed authorization request', input: request('POST', 'https://as/par', 'client_id=a&response_type=code&redirect_uri=x'), expected: true },
    { description: 'discovery document', input: request('GET', 'https://as/.well-known/openid-configuration'), expected: true },
    { description: 'a JSON GET (maybe keys, maybe userinfo)', input: request('GET', 'https://as/keys', undefined, 'application/json'), expected: true },
    { description: 'a form POST that is not OAuth', input: request('POST', 'https://app/giftcard/redeem', 'code=GIFT&email=a'), expected: false },
    { description: 'an HTML page', input: request('GET', 'https://app/', undefined, 'text/html'), expected: false },
  ];
  for (const { description, input, expected } of rows) {
    it(description, () => expect(bodyWorthReading(input)).toBe(expected));
  }
});

describe('which bodies that were read go to the worker', () => {
  const json = (url: string) => request('GET', url, undefined, 'application/json; charset=utf-8');
  it('sends key sets, userinfo answers and discovery documents', () => {
    expect(sendableBody(json('https://as/keys'), '{"keys":[{"kty":"EC"}]}')).toBe(true);
    expect(sendableBody(json('https://as/me'), '{"sub":"user-1","email":"a@b"}')).toBe(true);
    expect(sendableBody(json('https://as/.well-known/openid-configuration'), '{"issuer":"https://as"}')).toBe(true);
    expect(sendableBody(request('POST', 'https://as/token', 'grant_type=x'), '{"access_token":"t"}')).toBe(true);
  });

  it('keeps other API answers in the page', () => {
    expect(sendableBody(json('https://api/orders'), '{"orders":[]}')).toBe(false);
    expect(sendableBody(json('https://api/list'), '[{"sub":"x"}]')).toBe(false);
    expect(sendableBody(json('https://api/odd'), 'not json')).toBe(false);
  });

  it('judges only a bounded head of a body', () => {
    expect(looksLikeKeySet(`${' '.repeat(2_000)}{"keys":[]}`)).toBe(false);
    expect(looksLikeUserinfo(`{"sub":"x","pad":"${'a'.repeat(MAX_RESPONSE_BODY_CHARS)}"}`)).toBe(false);
  });
});
