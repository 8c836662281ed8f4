// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { codeFlow, finding, T0 } from './fixtures.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Copy as Mermaid', () => {
  it('copies the flow as a fenced sequenceDiagram with its findings as notes, masked', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const flow = codeFlow();
    const code = flow.legs[1]!.params.code!;
    const f = finding('leak.token-cacheable', flow, 'medium', 'no no-store', [{ requestId: flow.legs[2]!.id, where: 'header.cache-control', excerpt: 'private' }]);
    render(<FlowDetail flow={flow} findings={[f]} notEvaluated={[]} now={T0} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy as Mermaid' }));
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const text = writeText.mock.calls[0]![0];
    expect(text.startsWith('```mermaid\nsequenceDiagram\n')).toBe(true);
    expect(text).toContain('->>AS: Token request');
    expect(text).toContain('Note over C,AS: MEDIUM leak.token-cacheable: no no-store');
    expect(code.length).toBeGreaterThan(8);
    expect(text).not.toContain(code);
    expect(await screen.findByText(/^copied/)).toBeTruthy();
  });
});
