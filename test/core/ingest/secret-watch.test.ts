import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretWatch } from '../../../src/core/ingest/secret-watch.ts';

/** The plain answer: does the URL's first 64 KB hold one of the values (raw, decoded or re-encoded)? */
function naive(values: string[], url: string): boolean {
  const searched = url.slice(0, 64 * 1024);
  return values.some((value) => searched.includes(value));
}

const alphabet = fc.constantFrom(...'abcAB01-_%2F.=&?'.split(''));
const token = fc.array(alphabet, { minLength: 8, maxLength: 14 }).map((chars) => chars.join(''));

describe('SecretWatch.carriedBy', () => {
  it('finds a watched code or token anywhere in a URL, with a few values or many', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 40 }), fc.array(fc.oneof(token, fc.array(alphabet, { maxLength: 6 }).map((c) => c.join(''))), { maxLength: 8 }), (codes, parts) => {
        const watch = new SecretWatch();
        for (const code of codes) watch.learnUrl(`https://app.example/cb?code=${code}&state=s`);
        const url = `https://t.example/collect?dl=${parts.join('')}`;
        const watched = [...new Set(codes.flatMap((code) => [code, safeDecode(code), encodeURIComponent(safeDecode(code))]))].filter((v) => v.length >= 8).slice(-256);
        expect(watch.carriedBy(url)).toBe(naive(watched, url));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a value at the very start and end of the searched part, and none past 64 KB', () => {
    const watch = new SecretWatch();
    for (let n = 0; n < 30; n++) watch.learnUrl(`https://app.example/cb?code=code-${String(n).padStart(4, '0')}-xyz`);
    expect(watch.carriedBy('code-0007-xyz')).toBe(true);
    expect(watch.carriedBy(`https://x.example/?a=${'b'.repeat(100)}code-0029-xyz`)).toBe(true);
    expect(watch.carriedBy(`https://x.example/?a=${'b'.repeat(100)}code-0029-xy`)).toBe(false);
    const edge = 64 * 1024;
    expect(watch.carriedBy(`${'a'.repeat(edge - 13)}code-0001-xyz`)).toBe(true);
    expect(watch.carriedBy(`${'a'.repeat(edge - 12)}code-0001-xyz`)).toBe(false);
  });
});

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
