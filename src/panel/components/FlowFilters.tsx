import { SEVERITIES } from '../../core/model.ts';
import type { RowFilter, SeverityFilter } from '../flow-summary.ts';

export function FlowFilters({ filter, onChange, shown, total }: { filter: RowFilter; onChange: (f: RowFilter) => void; shown: number; total: number }) {
  return (
    <div class="filters" role="search">
      <input
        type="search"
        placeholder="Filter: provider, client_id, check id, URL"
        aria-label="Filter flows by text"
        value={filter.text}
        onInput={(e) => onChange({ ...filter, text: e.currentTarget.value })}
      />
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
      <span class="count" aria-live="polite">
        {shown === total ? `${total} flows` : `${shown} of ${total} flows`}
      </span>
    </div>
  );
}
