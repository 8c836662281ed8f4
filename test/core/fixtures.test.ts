/**
 * The engine on real captures: every HAR in test/fixtures/har was recorded by
 * scripts/capture/capture.ts (real Chromium, real oidc-provider and a flawed
 * AS on loopback). scenarios.json says, from each scenario's design, exactly
 * which check ids must be reported.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { CATALOGUE } from '../../src/core/checks/catalogue.ts';
import { ingestHar } from '../../src/core/ingest/from-har.ts';
import type { StorageMatch } from '../../src/core/model.ts';

interface Scenario {
  name: string;
  description: string;
  expect: string[];
  flows: number;
  kinds?: string[];
  /** A profile to judge the capture under (its fapi2.* clauses are then expected like any check). */
  profile?: 'fapi2';
}

const dir = new URL('../fixtures/', import.meta.url);
const scenarios = JSON.parse(readFileSync(new URL('scenarios.json', dir), 'utf8')) as Scenario[];

/** What the panel would find in the page's web storage (hashes only), from Playwright's storageState. */
function storageMatches(name: string): StorageMatch[] {
  const file = new URL(`har/${name}.storage.json`, dir);
  if (!existsSync(file)) return [];
  const state = JSON.parse(readFileSync(file, 'utf8')) as { origins?: { origin: string; localStorage?: { name: string; value: string }[] }[] };
  return (state.origins ?? []).flatMap((o) =>
    (o.localStorage ?? []).map((entry) => ({
      storage: 'localStorage' as const,
      key: entry.name,
      origin: o.origin,
      tokenHash: createHash('sha256').update(entry.value).digest('hex'),
    })),
  );
}

async function run(scenario: Scenario) {
  const har = JSON.parse(readFileSync(new URL(`har/${scenario.name}.har`, dir), 'utf8'));
  const { events } = ingestHar(har);
  return audit(events, { storageMatches: storageMatches(scenario.name), ...(scenario.profile ? { profile: scenario.profile } : {}) });
}

describe('real captures', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: ${scenario.description}`, async () => {
      const result = await run(scenario);
      const ids = [...new Set(result.findings.map((f) => f.check))].sort();
      expect(ids).toEqual([...new Set(scenario.expect)].sort());
      expect(result.analysis.flows).toHaveLength(scenario.flows);
      if (scenario.kinds) expect(result.analysis.flows.map((f) => f.kind).sort()).toEqual([...scenario.kinds].sort());
    });
  }

  it('every passive check fires on at least one capture and stays silent on another', () => {
    const passive = CATALOGUE.filter((c) => c.kind === 'passive').map((c) => c.id);
    const firing = (id: string) => scenarios.filter((s) => s.expect.includes(id)).length;
    const uncovered = passive.filter((id) => firing(id) === 0 || firing(id) === scenarios.length);
    expect(uncovered).toEqual([]);
  });
});
