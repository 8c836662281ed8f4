/**
 * On every real capture in test/fixtures/har: no secret the capture holds
 * (codes, tokens, verifiers, client secrets, credentials, long cookies) shows
 * up in the JSON, SARIF or text report, unless revealed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { CATALOGUE } from '../../../src/core/checks/catalogue.ts';
import { ingestHar } from '../../../src/core/ingest/from-har.ts';
import { collectSecrets } from '../../../src/core/report/collect-secrets.ts';
import { toJsonReport } from '../../../src/core/report/json.ts';
import { toSarif } from '../../../src/core/report/sarif.ts';
import { toTextReport } from '../../../src/core/report/text.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'har');
const captures = readdirSync(dir).filter((name) => name.endsWith('.har'));
let checkedSecrets = 0;

describe('reports of real captures', () => {
  it.each(captures)('%s: no secret in any format', async (name) => {
    const har: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    // The capture harness keeps the scenario's name (the file's name, often a check id) in a cookie: not a secret.
    const isScenarioName = (value: string) => name.includes(value) || CATALOGUE.some((c) => c.id.includes(value));
    const secrets = [...collectSecrets(ingestHar(har, { keepAll: true }).events)].filter((value) => !isScenarioName(value));
    checkedSecrets += secrets.length;
    const result = await audit(ingestHar(har).events);
    const outputs = {
      json: JSON.stringify(toJsonReport(result)),
      sarif: JSON.stringify(toSarif(result, { harPath: name })),
      text: toTextReport(result, { color: true }),
    };
    for (const [format, output] of Object.entries(outputs)) {
      const leaked = secrets.filter((secret) => output.includes(secret));
      expect({ format, leaked }).toEqual({ format, leaked: [] });
    }
  });

  it('had secrets to hide (the test above is not vacuous)', () => {
    expect(checkedSecrets).toBeGreaterThan(captures.length);
  });
});
