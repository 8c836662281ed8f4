// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { audit } from '../../src/core/audit.ts';
import { App } from '../../src/panel/components/App.tsx';
import { cleanCodePkce } from '../../src/panel/examples/clean-code-pkce.ts';
import { buildExport } from '../../src/panel/exports.ts';
import { importHarText } from '../../src/panel/import-har.ts';
import { staticSource } from '../../src/panel/sources/static-source.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const { events } = importHarText(JSON.stringify(cleanCodePkce));
const SECRETS = ['c0de-7Yh2Kq9Lm4Np8Rs1Tv6Wx3Za5Bc', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'at-9fK2mQ7xLp3Vn8Rt1Yw5Zc6Bd4Hs0Ju', 'correct horse'];

describe('exports', () => {
  for (const format of ['har', 'json', 'sarif'] as const) {
    it(`${format}: masked by default, the secrets only when asked`, async () => {
      const result = await audit(events);
      const masked = buildExport(format, { label: 'tab 3', events, result, dropped: 0, reveal: false });
      expect(masked.filename).toBe(`oauth-lens-tab-3.${format}`);
      for (const secret of SECRETS.slice(0, 3)) expect(masked.text).not.toContain(secret);
      if (format !== 'sarif') expect(masked.text).toContain('demo-spa');
      const parsed = JSON.parse(masked.text) as Record<string, unknown>;
      if (format === 'har') expect((parsed.log as { entries: unknown[] }).entries).toHaveLength(events.length);
      if (format === 'json') expect(parsed.version).toBe(1);
      if (format === 'sarif') expect(parsed.version).toBe('2.1.0');
      const revealed = buildExport(format, { label: 'tab 3', events, result, dropped: 0, reveal: true });
      expect(revealed.filename).toContain('UNMASKED');
    });
  }

  it('downloads from the toolbar', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (blobs.push(b), 'blob:x'));
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(<App source={staticSource('login.har', events)} />);
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    expect(click).toHaveBeenCalledTimes(1);
    const text = await blobs[0]!.text();
    expect(JSON.parse(text).flows).toHaveLength(1);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
