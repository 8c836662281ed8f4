// @vitest-environment jsdom
/** The panel's pseudonymised exports, and an import of one: the carried verdicts show as such. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const downloads: { filename: string; text: string }[] = [];
vi.mock('../../src/panel/download.ts', () => ({
  downloadText: (filename: string, text: string) => downloads.push({ filename, text }),
}));

const { App } = await import('../../src/panel/components/App.tsx');
const { importHarText } = await import('../../src/panel/import-har.ts');
const { staticSource } = await import('../../src/panel/sources/static-source.ts');

afterEach(() => {
  cleanup();
  downloads.length = 0;
});

const harText = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'har', 'at-hash-mismatch.har'), 'utf8');

describe('pseudonymised export and import', () => {
  it('exports HAR and JSON without the secrets; the HAR re-imports with the real-value verdicts carried', async () => {
    const { events } = importHarText(harText);
    const code = /[?&]code=([\w-]{20,})/.exec(harText)![1]!;
    render(<App source={staticSource('at-hash.har', events)} />);
    await waitFor(() => expect(document.querySelector('[data-check="jwt.at-hash-mismatch"]')).toBeTruthy());
    expect(document.querySelector('[data-carried]')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'HAR (pseudonymised)' }));
    fireEvent.click(screen.getByRole('button', { name: 'JSON (pseudonymised)' }));
    await waitFor(() => expect(downloads).toHaveLength(2));
    // Each export is built asynchronously: they may arrive in either order.
    const har = downloads.find((file) => file.filename.endsWith('.har'));
    const json = downloads.find((file) => file.filename.endsWith('.json'));
    expect(har!.filename).toMatch(/-pseudonymised\.har$/);
    expect(json!.filename).toMatch(/-pseudonymised\.json$/);
    for (const file of downloads) expect(file.text).not.toContain(code);
    expect(JSON.parse(har!.text).log._oauthLens.findings.map((f: { check: string }) => f.check)).toEqual(['jwt.at-hash-mismatch']);
    expect(JSON.parse(json!.text).findings.map((f: { check: string }) => f.check)).toContain('jwt.at-hash-mismatch');

    cleanup();
    render(<App source={staticSource('no capture', [])} />);
    fireEvent.change(screen.getByLabelText('Import a HAR file'), { target: { files: [new File([har!.text], 'shared.har')] } });
    expect(await screen.findByText(/1 findings carried from the original capture/)).toBeTruthy();
    const card = await waitFor(() => {
      const found = document.querySelector('[data-check="jwt.at-hash-mismatch"]');
      expect(found).toBeTruthy();
      return found!;
    });
    expect(card.querySelector('[data-carried]')?.textContent).toMatch(/^Carried from the original capture/);
  });
});
