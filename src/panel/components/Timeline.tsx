import type { Finding } from '../../core/model.ts';
import type { Arrow, Lane, TimelineRow } from '../timeline-model.ts';
import { LANE_TITLES, LANES } from '../timeline-model.ts';
import { useRedactor } from '../secrets.ts';

/**
 * The flow as a sequence diagram drawn with CSS grid: ten half-columns, lane
 * i's lifeline on grid line 2i+2; an arrow spans from one lifeline to another.
 */
const laneLine = (lane: Lane) => LANES.indexOf(lane) * 2 + 2;

function ArrowView({ arrow, kind }: { arrow: Arrow; kind: 'request' | 'response' }) {
  const a = laneLine(arrow.from);
  const b = laneLine(arrow.to);
  const redactor = useRedactor();
  const cls = [
    'arrow',
    kind,
    a <= b ? 'rightward' : 'leftward',
    `gs-${Math.min(a, b)}`,
    `ge-${Math.max(a, b)}`,
    arrow.dashed ? 'dashed' : '',
  ].join(' ');
  return (
    <span class={cls} data-from={arrow.from} data-to={arrow.to} data-dashed={arrow.dashed ? 'true' : undefined}>
      <span class="arrow-label">{redactor.text(arrow.label)}</span>
      {arrow.detail && <span class="arrow-detail">{redactor.text(arrow.detail)}</span>}
      <span class="arrow-line" aria-hidden="true" />
    </span>
  );
}

export interface TimelineProps {
  rows: readonly TimelineRow[];
  /** Warnings whose evidence is on no leg of the flow (a tracker that got the Referer…). */
  flowWide?: readonly Finding[];
  selectedLegId: string | undefined;
  onSelectLeg: (legId: string) => void;
  onSelectFinding?: (check: string) => void;
}

export function Timeline({ rows, flowWide = [], selectedLegId, onSelectLeg, onSelectFinding }: TimelineProps) {
  return (
    <div class="timeline" role="group" aria-label="Flow timeline">
      <div class="lanes" aria-hidden="true">
        {LANES.map((lane) => (
          <span key={lane} class={`lane-title gs-${laneLine(lane) - 1} ge-${laneLine(lane) + 1}`}>
            {LANE_TITLES[lane]}
          </span>
        ))}
      </div>
      {flowWide.length > 0 && (
        <div class="flow-wide">
          <span class="muted">Not on a leg of this flow:</span>
          <Pins findings={flowWide} label="Warnings about the flow as a whole" onSelect={onSelectFinding} />
        </div>
      )}
      <ol class="legs">
        {rows.map((row) => {
          const unseen = !row.leg && !row.event;
          const selected = row.id === selectedLegId;
          return (
            <li key={row.id} class={`leg${unseen ? ' unseen' : ''}${selected ? ' selected' : ''}`} data-leg-id={row.id} data-unseen={unseen ? 'true' : undefined} data-lane-to={row.request.to}>
              <button
                type="button"
                class="leg-button"
                disabled={!row.leg}
                aria-pressed={selected}
                aria-label={`${row.request.label}${row.response ? `, ${row.response.label}` : ''}${row.findings.length ? `, ${row.findings.length} warnings` : ''}`}
                onClick={() => onSelectLeg(row.id)}
              >
                <ArrowView arrow={row.request} kind="request" />
                {row.response && <ArrowView arrow={row.response} kind="response" />}
              </button>
              {row.note && <p class="leg-note">{row.note}</p>}
              <Pins findings={row.findings} label="Warnings on this leg" onSelect={onSelectFinding} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Pins({ findings, label, onSelect }: { findings: readonly Finding[]; label: string; onSelect?: ((check: string) => void) | undefined }) {
  if (findings.length === 0) return null;
  return (
    <ul class="pins" aria-label={label}>
      {findings.map((f, i) => (
        <li key={`${f.check}-${i}`}>
          <button type="button" class={`pin sev sev-${f.severity}`} data-pin-check={f.check} onClick={() => onSelect?.(f.check)}>
            {f.severity} · {f.check}
          </button>
        </li>
      ))}
    </ul>
  );
}
