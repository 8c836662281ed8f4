/**
 * The versioned JSON report (schema: docs/report-schema.md). Every value that
 * came from the capture is redacted unless `reveal` is set.
 */
import { SEVERITIES } from '../model.ts';
import type { AuditResult, Finding, Flow, FlowReport, Leg, NotEvaluated, ProfileVerdict, Report, Severity, StepReport } from '../model.ts';
import { NO_REDACTION, redactorFor, type Redactor } from './redact.ts';

export const REPORT_VERSION = 1;

export interface JsonReportOptions {
  /** Keep secrets in clear (default: masked). */
  reveal?: boolean;
  /** Events dropped to keep memory bounded (live capture only). */
  dropped?: number;
  /** The oauth-lens version that wrote the report. */
  toolVersion?: string;
  /** What the reader of the capture could not read (HAR entries skipped…); the analysis adds its own. */
  warnings?: readonly string[];
}

/** A redactor for this result, or the identity when the user chose to reveal. */
export function reportRedactor(result: AuditResult, reveal = false): Redactor {
  return reveal ? NO_REDACTION : redactorFor(result.analysis);
}

export function toJsonReport(result: AuditResult, options: JsonReportOptions = {}): Report {
  const redact = reportRedactor(result, options.reveal);
  const findings = result.findings.map((finding) => redactFinding(finding, redact));
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  const report: Report = {
    version: REPORT_VERSION,
    tool: { name: 'oauth-lens', version: options.toolVersion ?? '0.0.0-dev' },
    flows: result.analysis.flows.map((flow) => flowReport(flow, redact, result.profile?.flows[flow.id])),
    findings,
    notEvaluated: result.notEvaluated.map((item): NotEvaluated => ({ ...item, reason: redact.text(item.reason) })),
    summary: { flows: result.analysis.flows.length, findings: counts },
  };
  if (options.dropped !== undefined && options.dropped > 0) report.dropped = options.dropped;
  if (result.profile) report.profile = result.profile.id;
  const warnings = [...(options.warnings ?? []), ...(result.analysis.warnings ?? [])];
  if (warnings.length > 0) report.warnings = warnings.map((warning) => redact.text(warning));
  return report;
}

export function redactFinding(finding: Finding, redact: Redactor): Finding {
  const out: Finding = {
    check: finding.check,
    severity: finding.severity,
    flowId: finding.flowId,
    message: redact.text(finding.message),
    evidence: finding.evidence.map((e) => ({ requestId: e.requestId, where: e.where, excerpt: redact.text(e.excerpt) })),
    reference: finding.reference,
  };
  if (finding.expected !== undefined) out.expected = redact.text(finding.expected);
  if (finding.actual !== undefined) out.actual = redact.text(finding.actual);
  if (finding.carried) out.carried = true;
  return out;
}

function flowReport(flow: Flow, redact: Redactor, verdict: ProfileVerdict | undefined): FlowReport {
  const orNull = (value: string | undefined): string | null => (value === undefined ? null : redact.url(value));
  const report: FlowReport = {
    id: flow.id,
    kind: flow.kind,
    tabId: flow.tabId,
    startedAt: flow.startedAt,
    clientId: flow.clientId === undefined ? null : redact.text(flow.clientId),
    issuer: orNull(flow.issuer),
    authorizationEndpoint: orNull(flow.authorizationEndpoint),
    tokenEndpoint: orNull(flow.tokenEndpoint),
    redirectUri: orNull(flow.redirectUri),
    steps: flow.legs.map((leg) => stepReport(leg, redact)),
    observability: {
      tokenExchange: flow.observability.tokenExchange,
      tokenResponseBody: flow.observability.tokenResponseBody,
      notes: flow.observability.notes.map((note) => redact.text(note)),
    },
    architecture: {
      kind: flow.architecture.kind,
      evidence: flow.architecture.evidence.map((e) => ({ requestId: e.requestId, note: redact.text(e.note) })),
    },
  };
  if (verdict) {
    report.profile = {
      met: [...verdict.met],
      broken: [...verdict.broken],
      notObservable: verdict.notObservable.map((n) => ({ clause: n.clause, reason: redact.text(n.reason) })),
    };
  }
  return report;
}

function stepReport(leg: Leg, redact: Redactor): StepReport {
  const { event } = leg;
  const step: StepReport = {
    id: leg.id,
    kind: leg.kind,
    time: event.time,
    method: event.method,
    url: redact.url(event.url),
    params: redact.value(leg.params) as Record<string, string>,
    paramSource: leg.paramSource,
  };
  if (event.status !== undefined) step.status = event.status;
  if (leg.response !== undefined) step.response = redact.value(leg.response) as Record<string, unknown>;
  if (event.fromInspector) step.fromInspector = true;
  if (leg.logout) step.logout = leg.logout;
  return step;
}
