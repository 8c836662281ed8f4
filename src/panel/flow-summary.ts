import { SEVERITIES, type AuditResult, type Finding, type Flow, type Severity } from '../core/model.ts';

/** One row of the flow list. */
export interface FlowRow {
  flow: Flow;
  /** The issuer, else the host of the authorization or token endpoint. */
  provider: string;
  clientId: string;
  worst: Severity | null;
  findings: Finding[];
}

/** Lower-cased text the text filter searches; built on the first search, not on every render. */
const haystacks = new WeakMap<FlowRow, string>();
function haystackOf(row: FlowRow): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    const { flow } = row;
    text = [row.provider, row.clientId, flow.kind, flow.redirectUri ?? '', ...row.findings.map((f) => f.check), ...flow.legs.map((l) => l.event.url)].join('\n').toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

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
    const own = byFlow.get(flow.id) ?? [];
    const findings = own.length > 1 ? own.slice().sort((a, b) => severityRank(b.severity) - severityRank(a.severity)) : own;
    return { flow, provider: providerOf(flow), clientId: flow.clientId ?? '', worst: findings[0]?.severity ?? null, findings };
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
    return needle === '' || haystackOf(row).includes(needle);
  });
}
