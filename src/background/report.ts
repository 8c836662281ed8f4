/**
 * AuditResult -> Report, the JSON the CLI prints.
 * TODO(engine): replace with `toJsonReport` from src/core/report/json.ts once it lands;
 * this adapter exists only so the worker answers `oauth-lens/report` until then.
 */
import { maskSecret } from '../core/report/mask.ts';
import { SEVERITIES, type AuditResult, type Flow, type FlowReport, type Report, type Severity } from '../core/model.ts';

const VERSION = '0.1.0';

const SECRET_PARAMS = new Set([
  'code',
  'access_token',
  'id_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
]);

function maskParams(params: Record<string, string>, reveal: boolean): Record<string, string> {
  if (reveal) return params;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, SECRET_PARAMS.has(key) ? maskSecret(value) : value]));
}

function maskResponse(response: Record<string, unknown> | undefined, reveal: boolean): Record<string, unknown> | undefined {
  if (!response || reveal) return response;
  return Object.fromEntries(
    Object.entries(response).map(([key, value]) => [key, SECRET_PARAMS.has(key) && typeof value === 'string' ? maskSecret(value) : value]),
  );
}

function flowReport(flow: Flow, reveal: boolean): FlowReport {
  return {
    id: flow.id,
    kind: flow.kind,
    tabId: flow.tabId,
    startedAt: flow.startedAt,
    clientId: flow.clientId ?? null,
    issuer: flow.issuer ?? null,
    authorizationEndpoint: flow.authorizationEndpoint ?? null,
    tokenEndpoint: flow.tokenEndpoint ?? null,
    redirectUri: flow.redirectUri ?? null,
    steps: flow.legs.map((leg) => ({
      id: leg.id,
      kind: leg.kind,
      time: leg.event.time,
      method: leg.event.method,
      url: leg.event.url,
      ...(leg.event.status !== undefined ? { status: leg.event.status } : {}),
      params: maskParams(leg.params, reveal),
      paramSource: leg.paramSource,
      ...(leg.response ? { response: maskResponse(leg.response, reveal) } : {}),
      ...(leg.event.fromInspector ? { fromInspector: true } : {}),
    })),
    observability: flow.observability,
  };
}

export function buildReport(result: AuditResult, options: { reveal?: boolean; dropped?: number } = {}): Report {
  const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of result.findings) findings[finding.severity] += 1;
  return {
    version: 1,
    tool: { name: 'oauth-lens', version: VERSION },
    flows: result.analysis.flows.map((flow) => flowReport(flow, options.reveal ?? false)),
    findings: result.findings,
    notEvaluated: result.notEvaluated,
    summary: { flows: result.analysis.flows.length, findings },
    ...(options.dropped ? { dropped: options.dropped } : {}),
  };
}

/** Several tabs' reports as one. */
export function mergeReports(reports: Report[]): Report {
  const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const report of reports) for (const severity of SEVERITIES) findings[severity] += report.summary.findings[severity];
  const dropped = reports.reduce((sum, report) => sum + (report.dropped ?? 0), 0);
  return {
    version: 1,
    tool: { name: 'oauth-lens', version: VERSION },
    flows: reports.flatMap((report) => report.flows),
    findings: reports.flatMap((report) => report.findings),
    notEvaluated: reports.flatMap((report) => report.notEvaluated),
    summary: { flows: reports.reduce((sum, report) => sum + report.flows.length, 0), findings },
    ...(dropped ? { dropped } : {}),
  };
}
