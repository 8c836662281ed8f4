import type { RequestEvent } from '../core/model.ts';

/**
 * Preserve-log semantics as a fold: with `preserve`, what the panel has seen
 * stays until the user clears, even when the capture forgets it (the worker
 * dropped old traffic, a navigation reset the page); without it, the panel
 * mirrors the capture. Events are keyed by id and kept in capture order.
 */
export function mergeSnapshot(previous: readonly RequestEvent[], incoming: readonly RequestEvent[], preserve: boolean): RequestEvent[] {
  if (!preserve || previous.length === 0) return [...incoming];
  const byId = new Map<string, RequestEvent>();
  for (const e of previous) byId.set(e.id, e);
  // A later snapshot may carry more of an event (its response, its body): it wins.
  for (const e of incoming) byId.set(e.id, e);
  if (byId.size === previous.length && incoming.length === previous.length && incoming.every((e, i) => e === previous[i])) {
    return previous as RequestEvent[];
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq || a.time - b.time);
}
