// @vitest-environment jsdom
/**
 * The redaction property in the panel's DOM: every view of a generated
 * capture (each flow with each leg, each request with its headers, bodies and
 * cURL, the request list and the findings) shows no 8-character piece of any
 * secret, text or attribute, until the user reveals one.
 */
import { cleanup, render, waitFor } from '@testing-library/preact';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { App } from '../../src/panel/components/App.tsx';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { FlowList } from '../../src/panel/components/FlowList.tsx';
import { LegDetail } from '../../src/panel/components/LegDetail.tsx';
import { RequestDetail } from '../../src/panel/components/RequestDetail.tsx';
import { RequestList } from '../../src/panel/components/RequestList.tsx';
import { flowRows } from '../../src/panel/flow-summary.ts';
import { captureRedactor, RedactorContext } from '../../src/panel/secrets.ts';
import { staticSource } from '../../src/panel/sources/static-source.ts';
import { leakedPieces, secretCapture, secretPieces } from '../support/secret-capture.ts';

afterEach(cleanup);

const runs = Math.max(10, Math.round(Number(process.env.FUZZ_RUNS ?? 1000) / 50));

describe('redaction in the panel (property)', () => {
  it('shows no piece of a secret in any view of a capture', async () => {
    await fc.assert(
      fc.asyncProperty(secretCapture, async ({ events, secrets }) => {
        const result = await audit(events);
        const pieces = secretPieces(secrets);
        const legOf = new Map(result.analysis.flows.flatMap((f) => f.legs.map((l) => [l.id, l.kind] as const)));
        const { container } = render(
          <RedactorContext.Provider value={captureRedactor(events)}>
            <RequestList events={events} legOf={legOf} selectedId={undefined} onSelect={() => undefined} />
            <FlowList rows={flowRows(result)} selectedId={undefined} onSelect={() => undefined} />
            {result.analysis.flows.map((flow) => (
              <div key={flow.id}>
                <FlowDetail flow={flow} findings={result.findings.filter((f) => f.flowId === flow.id)} notEvaluated={result.notEvaluated} />
                {flow.legs.map((leg) => (
                  <LegDetail key={leg.id} flow={flow} leg={leg} findings={result.findings} notEvaluated={result.notEvaluated} />
                ))}
              </div>
            ))}
            {events.map((event) => (
              <RequestDetail key={event.id} event={event} />
            ))}
          </RedactorContext.Provider>,
        );
        expect(container.querySelectorAll('.leg-detail').length).toBeGreaterThan(events.length);
        expect(leakedPieces(container.textContent ?? '', pieces), 'text').toEqual([]);
        expect(leakedPieces(container.innerHTML, pieces), 'markup').toEqual([]);
        cleanup();
        // The whole panel, as it opens on the capture: its own redactor, no provider around it.
        const app = render(<App source={staticSource('generated', events)} />);
        await waitFor(() => expect(app.container.querySelector('.flow-detail .leg-detail')).toBeTruthy());
        expect(leakedPieces(app.container.innerHTML, pieces), 'app').toEqual([]);
        cleanup();
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
