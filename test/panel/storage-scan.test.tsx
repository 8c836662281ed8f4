// @vitest-environment jsdom
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/core/model.ts';
import { storageScanScript } from '../../src/panel/sources/storage-scan.ts';
import { audit } from '../../src/core/audit.ts';
import { observedTokens, sha256Hex } from '../../src/panel/storage-tokens.ts';
import { codeFlow } from './fixtures.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** What DevTools does with the script: evaluate it in the page, as a global expression. */
const evaluateInPage = (script: string): unknown => (0, eval)(script);

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('token-in-storage scan', () => {
  it('returns only the keys whose value hashes to an observed token, never the values', () => {
    localStorage.setItem('auth', 'SlAV32hkKGaccessTokenValue1234');
    localStorage.setItem('theme', 'dark');
    sessionStorage.setItem('oidc.user', JSON.stringify({ refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA', profile: { sub: 'alice' } }));
    const hashes = [sha('SlAV32hkKGaccessTokenValue1234'), sha('tGzv3JOkF0XG5Qx2TlKWIA'), sha('never-stored-token')];
    const result = evaluateInPage(storageScanScript(hashes));
    expect(result).toEqual([
      { storage: 'localStorage', key: 'auth', tokenHash: hashes[0] },
      { storage: 'sessionStorage', key: 'oidc.user', tokenHash: hashes[1] },
    ]);
    expect(JSON.stringify(result)).not.toContain('SlAV32hk');
  });

  it('hashes exactly like SHA-256 on non-ASCII and block-boundary inputs', () => {
    const values = ['', 'ä€😀', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(1000)];
    values.forEach((v, i) => localStorage.setItem(`k${i}`, v));
    const result = evaluateInPage(storageScanScript(values.map(sha))) as { key: string }[];
    expect(result.map((r) => r.key).sort()).toEqual(values.map((_, i) => `k${i}`).sort());
  });

  it('puts nothing but validated hex digests into the script', () => {
    const script = storageScanScript([sha('a'), '"]);alert(1);//', 'ABC']);
    expect(script).not.toContain('alert(1)');
    expect(script.endsWith(`(${JSON.stringify([sha('a')])})`)).toBe(true);
  });

  it('hashes the tokens the engine looks for; the engine alone turns a match into leak.token-in-storage', async () => {
    const flow = codeFlow();
    const tokens = await observedTokens([flow]);
    expect(tokens.map((t) => [t.name, t.legId])).toEqual([
      ['access_token', flow.legs[2]!.id],
      ['refresh_token', flow.legs[2]!.id],
    ]);
    expect(tokens[0]!.hash).toBe(await sha256Hex('SlAV32hkKGaccessTokenValue1234'));
    expect(tokens[0]!.hash).toBe(sha('SlAV32hkKGaccessTokenValue1234'));
    const matches = [{ storage: 'localStorage' as const, key: 'auth', tokenHash: tokens[0]!.hash }];
    const { findings } = await audit(flow.legs.map((leg) => leg.event), { storageMatches: matches });
    expect(findings.filter((f) => f.check === 'leak.token-in-storage')).toEqual([
      expect.objectContaining({ severity: 'medium', evidence: expect.arrayContaining([expect.objectContaining({ where: 'localStorage.auth' })]) }),
    ]);
  });
});

describe('the DevTools adapter', () => {
  it('reads the inspected tab and theme, and scans through inspectedWindow.eval', async () => {
    const { devtoolsContext } = await import('../../src/panel/sources/devtools-host.ts');
    expect(devtoolsContext()).toBeUndefined();
    const scripts: string[] = [];
    (globalThis as { chrome?: unknown }).chrome = {
      devtools: {
        panels: { themeName: 'dark' },
        inspectedWindow: {
          tabId: 42,
          eval: (script: string, callback: (result: unknown, exception?: unknown) => void) => {
            scripts.push(script);
            callback(evaluateInPage(script));
          },
        },
      },
    };
    try {
      localStorage.setItem('tok', 'SlAV32hkKGaccessTokenValue1234');
      const context = devtoolsContext()!;
      expect(context.tabId).toBe(42);
      expect(context.host.theme).toBe('dark');
      const hash = sha('SlAV32hkKGaccessTokenValue1234');
      expect(await context.host.scanStorage!([hash])).toEqual([{ storage: 'localStorage', key: 'tok', tokenHash: hash }]);
      expect(scripts[0]).not.toContain('SlAV32hk');
    } finally {
      delete (globalThis as { chrome?: unknown }).chrome;
    }
  });
});

describe('when the panel scans', () => {
  it('scans when the set of observed tokens changes and once more a moment later (apps store tokens after receiving them), not on every snapshot', async () => {
    const { render, cleanup, waitFor } = await import('@testing-library/preact');
    const { useStorageScan } = await import('../../src/panel/use-storage-scan.ts');
    const flow = codeFlow();
    const calls: string[][] = [];
    let stored = false;
    const host = {
      scanStorage: async (hashes: string[]) => {
        calls.push(hashes);
        return stored ? [{ storage: 'localStorage' as const, key: 'at', tokenHash: hashes[0]! }] : [];
      },
    };
    let seen: { matches: unknown[] } = { matches: [] };
    const Probe = ({ flows }: { flows: Flow[] }) => {
      seen = useStorageScan(host, flows);
      return null;
    };
    const { rerender } = render(<Probe flows={[flow]} />);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(seen.matches).toEqual([]);
    rerender(<Probe flows={[{ ...flow }]} />); // a new snapshot, the same tokens
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toHaveLength(1);
    stored = true;
    await waitFor(() => expect(seen.matches).toHaveLength(1), { timeout: 3000 });
    expect(calls).toHaveLength(2);
    cleanup();
  });
});
