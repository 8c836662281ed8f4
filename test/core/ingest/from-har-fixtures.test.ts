/**
 * On every real capture in test/fixtures/har, the fast path must not change
 * what the audit says: same flows, same steps, same findings, same
 * not-evaluated list as building an event for every entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { ingestHar } from '../../../src/core/ingest/from-har.ts';
import type { AuditResult } from '../../../src/core/model.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'har');
const captures = readdirSync(dir).filter((name) => name.endsWith('.har'));

function summary(result: AuditResult) {
  return {
    flows: result.analysis.flows.map((flow) => ({ id: flow.id, kind: flow.kind, legs: flow.legs.map((leg) => `${leg.id} ${leg.kind}`) })),
    findings: result.findings.map((f) => `${f.check} ${f.severity} ${f.flowId} ${f.evidence.map((e) => e.requestId).join(',')}`).sort(),
    notEvaluated: result.notEvaluated.map((n) => `${n.check} ${n.flowId}`).sort(),
  };
}

describe('ingestHar on real captures', () => {
  it('has captures to read', () => {
    expect(captures.length).toBeGreaterThan(0);
  });

  it.each(captures)('%s: the fast path changes nothing the audit reports', async (name) => {
    const har: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const fast = ingestHar(har);
    const all = ingestHar(har, { keepAll: true });
    expect(fast.warnings).toEqual([]);
    expect(summary(await audit(fast.events))).toEqual(summary(await audit(all.events)));
  });
});
