/**
 * Several tabs' reports as one (the `oauth-lens/report` answer without a
 * tabId). Each tab's report comes from the engine's `toJsonReport`.
 */
import { SEVERITIES, type Report, type Severity } from '../core/model.ts';

/** Several tabs' reports as one. */
export function mergeReports(reports: Report[], version: string): Report {
  const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const report of reports) for (const severity of SEVERITIES) findings[severity] += report.summary.findings[severity];
  const dropped = reports.reduce((sum, report) => sum + (report.dropped ?? 0), 0);
  const warnings = reports.flatMap((report) => report.warnings ?? []);
  return {
    version: 1,
    tool: { name: 'oauth-lens', version },
    flows: reports.flatMap((report) => report.flows),
    findings: reports.flatMap((report) => report.findings),
    notEvaluated: reports.flatMap((report) => report.notEvaluated),
    summary: { flows: reports.reduce((sum, report) => sum + report.flows.length, 0), findings },
    ...(dropped ? { dropped } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
