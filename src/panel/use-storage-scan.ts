import { useEffect, useRef, useState } from 'preact/hooks';
import type { Flow } from '../core/model.ts';
import type { PanelHost, StorageMatch } from './flow-source.ts';
import { observedTokens, type ObservedToken } from './storage-tokens.ts';

export interface StorageScan {
  matches: StorageMatch[];
  tokens: ObservedToken[];
}

const EMPTY: StorageScan = { matches: [], tokens: [] };
/** Apps store a token a moment after they receive it: look again once, this much later. */
const RESCAN_MS = 2000;
const same = (a: StorageScan, b: StorageScan) => JSON.stringify(a) === JSON.stringify(b);

/**
 * DevTools only: look for the observed tokens (by hash) in the inspected
 * page's storage, when the set of tokens changes and once more a moment
 * later. Hashing every stored value runs in the page, so it is not repeated
 * on every snapshot. State changes only when the answer changes, so feeding
 * the matches back into the audit cannot loop.
 */
export function useStorageScan(host: PanelHost, flows: readonly Flow[]): StorageScan {
  const [scan, setScan] = useState<StorageScan>(EMPTY);
  /** The token set last scanned for; a scan's answer counts only while it is still the latest. */
  const lastKey = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    const scanStorage = host.scanStorage;
    if (!scanStorage || flows.length === 0) return;
    void (async () => {
      const tokens = await observedTokens(flows);
      const hashes = [...new Set(tokens.map((t) => t.hash))].sort();
      const key = hashes.join(',');
      if (hashes.length === 0 || key === lastKey.current) return;
      lastKey.current = key;
      const run = async () => {
        const matches = await scanStorage(hashes);
        if (lastKey.current !== key) return;
        const next = { matches, tokens: tokens.filter((t) => matches.some((m) => m.tokenHash === t.hash)) };
        setScan((prev) => (same(prev, next) ? prev : next));
      };
      clearTimeout(timer.current);
      await run();
      timer.current = setTimeout(() => void run(), RESCAN_MS);
    })();
  }, [host, flows]);
  return scan;
}
