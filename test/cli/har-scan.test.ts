import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarError, ingestHar } from '../../src/core/ingest/from-har.ts';
import { scanHarEntries } from '../../src/cli/har-scan.ts';

function scan(text: string): unknown[] {
  const entries: unknown[] = [];
  scanHarEntries(Buffer.from(text, 'utf8'), (entry) => entries.push(entry));
  return entries;
}

describe('scanHarEntries', () => {
  it.each([
    { description: 'compact', text: '{"log":{"entries":[{"a":1},{"b":[1,2]}]}}', entries: [{ a: 1 }, { b: [1, 2] }] },
    { description: 'pretty-printed', text: JSON.stringify({ log: { version: '1.2', entries: [{ a: 1 }, { b: 2 }] } }, null, 2), entries: [{ a: 1 }, { b: 2 }] },
    { description: 'brackets and quotes inside strings', text: '{"log":{"entries":[{"u":"a]}\\"{[,\\\\"},{"v":"\\\\\\""}]}}', entries: [{ u: 'a]}"{[,\\' }, { v: '\\"' }] },
    { description: 'keys that look like ours, deeper down', text: '{"x":{"log":{"entries":[1]}},"log":{"pages":[{"entries":[2]}],"entries":[{"ok":true}]}}', entries: [{ ok: true }] },
    { description: 'bare values among entries', text: '{"log":{"entries":[null, 3 ,"s",{"a":1}]}}', entries: [null, 3, 's', { a: 1 }] },
    { description: 'non-ASCII text', text: '{"log":{"entries":[{"t":"é – 日本 🔑"}]}}', entries: [{ t: 'é – 日本 🔑' }] },
    { description: 'a byte order mark', text: '\ufeff{"log":{"entries":[{"a":1}]}}', entries: [{ a: 1 }] },
    { description: 'empty entries', text: '{ "log" : { "entries" : [ ] } }\n', entries: [] },
    { description: 'log after other keys', text: '{"meta":{"entries":[9]},"log":{"creator":{"name":"x"},"entries":[{"a":1}]}}', entries: [{ a: 1 }] },
  ])('reads $description', ({ text, entries }) => {
    expect(scan(text)).toEqual(entries);
  });

  it.each([
    { description: 'an empty file', text: '', reason: 'not JSON: the file is empty' },
    { description: 'HTML', text: '<html>', reason: 'not JSON: starts with "<html>"' },
    { description: 'an array', text: '[{"log":{}}]', reason: 'not a HAR: expected a JSON object with log.entries' },
    { description: 'a number', text: '42', reason: 'not a HAR: expected a JSON object with log.entries' },
    { description: 'no log', text: '{"a":{"entries":[]}}', reason: 'not a HAR: missing "log"' },
    { description: 'no entries', text: '{"log":{"pages":[]}}', reason: 'not a HAR: missing log.entries' },
    { description: 'a cut in an entry', text: '{"log":{"entries":[{"a":1},{"b":', reason: 'truncated: the file ends before its JSON does inside log.entries (after 1 entries)' },
    { description: 'a cut in a string', text: '{"log":{"entries":[{"a":"abc', reason: 'truncated: the file ends before its JSON does inside log.entries (after 0 entries)' },
    { description: 'a cut after the entries', text: '{"log":{"entries":[],"pages":[', reason: 'truncated: the file ends before its JSON does' },
    { description: 'garbage after the end', text: '{"log":{"entries":[]}} x', reason: 'not JSON: unexpected data after the end of the top-level object' },
    { description: 'a broken entry', text: '{"log":{"entries":[{"a":01}]}}', reason: /^not valid JSON in log\.entries\[0\]: / },
    { description: 'too many closing brackets', text: '{"log":{"entries":[]}}}', reason: 'not JSON: unexpected data after the end of the top-level object' },
  ])('rejects $description with one line', ({ text, reason }) => {
    let error: unknown;
    try {
      scan(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarError);
    const message = (error as Error).message;
    if (typeof reason === 'string') expect(message).toBe(reason);
    else expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });

  it('reads exactly what JSON.parse reads, however the file is laid out', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.jsonValue(), fc.constantFrom(0, 1, 2, '\t'), (entries, other, indent) => {
        const text = JSON.stringify({ other, log: { version: '1.2', pages: [other], entries }, after: other }, null, indent);
        // JSON.stringify turns -0 into 0; compare with what JSON.parse gives back.
        expect(scan(text)).toEqual((JSON.parse(text) as { log: { entries: unknown[] } }).log.entries);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  }, 60_000);

  it('never throws anything but HarError, on any cut of a HAR', () => {
    const text = JSON.stringify({ log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'https://a.example/?code=x"y' } }, null, { b: ['[', '{', '\\'] }] } }, null, 1);
    for (let cut = 0; cut < text.length; cut++) {
      try {
        scan(text.slice(0, cut));
      } catch (error) {
        expect(error).toBeInstanceOf(HarError);
      }
    }
  });
});

describe('ingestHar never throws on odd entries', () => {
  it('skips whatever is not an entry, and throws only HarError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.record({ request: fc.anything(), response: fc.anything(), startedDateTime: fc.anything() }))), (entries) => {
        const result = ingestHar({ log: { entries } });
        expect(result.events.length).toBeLessThanOrEqual(entries.length);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  }, 60_000);

  it('survives entries that look right at the top and are wrong inside', () => {
    const odd = fc.oneof(fc.anything(), fc.array(fc.record({ name: fc.oneof(fc.string(), fc.anything()), value: fc.oneof(fc.string(), fc.anything()) })));
    const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('https://as.example/authorize?response_type=code&client_id=a', 'https://app.example/cb?code=abcdefgh12345678&state=s', '/relative?code=1', 'not a url'));
    const entry = fc.record({
      startedDateTime: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.anything()),
      request: fc.record({ method: fc.constantFrom('GET', 'POST', 'get', ''), url, headers: odd, postData: fc.oneof(fc.anything(), fc.record({ mimeType: fc.oneof(fc.constant('application/x-www-form-urlencoded'), fc.string()), text: fc.oneof(fc.string(), fc.constant('grant_type=x&code=%E0%A4%A')), params: odd })) }),
      response: fc.record({ status: fc.oneof(fc.constantFrom(200, 302, 303, 307, 0, -1), fc.anything()), headers: odd, redirectURL: fc.oneof(url, fc.anything()), content: fc.oneof(fc.anything(), fc.record({ text: fc.oneof(fc.string(), fc.constant('{"access_token":"abcdefghijk"}')), encoding: fc.constantFrom('base64', undefined, 'x'), mimeType: fc.anything() })) }),
      _initiator: fc.anything(),
      _resourceType: fc.anything(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        for (const keepAll of [false, true]) {
          const { events } = ingestHar({ log: { entries } }, { keepAll });
          for (const event of events) {
            for (const field of ['id', 'requestId', 'url', 'method', 'type'] as const) expect(typeof event[field]).toBe('string');
            for (const field of ['redirectUrl', 'initiator', 'statusText', 'error'] as const) expect(['string', 'undefined']).toContain(typeof event[field]);
            expect(Number.isFinite(event.time)).toBe(true);
            for (const h of [...(event.requestHeaders ?? []), ...(event.responseHeaders ?? [])]) expect([typeof h.name, typeof h.value]).toEqual(['string', 'string']);
            if (event.responseBody) expect(typeof event.responseBody.text).toBe('string');
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  }, 60_000);
});
