/**
 * Listbox keys shared by the flow and request lists: the index the selection
 * moves to, or undefined for a key the list does not handle.
 */
export function nextIndex(key: string, active: number, count: number, pageSize: number): number | undefined {
  if (count === 0) return undefined;
  const moves: Record<string, number> = {
    ArrowDown: active + 1,
    ArrowUp: active < 0 ? 0 : active - 1,
    Home: 0,
    End: count - 1,
    PageDown: active + pageSize,
    PageUp: active - pageSize,
  };
  const next = moves[key];
  return next === undefined ? undefined : Math.min(count - 1, Math.max(0, next));
}

/** Rows that fit in the list's viewport, less one, for PageUp/PageDown. */
export function pageSize(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor((viewportHeight || 480) / rowHeight) - 1);
}
