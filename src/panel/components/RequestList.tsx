import type { TargetedKeyboardEvent } from 'preact';
import type { RequestEvent } from '../../core/model.ts';
import { nextIndex, pageSize } from '../list-keys.ts';
import { useRedactor } from '../secrets.ts';
import { clockTime } from '../time-format.ts';
import { VirtualList } from './VirtualList.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export const REQUEST_ROW_HEIGHT = 22;

export interface RequestListProps {
  events: readonly RequestEvent[];
  /** The flow kind of events that are legs of a flow. */
  legOf: ReadonlyMap<string, string>;
  selectedId: string | undefined;
  onSelect: (eventId: string) => void;
}

/** Every captured request of the source, virtualised, keyboard-navigable; URLs shown masked, as text. */
export function RequestList({ events, legOf, selectedId, onSelect }: RequestListProps) {
  const redactor = useRedactor();
  const active = events.findIndex((e) => e.id === selectedId);
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLDivElement>) => {
    const next = nextIndex(e.key, active, events.length, pageSize(e.currentTarget.clientHeight, REQUEST_ROW_HEIGHT));
    if (next === undefined) return;
    e.preventDefault();
    onSelect(events[next]!.id);
  };
  if (events.length === 0) return <p class="empty">No requests captured.</p>;
  return (
    <VirtualList
      items={events}
      rowHeight={REQUEST_ROW_HEIGHT}
      activeIndex={active}
      containerProps={{
        role: 'listbox',
        tabIndex: 0,
        'aria-label': `Requests (${events.length})`,
        'aria-activedescendant': active >= 0 ? `req-opt-${active}` : undefined,
        onKeyDown,
        class: 'flow-scroll',
      }}
      renderRow={(event, index) => (
        <div
          key={event.id}
          id={`req-opt-${index}`}
          role="option"
          aria-selected={event.id === selectedId}
          class={`req-row${event.id === selectedId ? ' selected' : ''}${legOf.has(event.id) ? ' in-flow' : ''}`}
          data-event-id={event.id}
          onClick={() => onSelect(event.id)}
        >
          <span>{clockTime(event.time)}</span>
          <span>{event.method}</span>
          <span>{event.status ?? (event.error ? 'failed' : '…')}</span>
          <span class="u" title={legOf.get(event.id) ?? event.type}>
            {escapeControls(redactor.url(event.url))}
          </span>
        </div>
      )}
    />
  );
}
