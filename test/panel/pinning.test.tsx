// @vitest-environment jsdom
/**
 * Every finding on its leg: one component test per pinning rule (the panel's
 * timeline, on real captures and the bundled examples), then a check over every
 * fixture and example that no finding whose evidence names a request of the
 * capture is left "Not on a leg of this flow".
 */
import { cleanup, render } from '@testing-library/preact';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { timelineRows, unpinnedFindings } from '../../src/core/flows/sequence.ts';
import { ingestHar } from '../../src/core/ingest/from-har.ts';
import type { AuditResult } from '../../src/core/model.ts';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { cleanCodePkce } from '../../src/panel/examples/clean-code-pkce.ts';
import { unsafeImplicit } from '../../src/panel/examples/unsafe-implicit.ts';

afterEach(cleanup);

const dir = join(import.meta.dirname, '..', 'fixtures', 'har');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(dir, `${name}.har`), 'utf8'));
const auditOf = async (har: unknown): Promise<AuditResult> => audit(ingestHar(har).events);

/** The timeline of the result's flow that has `check`, rendered as the panel does. */
async function drawn(har: unknown, check: string) {
  const result = await auditOf(har);
  const flowId = result.findings.find((f) => f.check === check)?.flowId;
  const flow = result.analysis.flows.find((f) => f.id === flowId)!;
  expect(flow).toBeTruthy();
  render(<FlowDetail flow={flow} findings={result.findings.filter((f) => f.flowId === flow.id)} notEvaluated={[]} events={result.analysis.events} />);
  const rows = [...document.querySelectorAll<HTMLElement>('li[data-leg-id]')];
  const rowsWith = (id: string) => rows.filter((row) => row.querySelector(`[data-check="${id}"]`) || row.textContent?.includes(` · ${id}`));
  const flowWide = document.querySelector('.flow-wide')?.textContent ?? '';
  return { rows, rowsWith, flowWide };
}

const label = (row: HTMLElement) => row.querySelector('.request .arrow-label')?.textContent;
const responseLabel = (row: HTMLElement) => row.querySelector('.response .arrow-label')?.textContent;

describe('every finding on its leg', () => {
  it('a response carried in a redirect pins to that redirect: leak.token-in-fragment on the 303 of the AS (Real: implicit flow)', async () => {
    const { rowsWith, flowWide } = await drawn(fixture('implicit'), 'leak.token-in-fragment');
    const [row, ...more] = rowsWith('leak.token-in-fragment');
    expect(more).toEqual([]);
    expect(label(row!)).toBe('Authorization response (redirect to redirect_uri)');
    expect(responseLabel(row!)).toBe('303 redirect');
    expect(flowWide).not.toContain('leak.token-in-fragment');
  });

  it('the callback is the navigation to the redirect_uri, not the AS resume redirect', async () => {
    const { rows } = await drawn(fixture('implicit'), 'leak.token-in-fragment');
    const callbacks = rows.filter((row) => label(row) === 'Callback to redirect_uri');
    expect(callbacks).toHaveLength(1);
    const arrow = callbacks[0]!.querySelector('.request')!;
    expect([arrow.getAttribute('data-from'), arrow.getAttribute('data-to')]).toEqual(['browser', 'client']);
    expect(arrow.textContent).toMatch(/app\.example\.test:\d+\/callback/);
    expect(rows.filter((row) => label(row) === 'Authorization response (redirect to redirect_uri)')[0]!.textContent).toMatch(/op\.example\.test:\d+\/auth\//);
  });

  it('ID token checks pin to the leg that delivered the token, not to the authorization request (Written: unsafe)', async () => {
    const { rowsWith } = await drawn(unsafeImplicit, 'jwt.expired');
    const rows = rowsWith('jwt.expired');
    expect(rows.map(label)).toEqual(['Authorization response (redirect to redirect_uri)']);
    // What the authorization request itself got wrong stays there.
    expect(rowsWith('flow.implicit').map(label)).toEqual(['Authorization request']);
  });

  it('ID token checks from a token response pin to the token request', async () => {
    const { rowsWith } = await drawn(fixture('jwt-expired'), 'jwt.expired');
    expect(rowsWith('jwt.expired').map(label)).toEqual(['Token request']);
  });

  it('a secret sent to a third party is a leg to the "Third party" lane, where the finding points (Referer leak)', async () => {
    const { rowsWith, flowWide } = await drawn(fixture('referer-leak'), 'leak.referrer');
    const [row, ...more] = rowsWith('leak.referrer');
    expect(more).toEqual([]);
    expect(row!.getAttribute('data-lane-to')).toBe('third');
    expect(label(row!)).toBe('Request to a third party');
    expect(row!.textContent).toMatch(/tracker\.example\.test:\d+\/pixel\.gif/);
    expect(document.querySelector('.lane-title:last-child')?.textContent).toBe('Third party');
    expect(flowWide).not.toContain('leak.referrer');
  });

  it('a forwarded code pins to the callback that received it and to the request that carried it on', async () => {
    const { rowsWith } = await drawn(fixture('code-forwarded'), 'code.forwarded');
    const rows = rowsWith('code.forwarded');
    expect(rows.map(label)).toEqual(['Callback to redirect_uri', 'Request to a third party']);
  });

  it('a token sent in a query to the flow\'s API goes to the API lane', async () => {
    const { rowsWith } = await drawn(fixture('token-in-query'), 'leak.token-in-query');
    const outside = rowsWith('leak.token-in-query').filter((row) => row.getAttribute('data-leg-id')!.startsWith('outside-'));
    expect(outside).toHaveLength(1);
    expect(['api', 'third']).toContain(outside[0]!.getAttribute('data-lane-to'));
    expect(outside[0]!.textContent).toMatch(/api\.example\.test:\d+\/v1\/me/);
  });
});

describe('no finding that cites a request is left off the diagram', () => {
  const captures: [string, unknown][] = [
    ...readdirSync(dir)
      .filter((name) => name.endsWith('.har'))
      .map((name): [string, unknown] => [name, fixture(name.replace(/\.har$/, ''))]),
    ['example: clean-code-pkce', cleanCodePkce],
    ['example: unsafe-implicit', unsafeImplicit],
  ];
  it('covers every fixture and example', () => {
    expect(captures.length).toBeGreaterThan(50);
  });
  for (const [name, har] of captures) {
    it(name, async () => {
      const result = await auditOf(har);
      const ids = new Set(result.analysis.events.map((e) => e.id));
      for (const flow of result.analysis.flows) {
        const findings = result.findings.filter((f) => f.flowId === flow.id);
        const left = unpinnedFindings(flow, findings, result.analysis.events).filter((f) => f.evidence.some((e) => ids.has(e.requestId) || ids.has(e.requestId.split('#')[0]!)));
        expect(left.map((f) => `${f.check} @ ${f.evidence.map((e) => e.requestId).join(',')}`)).toEqual([]);
        const onRows = timelineRows(flow, findings, result.analysis.events).flatMap((row) => row.findings);
        expect(new Set(onRows).size + unpinnedFindings(flow, findings, result.analysis.events).length).toBe(findings.length);
      }
    });
  }
});
