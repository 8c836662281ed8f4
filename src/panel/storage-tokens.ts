/**
 * The panel side of `leak.token-in-storage`: hash the tokens observed in the
 * flows, ask the host to look for those hashes in the inspected page's
 * storage, and turn matches into findings pinned to the leg that carried the
 * token. The tokens never go to the page, only their SHA-256.
 */
import { checkDefinition } from '../core/checks/catalogue.ts';
import type { Finding, Flow } from '../core/model.ts';
import type { StorageMatch } from './flow-source.ts';

const STORED_TOKENS = ['access_token', 'refresh_token', 'id_token'];

export interface ObservedToken {
  flowId: string;
  legId: string;
  name: string;
  hash: string;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function observedTokens(flows: readonly Flow[]): Promise<ObservedToken[]> {
  const out: ObservedToken[] = [];
  for (const flow of flows) {
    for (const leg of flow.legs) {
      const sources: Record<string, unknown>[] = [leg.params];
      if (leg.response) sources.push(leg.response);
      for (const source of sources) {
        for (const name of STORED_TOKENS) {
          const value = source[name];
          if (typeof value === 'string' && value.length >= 8) out.push({ flowId: flow.id, legId: leg.id, name, hash: await sha256Hex(value) });
        }
      }
    }
  }
  return out;
}

/** Findings for matches the engine has not already reported for the flow. */
export function storageFindings(matches: readonly StorageMatch[], tokens: readonly ObservedToken[], engineFindings: readonly Finding[]): Finding[] {
  const def = checkDefinition('leak.token-in-storage');
  const reported = new Set(engineFindings.filter((f) => f.check === def.id).map((f) => f.flowId));
  const out: Finding[] = [];
  for (const match of matches) {
    for (const token of tokens.filter((t) => t.hash === match.tokenHash)) {
      if (reported.has(token.flowId)) continue;
      out.push({
        check: def.id,
        severity: def.severity,
        flowId: token.flowId,
        message: `The ${token.name} of this flow is stored in the page's ${match.storage} under the key "${match.key}".`,
        evidence: [{ requestId: token.legId, where: `${match.storage}.${match.key}`, excerpt: `sha256 ${match.tokenHash.slice(0, 12)}…` }],
        reference: def.reference,
      });
    }
  }
  return out;
}
