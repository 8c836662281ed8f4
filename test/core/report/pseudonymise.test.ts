/**
 * Shareable evidence: for every fixture, the pseudonymised HAR re-audits to
 * the original findings (the carried checks from `_oauthLens`, the rest
 * recomputed on pseudonyms), and no secret of the original is left in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { CATALOGUE } from '../../../src/core/checks/catalogue.ts';
import { ingestHar } from '../../../src/core/ingest/from-har.ts';
import type { AuditResult, Finding } from '../../../src/core/model.ts';
import { collectSecrets } from '../../../src/core/report/collect-secrets.ts';
import { CARRIED_CHECKS, createPseudonymiser, pseudonymiseHar, readCarriedVerdicts, replaceWhole, withCarriedVerdicts } from '../../../src/core/report/pseudonymise.ts';
import { cleanCodePkce } from '../../../src/panel/examples/clean-code-pkce.ts';
import { unsafeImplicit } from '../../../src/panel/examples/unsafe-implicit.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'har');
const captures: [string, unknown][] = [
  ...readdirSync(dir)
    .filter((name) => name.endsWith('.har'))
    .map((name): [string, unknown] => [name, JSON.parse(readFileSync(join(dir, name), 'utf8'))]),
  ['example: clean-code-pkce', cleanCodePkce],
  ['example: unsafe-implicit', unsafeImplicit],
];

/** Whether `value` occurs in `text` with no letter, digit, `_` or `-` right before or after it (or a %-escape before it). */
function standsAlone(text: string, value: string): boolean {
  const word = (ch: string) => /[A-Za-z0-9_-]/.test(ch);
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    const before = text.charAt(at - 1);
    const escaped = at >= 3 && text.charAt(at - 3) === '%';
    if ((!word(before) || escaped) && !word(text.charAt(at + value.length))) return true;
  }
  return false;
}

const auditOf = async (har: unknown): Promise<AuditResult> => audit(ingestHar(har).events);
/** What a finding says, without the values (which are pseudonyms after the round trip). */
const shape = (f: Finding) => `${f.flowId} ${f.check} ${f.severity} ${f.evidence.map((e) => `${e.requestId}:${e.where}`).join(' ')}`;

describe('pseudonymised export', () => {
  it('covers every fixture', () => {
    expect(captures.length).toBeGreaterThan(50);
  });

  for (const [name, har] of captures) {
    it(`${name}: the re-audit reports the original findings; no original secret is left`, async () => {
      const original = await auditOf(har);
      const pseudonymiser = await createPseudonymiser(original);
      const shared = pseudonymiseHar(har, original, pseudonymiser);
      const reaudit = withCarriedVerdicts(await auditOf(shared), readCarriedVerdicts(shared));
      expect(reaudit.findings.map(shape).sort()).toEqual(original.findings.map(shape).sort());
      expect(reaudit.analysis.flows.map((f) => f.kind)).toEqual(original.analysis.flows.map((f) => f.kind));
      for (const f of reaudit.findings) expect(f.carried === true).toBe(CARRIED_CHECKS.includes(f.check));
      // Check ids are not from the capture (the demo names some throw-away client secrets after a check).
      const text = CATALOGUE.reduce((all, check) => all.split(check.id).join(''), JSON.stringify(shared));
      // (An unsecured JWT, alg none with no signature, is kept whole: see pseudonymise.ts.)
      const unsecured = (value: string) => value.startsWith('eyJ') && value.endsWith('.') && value.split('.').length === 3;
      // A long value must be gone everywhere; a short one wherever it stands as a value (not inside a word: `implicit` in `lens-implicit`).
      for (const secret of collectSecrets(original.analysis)) {
        if (secret.length < 8 || unsecured(secret)) continue;
        if (secret.length >= 16) expect(text).not.toContain(secret);
        else expect(standsAlone(text, secret)).toBe(false);
      }
    });
  }

  it('the same value gets the same pseudonym within one export, a different one in the next', async () => {
    const original = await auditOf(captures.find(([name]) => name === 'state-reused.har')![1]);
    const [a, b] = await Promise.all([createPseudonymiser(original), createPseudonymiser(original)]);
    const secret = [...collectSecrets(original.analysis)].find((s) => s.length >= 20)!;
    expect(a.text(`${secret} ${secret}`)).toBe(`${a.text(secret)} ${a.text(secret)}`);
    expect(a.text(secret)).not.toBe(secret);
    expect(a.text(secret)).toHaveLength(secret.length);
    expect(b.text(secret)).not.toBe(a.text(secret));
  });

  it('replaces the login form\'s password too (the demo user\'s, in clean.har)', async () => {
    const har = captures.find(([name]) => name === 'clean.har')![1];
    expect(JSON.stringify(har)).toContain('demo-password');
    const original = await auditOf(har);
    expect(JSON.stringify(pseudonymiseHar(har, original, await createPseudonymiser(original)))).not.toContain('demo-password');
  });

  it('replaces a value only where it stands alone', () => {
    expect(replaceWhole('client_id=lens-implicit&x=implicit', 'implicit', 'P')).toBe('client_id=lens-implicit&x=P');
    expect(replaceWhole('next=https%3A%2F%2Fe%2F%3Fcode%3Dabc123%26s', 'abc123', 'P')).toBe('next=https%3A%2F%2Fe%2F%3Fcode%3DP%26s');
    expect(replaceWhole('"abc123" abc1234 xabc123', 'abc123', 'P')).toBe('"P" abc1234 xabc123');
  });

  it('ignores a forged or malformed _oauthLens block field by field', () => {
    expect(readCarriedVerdicts({ log: { _oauthLens: { version: 2, pseudonymised: true, checks: [], findings: [], notEvaluated: [] } } })).toBeUndefined();
    const read = readCarriedVerdicts({ log: { _oauthLens: { version: 1, pseudonymised: true, checks: ['pkce.mismatch'], findings: [{ check: 'pkce.mismatch' }, { check: 'state.weak', severity: 'high', flowId: 'f', message: 'm', reference: 'r', evidence: [] }], notEvaluated: [null] } } });
    expect(read).toEqual({ version: 1, pseudonymised: true, checks: ['pkce.mismatch'], findings: [], notEvaluated: [] });
  });
});
