import { SEVERITIES, type Finding, type Report, type Severity } from '../core/model.ts';

/** The report's findings whose severity is `threshold` or worse, worst first (stable within a severity). */
export function findingsAtOrAbove(report: Pick<Report, 'findings'>, threshold: Severity): Finding[] {
  const floor = SEVERITIES.indexOf(threshold);
  if (floor < 0) throw new TypeError(`unknown severity '${String(threshold)}': use ${SEVERITIES.join(', ')}`);
  return report.findings
    .filter((finding) => SEVERITIES.indexOf(finding.severity) >= floor)
    .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
}
