import type { KeyValueStore } from '../../src/platform/session-storage.ts';

/** storage.session stand-in: survives "worker restarts" (new EventLog/Capture on the same store). */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = structuredClone(initial);
  return {
    items,
    async getAll() {
      return structuredClone(items);
    },
    async set(values) {
      Object.assign(items, structuredClone(values));
    },
    async remove(keys) {
      for (const key of keys) delete items[key];
    },
  };
}
