// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { App } from '../../src/panel/components/App.tsx';
import { EXAMPLES } from '../../src/panel/examples/index.ts';
import { importHarText } from '../../src/panel/import-har.ts';
import { staticSource } from '../../src/panel/sources/static-source.ts';

afterEach(cleanup);

describe('bundled examples', () => {
  for (const example of EXAMPLES) {
    it(`${example.id} loads and holds at least one flow`, async () => {
      const { events } = importHarText(await example.load());
      const result = await audit(events);
      expect(result.analysis.flows.length).toBeGreaterThan(0);
    });
  }

  it('the real confidential-client capture shows the unseen token exchange as a dashed leg', async () => {
    render(<App source={staticSource('no capture', [])} />);
    fireEvent.change(screen.getByLabelText('Load an example capture'), { target: { value: 'confidential' } });
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1));
    const unseen = document.querySelector('[data-unseen="true"]')!;
    expect(unseen.querySelector('.arrow.dashed')!.textContent).toContain('Token request (server-side, not observable)');
    expect(document.querySelector('[data-token-exchange]')!.textContent).toBe('server-side');
  });

  it('the real implicit capture shows its findings with data-check', async () => {
    render(<App source={staticSource('no capture', [])} />);
    fireEvent.change(screen.getByLabelText('Load an example capture'), { target: { value: 'implicit' } });
    await waitFor(() => expect(document.querySelector('[data-check="flow.implicit"]')).toBeTruthy());
    expect(document.querySelector('[data-check="leak.token-in-fragment"]')).toBeTruthy();
  });
});
