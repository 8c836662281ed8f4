/**
 * A small windowing list: only the rows in view (plus a margin) are in the
 * DOM, so 2,000 flows cost about what 20 do. Rows have a fixed height.
 */
import type { ComponentChild, HTMLAttributes } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Used until the container is measured (and in DOMs without layout, such as jsdom). */
const FALLBACK_VIEWPORT = 480;

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  renderRow: (item: T, index: number) => ComponentChild;
  /** Kept in view when it changes (keyboard selection). */
  activeIndex?: number;
  overscan?: number;
  /** Attributes for the scrolling container (role, aria-*, tabIndex, key handlers). */
  containerProps?: HTMLAttributes<HTMLDivElement>;
}

export function VirtualList<T>({ items, rowHeight, renderRow, activeIndex, overscan = 6, containerProps }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || activeIndex === undefined || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + viewport) el.scrollTop = top + rowHeight - viewport;
    setScrollTop(el.scrollTop);
  }, [activeIndex, rowHeight, viewport]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  const rows: ComponentChild[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(items[i] as T, i));

  return (
    <div {...containerProps} ref={ref} class={`vlist ${containerProps?.class ?? ''}`} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div class="vlist-spacer" style={{ height: `${items.length * rowHeight}px` }}>
        <div class="vlist-window" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
