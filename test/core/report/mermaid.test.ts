// @vitest-environment jsdom
/**
 * The Mermaid export is valid Mermaid for every capture we have (mermaid's own
 * parser, under jsdom), keeps secrets masked, and cannot be steered by
 * captured text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../../src/core/audit.ts';
import { CATALOGUE } from '../../../src/core/checks/catalogue.ts';
import { ingestHar } from '../../../src/core/ingest/from-har.ts';
import type { AuditResult } from '../../../src/core/model.ts';
import { collectSecrets } from '../../../src/core/report/collect-secrets.ts';
import { escapeText, flowToMermaid, toMermaidMarkdown } from '../../../src/core/report/mermaid.ts';
import { cleanCodePkce } from '../../../src/panel/examples/clean-code-pkce.ts';
import { unsafeImplicit } from '../../../src/panel/examples/unsafe-implicit.ts';
import { codeFlow, finding, result } from '../../panel/fixtures.ts';

type Parse = (text: string) => Promise<unknown>;
let parse: Parse;

beforeAll(async () => {
  const { default: mermaid } = await import('mermaid');
  parse = (text) => mermaid.parse(text);
}, 60_000);

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'har');
const captures: [string, unknown][] = [
  ...readdirSync(dir)
    .filter((name) => name.endsWith('.har'))
    .map((name): [string, unknown] => [name, JSON.parse(readFileSync(join(dir, name), 'utf8'))]),
  ['example: clean-code-pkce', cleanCodePkce],
  ['example: unsafe-implicit', unsafeImplicit],
];

async function auditOf(har: unknown): Promise<AuditResult> {
  return audit(ingestHar(har).events);
}

describe('Mermaid sequence diagrams', () => {
  it('covers every fixture', () => {
    expect(captures.length).toBeGreaterThan(50);
  });

  for (const [name, har] of captures) {
    it(`${name}: every flow parses as a sequenceDiagram, with each finding as a note, secrets masked`, async () => {
      const res = await auditOf(har);
      // (The demo names some of its throw-away client secrets after the scenario, which is also a check id.)
      const secrets = [...collectSecrets(res.analysis)].filter((secret) => secret.length >= 12 && !CATALOGUE.some((check) => check.id.includes(secret)));
      for (const flow of res.analysis.flows) {
        const text = flowToMermaid(res, flow.id);
        expect(text.startsWith('sequenceDiagram\n')).toBe(true);
        await expect(parse(text)).resolves.toBeTruthy();
        for (const f of res.findings.filter((x) => x.flowId === flow.id)) expect(text).toContain(` ${f.check}: `);
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
      const markdown = toMermaidMarkdown(res);
      const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]!);
      expect(blocks.length).toBe(res.analysis.flows.length);
      for (const block of blocks) await expect(parse(block)).resolves.toBeTruthy();
    });
  }

  it('the README\'s diagram parses too', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) await expect(parse(block)).resolves.toBeTruthy();
  });

  it('escapes captured text: no line break, statement separator or markup survives', () => {
    expect(escapeText('a;b#c<d>e%f{g}"h\nNote over B: x')).toBe('a#59;b#35;c#lt;d#gt;e#37;f#123;g#125;#quot;h Note over B: x');
    expect(escapeText('x'.repeat(1000)).length).toBeLessThanOrEqual(200);
  });

  it('a hostile finding message stays one note and still parses', async () => {
    const flow = codeFlow();
    const hostile = finding('state.weak', flow, 'medium', 'weak\nparticipant X as Evil\nX->>B: pwned; end', [{ requestId: flow.legs[0]!.id, where: 'url.query.state', excerpt: 's' }]);
    const text = flowToMermaid(result([flow], [hostile]), flow.id);
    expect(text.split('\n').filter((line) => line.includes('pwned'))).toHaveLength(1);
    expect(text).not.toMatch(/^\s*participant X/m);
    await expect(parse(text)).resolves.toBeTruthy();
  });
});
