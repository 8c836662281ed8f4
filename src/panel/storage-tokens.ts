/**
 * The panel side of `leak.token-in-storage`: hash the tokens observed in the
 * flows and ask the host to look for those hashes in the inspected page's
 * storage. The matches go back to the engine (AuditOptions.storageMatches),
 * which alone judges and reports. The tokens never go to the page, only
 * their SHA-256.
 */
import { sha256Hex } from '../core/hash.ts';
import type { Flow } from '../core/model.ts';

/** The tokens the engine's check looks for in storage. */
const STORED_TOKENS = ['access_token', 'refresh_token'];

export { sha256Hex };

export interface ObservedToken {
  flowId: string;
  legId: string;
  name: string;
  hash: string;
}

export async function observedTokens(flows: readonly Flow[]): Promise<ObservedToken[]> {
  const out: ObservedToken[] = [];
  for (const flow of flows) {
    for (const leg of flow.legs) {
      const sources: Record<string, unknown>[] = [leg.params];
      if (leg.response) sources.push(leg.response);
      for (const source of sources) {
        for (const name of STORED_TOKENS) {
          const value = Object.hasOwn(source, name) ? source[name] : undefined;
          if (typeof value === 'string' && value.length >= 8) out.push({ flowId: flow.id, legId: leg.id, name, hash: await sha256Hex(value) });
        }
      }
    }
  }
  return out;
}
