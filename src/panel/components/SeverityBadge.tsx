import type { Severity } from '../../core/model.ts';

export function SeverityBadge({ severity, count }: { severity: Severity | null; count?: number }) {
  if (severity === null) return <span class="sev sev-none">ok</span>;
  return (
    <span class={`sev sev-${severity}`} title={`worst severity: ${severity}`}>
      {severity}
      {count !== undefined && count > 1 ? ` ×${count}` : ''}
    </span>
  );
}
