import type { TargetedKeyboardEvent } from 'preact';
import type { FlowRow } from '../flow-summary.ts';
import { nextIndex, pageSize } from '../list-keys.ts';
import { useRedactor } from '../secrets.ts';
import { clockTime } from '../time-format.ts';
import { SeverityBadge } from './SeverityBadge.tsx';
import { VirtualList } from './VirtualList.tsx';

export const FLOW_ROW_HEIGHT = 26;

export interface FlowListProps {
  rows: readonly FlowRow[];
  selectedId: string | undefined;
  onSelect: (flowId: string) => void;
}

const KIND_LABEL: Record<string, string> = {
  authorization_code: 'code',
  implicit: 'implicit',
  hybrid: 'hybrid',
  refresh_token: 'refresh',
  client_credentials: 'client creds',
  password: 'password',
  unknown: 'unknown',
};

/** The flows of the capture: a keyboard-navigable, virtualised listbox (selection follows focus). */
export function FlowList({ rows, selectedId, onSelect }: FlowListProps) {
  const redactor = useRedactor();
  const active = rows.findIndex((r) => r.flow.id === selectedId);

  const onKeyDown = (e: TargetedKeyboardEvent<HTMLDivElement>) => {
    const next = nextIndex(e.key, active, rows.length, pageSize(e.currentTarget.clientHeight, FLOW_ROW_HEIGHT));
    if (next === undefined) return;
    e.preventDefault();
    onSelect(rows[next]!.flow.id);
  };

  if (rows.length === 0) {
    return (
      <p class="empty" role="status">
        No flows yet. Sign in on the inspected page, import a HAR, or load an example.
      </p>
    );
  }

  return (
    <div class="flow-list">
      <div class="flow-row flow-head" aria-hidden="true">
        <span>Time</span>
        <span>Kind</span>
        <span>Provider</span>
        <span>client_id</span>
        <span>Worst</span>
      </div>
      <VirtualList
        items={rows}
        rowHeight={FLOW_ROW_HEIGHT}
        activeIndex={active}
        containerProps={{
          role: 'listbox',
          tabIndex: 0,
          'aria-label': `Flows (${rows.length})`,
          'aria-activedescendant': active >= 0 ? `flow-opt-${active}` : undefined,
          onKeyDown,
          class: 'flow-scroll',
        }}
        renderRow={(row, index) => (
          <div
            key={row.flow.id}
            id={`flow-opt-${index}`}
            role="option"
            aria-selected={row.flow.id === selectedId}
            class={`flow-row${row.flow.id === selectedId ? ' selected' : ''}`}
            data-flow-id={row.flow.id}
            onClick={() => onSelect(row.flow.id)}
          >
            <span class="t">{clockTime(row.flow.startedAt)}</span>
            <span class="k">{KIND_LABEL[row.flow.kind] ?? row.flow.kind}</span>
            <span class="p" title={redactor.url(row.provider)}>
              {redactor.url(row.provider)}
            </span>
            <span class="c" title={redactor.text(row.clientId)}>
              {redactor.text(row.clientId)}
            </span>
            <span class="w">
              <SeverityBadge severity={row.worst} count={row.findings.length} />
            </span>
          </div>
        )}
      />
    </div>
  );
}
