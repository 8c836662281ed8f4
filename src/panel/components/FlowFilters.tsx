import { SEVERITIES } from '../../core/model.ts';
import type { RowFilter, SeverityFilter } from '../flow-summary.ts';

export interface FlowFiltersProps {
  filter: RowFilter;
  onChange: (f: RowFilter) => void;
  shown: number;
  total: number;
  /** The request list filters by URL text only. */
  what?: 'flows' | 'requests';
}

export function FlowFilters({ filter, onChange, shown, total, what = 'flows' }: FlowFiltersProps) {
  return (
    <div class="filters" role="search">
      <input
        type="search"
        placeholder={what === 'flows' ? 'Filter: provider, client_id, check id, URL' : 'Filter: URL'}
        aria-label={`Filter ${what} by text`}
        value={filter.text}
        onInput={(e) => onChange({ ...filter, text: e.currentTarget.value })}
      />
      {what === 'flows' && (
        <select
          aria-label="Filter flows by severity"
          value={filter.severity}
          onChange={(e) => onChange({ ...filter, severity: e.currentTarget.value as SeverityFilter })}
        >
          <option value="any">All flows</option>
          <option value="findings">With findings</option>
          {SEVERITIES.slice(1).map((s) => (
            <option key={s} value={s}>
              {s === 'critical' ? 'critical only' : `${s} or worse`}
            </option>
          ))}
        </select>
      )}
      <span class="count" aria-live="polite">
        {shown === total ? `${total} ${what}` : `${shown} of ${total} ${what}`}
      </span>
    </div>
  );
}
