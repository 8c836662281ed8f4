// @vitest-environment jsdom
/** The whole panel on the real engine: examples, HAR import, clear, live snapshots. */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '../../src/core/model.ts';
import { App } from '../../src/panel/components/App.tsx';
import { cleanCodePkce } from '../../src/panel/examples/clean-code-pkce.ts';
import { unsafeImplicit } from '../../src/panel/examples/unsafe-implicit.ts';
import type { FlowSource, Snapshot } from '../../src/panel/flow-source.ts';
import { importHarText } from '../../src/panel/import-har.ts';
import { staticSource } from '../../src/panel/sources/static-source.ts';

afterEach(cleanup);

const flowOptions = () => within(screen.getByRole('listbox')).getAllByRole('option');

function liveSource() {
  const listeners = new Set<(s: Snapshot) => void>();
  const source: FlowSource & { push(events: RequestEvent[]): void } = {
    label: 'tab 3',
    live: true,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    clear: vi.fn(),
    push: (events) => listeners.forEach((l) => l({ events, dropped: 0 })),
  };
  return source;
}

describe('panel app', () => {
  it('loads a bundled example with one click and shows its flow, legs and findings', async () => {
    render(<App source={staticSource('no capture', [])} />);
    expect(screen.getByText(/No flows yet/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Load an example capture'), { target: { value: 'unsafe-implicit' } });
    await waitFor(() => expect(flowOptions().length).toBeGreaterThan(0));
    expect(screen.getByText('example: Written: unsafe, many leaks')).toBeTruthy();
    expect(document.querySelector('[data-check="flow.implicit"]')).toBeTruthy();
    expect(document.querySelector('[data-check="nonce.missing"]')).toBeTruthy();
    expect(document.querySelector('.explainer')!.textContent).toContain('Implicit flow (deprecated)');
    expect(screen.getByRole('button', { name: 'Back to live tab' })).toBeTruthy();
  });

  it('imports a HAR from the file picker and audits it', async () => {
    render(<App source={staticSource('no capture', [])} />);
    const file = new File([JSON.stringify(cleanCodePkce)], 'login.har', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Import a HAR file'), { target: { files: [file] } });
    await waitFor(() => expect(flowOptions()).toHaveLength(1));
    expect(screen.getByText(/Imported login.har/)).toBeTruthy();
    const row = flowOptions()[0]!;
    expect(row.textContent).toContain('https://id.example.test');
    expect(row.textContent).toContain('demo-spa');
    const legs = [...document.querySelectorAll('[data-leg-id]')].map((li) => li.querySelector('.request .arrow-label')!.textContent);
    expect(legs).toEqual(['Authorization request', 'Login / consent', 'Callback to redirect_uri', 'Token request', 'API call']);
  });

  it('shows the flow\'s architecture, and judges it under FAPI 2.0 only while the switch is on', async () => {
    render(<App source={staticSource('no capture', [])} />);
    fireEvent.change(screen.getByLabelText('Load an example capture'), { target: { value: 'clean-code-pkce' } });
    await waitFor(() => expect(flowOptions().length).toBeGreaterThan(0));
    expect(document.querySelector('[data-architecture]')!.textContent).toBe('browser-only');
    expect(document.querySelector('[data-check^="fapi2."]')).toBeNull();
    fireEvent.click(document.querySelector('input[data-profile="fapi2"]')!);
    await waitFor(() => expect(document.querySelector('[data-check="fapi2.par-required"]')).toBeTruthy());
    expect(document.querySelector('[data-profile-verdict="fapi2"]')!.textContent).toMatch(/FAPI 2\.0: met \d+, broken \d+/);
    fireEvent.click(document.querySelector('input[data-profile="fapi2"]')!);
    await waitFor(() => expect(document.querySelector('[data-check^="fapi2."]')).toBeNull());
  });

  it('imports a HAR dropped on the panel, and says why a bad file was refused', async () => {
    render(<App source={staticSource('no capture', [])} />);
    const app = document.querySelector('.app')!;
    fireEvent.drop(app, { dataTransfer: { files: [new File(['{"nope": 1}'], 'bad.har')] } });
    expect(await screen.findByText(/Could not import bad.har: not a HAR/)).toBeTruthy();
    fireEvent.drop(app, { dataTransfer: { files: [new File([JSON.stringify(unsafeImplicit)], 'drop.har')] } });
    await waitFor(() => expect(flowOptions().length).toBeGreaterThan(0));
    expect(screen.getByText('drop.har')).toBeTruthy();
  });

  it('follows a live tab, keeps flows when the capture forgets them (Preserve log), and clears on demand', async () => {
    const source = liveSource();
    render(<App source={source} />);
    const { events } = importHarText(JSON.stringify(cleanCodePkce));
    source.push(events);
    await waitFor(() => expect(flowOptions()).toHaveLength(1));
    source.push([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(flowOptions()).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(source.clear).toHaveBeenCalled();
    await waitFor(() => expect(screen.getByText(/No flows yet/)).toBeTruthy());
  });

  it('says when the capture ran into the storage quota or a write failed', async () => {
    const listeners = new Set<(s: Snapshot) => void>();
    const source: FlowSource = { label: 'tab 4', live: true, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)), clear: vi.fn() };
    render(<App source={source} />);
    listeners.forEach((l) => l({ events: [], dropped: 12, notice: 'Session storage is nearly full: older requests were dropped, those without OAuth parameters first.' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/nearly full/));
    expect(screen.getByText(/12 older requests dropped/)).toBeTruthy();
  });

  it('scans storage through the host and reports leak.token-in-storage on the flow', async () => {
    const scanStorage = vi.fn(async (hashes: string[]) => [{ storage: 'localStorage' as const, key: 'access', tokenHash: hashes[0]! }]);
    const { events } = importHarText(JSON.stringify(cleanCodePkce));
    render(<App source={staticSource('tab 1', events)} host={{ scanStorage }} />);
    await waitFor(() => expect(document.querySelector('[data-check="leak.token-in-storage"]')).toBeTruthy());
    expect(document.querySelector('[data-check="leak.token-in-storage"]')!.textContent).toContain('localStorage');
  });

  it('lists every captured request (virtualised, keyboard-navigable) and shows one, its secrets masked', async () => {
    const { events } = importHarText(JSON.stringify(unsafeImplicit));
    render(<App source={staticSource('x', events)} />);
    fireEvent.click(screen.getByRole('tab', { name: /Requests/ }));
    const list = screen.getByRole('listbox', { name: `Requests (${events.length})` });
    expect(within(list).getAllByRole('option')).toHaveLength(events.length);
    expect(list.textContent).not.toContain('AT-implicit-4hG7kL2mN9pQ3rS8tV1w');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    const detail = document.querySelector('.detail-pane')!;
    expect(detail.textContent).toContain('pixel.gif');
    expect(detail.textContent).not.toContain('AT-implicit-4hG7kL2mN9pQ3rS8tV1w');
    expect(detail.querySelector('tr[data-param="page"]')!.textContent).toContain('cb');
    fireEvent.input(screen.getByLabelText('Filter requests by text'), { target: { value: 'orders' } });
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1);
  });

  it('follows the host theme', () => {
    render(<App source={staticSource('x', [])} host={{ theme: 'dark' }} />);
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});

describe('active checks and imported captures (issue 9)', () => {
  it('offers no active check for an imported HAR and says why', async () => {
    render(<App source={staticSource('no capture', [])} host={{ activeChecks: true }} />);
    const file = new File([JSON.stringify(cleanCodePkce)], 'login.har', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Import a HAR file'), { target: { files: [file] } });
    await waitFor(() => expect(flowOptions()).toHaveLength(1));
    expect(document.querySelector('.active-off')?.textContent).toMatch(/Active checks are off for an imported capture/);
    expect(document.querySelector('.active-checks, [data-active-check]')).toBeNull();
  });
});
