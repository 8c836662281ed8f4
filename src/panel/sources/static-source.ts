import type { RequestEvent } from '../../core/model.ts';
import type { FlowSource, Snapshot } from '../flow-source.ts';

/** A fixed capture (an imported HAR, a bundled example, a test page). */
export function staticSource(label: string, events: RequestEvent[], dropped = 0): FlowSource {
  let snapshot: Snapshot = { events, dropped };
  const listeners = new Set<(s: Snapshot) => void>();
  return {
    label,
    live: false,
    subscribe(listener) {
      listeners.add(listener);
      listener(snapshot);
      return () => listeners.delete(listener);
    },
    clear() {
      snapshot = { events: [], dropped: 0 };
      for (const l of listeners) l(snapshot);
    },
  };
}
