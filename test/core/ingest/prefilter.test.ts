import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyMightBeOAuth, bytesMightBeOAuth, formMightBeOAuth, headersMightBeOAuth, urlMightBeOAuth } from '../../../src/core/ingest/prefilter.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const KEYS = ['grant_type', 'response_type', 'client_id', 'code', 'state', 'error', 'access_token', 'id_token', 'refresh_token', 'request_uri', 'code_verifier', 'client_secret', 'assertion', 'client_assertion', 'response', 'id_token_hint'];

/** Text built from the pieces that decide: parameter names, quotes, separators, blanks, other words. */
const bodyText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...KEYS),
      fc.constantFrom('"', '=', ':', '&', '{', '}', ',', ' ', '\t', '\n', '\u00a0', '\u2003', 'é', 'X', '_', 'xcode', 'codes'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

describe('the byte-level body fast path', () => {
  it('says yes wherever the decoded text could be OAuth (a superset of bodyMightBeOAuth)', () => {
    fc.assert(
      fc.property(bodyText, (text) => {
        if (bodyMightBeOAuth({ text })) expect(bytesMightBeOAuth(utf8(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds token requests, PAR pushes and JSON bodies, and passes ordinary bodies by', () => {
    for (const yes of ['grant_type=authorization_code&code=abc', 'response_type=code&client_id=c', '{"refresh_token" : "r"}', '{\n  "client_id":\u00a0"x"}', 'a=1&code=2']) {
      expect(bytesMightBeOAuth(utf8(yes)), yes).toBe(true);
    }
    for (const no of ['{"id":3,"text":"x"}', 'comment=hello&page=2', 'zipcode=1234', '{"codes":[1,2]}', '', 'code', 'a:b']) {
      expect(bytesMightBeOAuth(utf8(no)), no).toBe(false);
    }
  });

  it('scans only up to its limit', () => {
    const body = utf8(`${'x'.repeat(100)}&code=abc`);
    expect(bytesMightBeOAuth(body, 50)).toBe(false);
    expect(bytesMightBeOAuth(body)).toBe(true);
  });

  it('reads form fields by name, own names only', () => {
    expect(formMightBeOAuth({ grant_type: ['x'] })).toBe(true);
    expect(formMightBeOAuth(Object.assign(Object.create(null), { code: ['x'] }))).toBe(true);
    expect(formMightBeOAuth({ comment: ['hello'], page: ['2'] })).toBe(false);
    expect(formMightBeOAuth(Object.create({ code: ['inherited'] }))).toBe(false);
  });
});

describe('the request-header fast path', () => {
  const reference = (headers: { name: string; value?: string }[]) =>
    headers.some(({ name, value }) => {
      const lower = name.toLowerCase();
      return lower === 'authorization' || lower === 'dpop' || (lower === 'referer' && value !== undefined && urlMightBeOAuth(value));
    });

  it('answers as a lower-cased comparison would, whatever the case of the names', () => {
    const name = fc.oneof(fc.constantFrom('Authorization', 'AUTHORIZATION', 'DPoP', 'dpop', 'Referer', 'REFERER', 'Accept', 'Accept-Language', 'Date', 'Range', 'referrer', 'authorisation'), fc.string({ maxLength: 14 }));
    const value = fc.oneof(fc.constant(undefined), fc.constantFrom('https://app.example/cb?code=abc&state=s', 'https://news.example/a?b=c'), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.array(fc.record({ name, value }, { requiredKeys: ['name'] }), { maxLength: 8 }), (headers) => {
        expect(headersMightBeOAuth(headers)).toBe(reference(headers));
      }),
      { numRuns: 3000 },
    );
  });
});
