import { useEffect, useState } from 'preact/hooks';
import type { Flow } from '../core/model.ts';
import type { PanelHost, StorageMatch } from './flow-source.ts';
import { observedTokens, type ObservedToken } from './storage-tokens.ts';

export interface StorageScan {
  matches: StorageMatch[];
  tokens: ObservedToken[];
}

const EMPTY: StorageScan = { matches: [], tokens: [] };
const same = (a: StorageScan, b: StorageScan) => JSON.stringify(a) === JSON.stringify(b);

/**
 * DevTools only: after each audit, look for the observed tokens (by hash) in
 * the inspected page's storage. State changes only when the answer changes,
 * so feeding the matches back into the audit cannot loop.
 */
export function useStorageScan(host: PanelHost, flows: readonly Flow[]): StorageScan {
  const [scan, setScan] = useState<StorageScan>(EMPTY);
  useEffect(() => {
    const scanStorage = host.scanStorage;
    if (!scanStorage || flows.length === 0) return;
    let current = true;
    void (async () => {
      const tokens = await observedTokens(flows);
      if (tokens.length === 0) return;
      const matches = await scanStorage([...new Set(tokens.map((t) => t.hash))]);
      const next = { matches, tokens: tokens.filter((t) => matches.some((m) => m.tokenHash === t.hash)) };
      if (current) setScan((prev) => (same(prev, next) ? prev : next));
    })();
    return () => {
      current = false;
    };
  }, [host, flows]);
  return scan;
}
