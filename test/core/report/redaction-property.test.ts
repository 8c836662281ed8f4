/**
 * The redaction property of issue 9: generated captures with secrets in every
 * place leave no 8-character piece of any secret (as it is, or percent-encoded
 * once or twice) in any masked output: the JSON, SARIF and text reports, the
 * HAR export and "Copy as cURL" of every request. The panel's DOM: test/panel/redaction-dom.test.tsx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { toJsonReport } from '../../../src/core/report/json.ts';
import { toSarif } from '../../../src/core/report/sarif.ts';
import { toTextReport } from '../../../src/core/report/text.ts';
import { buildExport } from '../../../src/panel/exports.ts';
import { eventsToHar } from '../../../src/panel/har-export.ts';
import { toCurl } from '../../../src/panel/curl.ts';
import { captureRedactor } from '../../../src/panel/secrets.ts';
import { leakedPieces, secretCapture, secretPieces } from '../../support/secret-capture.ts';

const runs = Math.max(20, Math.round(Number(process.env.FUZZ_RUNS ?? 1000) / 20));

describe('redaction of every output (property)', () => {
  it('leaves no piece of a secret in the JSON, SARIF and text reports, the HAR export or cURL', async () => {
    await fc.assert(
      fc.asyncProperty(secretCapture, async ({ events, secrets }) => {
        const result = await audit(events);
        const pieces = secretPieces(secrets);
        const redactor = captureRedactor(events);
        const outputs: Record<string, string> = {
          json: JSON.stringify(toJsonReport(result)),
          sarif: JSON.stringify(toSarif(result, { harPath: 'capture.har' })),
          text: toTextReport(result, { color: true }),
          har: JSON.stringify(eventsToHar(events)),
          'export.har': buildExport('har', { label: 'x', events, result, dropped: 0, reveal: false }).text,
          'export.json': buildExport('json', { label: 'x', events, result, dropped: 0, reveal: false }).text,
          curl: events.map((e) => toCurl(e, false, redactor)).join('\n'),
        };
        for (const [name, text] of Object.entries(outputs)) expect(leakedPieces(text, pieces), name).toEqual([]);
        // The property can fail: revealed, the same outputs hold the secrets.
        expect(leakedPieces(JSON.stringify(eventsToHar(events, true)), pieces).length).toBeGreaterThan(0);
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
