import { SEVERITIES, type AuditResult, type Finding, type Flow, type Severity } from '../core/model.ts';

/** One row of the flow list. */
export interface FlowRow {
  flow: Flow;
  /** The issuer, else the host of the authorization or token endpoint. */
  provider: string;
  clientId: string;
  worst: Severity | null;
  findings: Finding[];
  /** Lower-cased text the text filter searches. */
  haystack: string;
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export function providerOf(flow: Flow): string {
  return flow.issuer ?? hostOf(flow.authorizationEndpoint) ?? hostOf(flow.tokenEndpoint) ?? hostOf(flow.legs[0]?.event.url) ?? 'unknown';
}

export function findingsByFlow(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.flowId);
    if (list) list.push(f);
    else map.set(f.flowId, [f]);
  }
  return map;
}

export function flowRows(result: AuditResult): FlowRow[] {
  const byFlow = findingsByFlow(result.findings);
  return result.analysis.flows.map((flow) => {
    const findings = (byFlow.get(flow.id) ?? []).slice().sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const provider = providerOf(flow);
    const clientId = flow.clientId ?? '';
    const haystack = [provider, clientId, flow.kind, flow.redirectUri ?? '', ...findings.map((f) => f.check), ...flow.legs.map((l) => l.event.url)]
      .join('\n')
      .toLowerCase();
    return { flow, provider, clientId, worst: worstSeverity(findings), findings, haystack };
  });
}

/** `any`: every flow; `findings`: flows with at least one finding; a severity: flows whose worst reaches it. */
export type SeverityFilter = 'any' | 'findings' | Severity;

export interface RowFilter {
  severity: SeverityFilter;
  text: string;
}

export function filterRows(rows: readonly FlowRow[], filter: RowFilter): FlowRow[] {
  const needle = filter.text.trim().toLowerCase();
  const min = filter.severity === 'any' || filter.severity === 'findings' ? -1 : severityRank(filter.severity);
  return rows.filter((row) => {
    if (filter.severity === 'findings' && row.worst === null) return false;
    if (min >= 0 && (row.worst === null || severityRank(row.worst) < min)) return false;
    return needle === '' || row.haystack.includes(needle);
  });
}
