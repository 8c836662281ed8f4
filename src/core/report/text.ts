/**
 * The report for people: grouped by flow (kind, client, issuer, steps), each
 * finding with its severity, message, masked evidence and reference, and
 * what could not be evaluated said plainly. ANSI colour only when asked.
 * Every captured value goes through `esc` (controls and bidi overrides made
 * visible), with colour or without.
 */
import { SEVERITIES } from '../model.ts';
import type { AuditResult, Finding, Flow, NotEvaluated, ProfileVerdict, Severity } from '../model.ts';
import { redactFinding, reportRedactor } from './json.ts';
import { escapeControls as esc } from './escape.ts';
import type { Redactor } from './redact.ts';

export interface TextReportOptions {
  color?: boolean;
  reveal?: boolean;
  /** Where the capture came from (a file name), for the heading. */
  source?: string;
  /** How many requests the capture held (HAR entries), for the no-flow message. */
  entries?: number;
  /** Notes from reading the capture (skipped HAR entries…). */
  warnings?: readonly string[];
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', magenta: '\u001b[35m', cyan: '\u001b[36m' };
const SEVERITY_STYLE: Record<Severity, string> = { critical: ANSI.bold + ANSI.magenta, high: ANSI.bold + ANSI.red, medium: ANSI.yellow, low: ANSI.cyan, info: ANSI.dim };

export function toTextReport(result: AuditResult, options: TextReportOptions = {}): string {
  // `paint` is given text already escaped: the only escape sequences in the output are its own.
  const paint = (style: string, text: string): string => (options.color ? `${style}${text}${ANSI.reset}` : text);
  const redact = reportRedactor(result, options.reveal);
  const findings = result.findings.map((finding) => redactFinding(finding, redact));
  const flows = [...result.analysis.flows].sort((a, b) => a.startedAt - b.startedAt);
  const flowIds = new Set(flows.map((flow) => flow.id));
  const lines: string[] = [];

  lines.push(paint(ANSI.bold, `oauth-lens audit${options.source ? ` of ${esc(options.source)}` : ''}: ${summary(flows.length, findings)}`));
  if (flows.length === 0) {
    const total = options.entries ?? result.analysis.events.length;
    lines.push('', `No OAuth 2.0 / OpenID Connect flow found in ${total} request${total === 1 ? '' : 's'}.`);
  }

  flows.forEach((flow, index) => {
    lines.push('', ...flowHeading(flow, index + 1, redact, paint, result.profile?.flows[flow.id]));
    const own = findings.filter((f) => f.flowId === flow.id);
    for (const finding of sortBySeverity(own)) lines.push(...findingLines(finding, paint));
    if (own.length === 0) lines.push(paint(ANSI.dim, '  no findings'));
    lines.push(...notEvaluatedLines(result.notEvaluated.filter((n) => n.flowId === flow.id), redact));
  });

  const orphans = findings.filter((f) => !flowIds.has(f.flowId));
  const general = result.notEvaluated.filter((n) => !flowIds.has(n.flowId));
  if (orphans.length > 0 || general.length > 0) {
    lines.push('', paint(ANSI.bold, 'Whole capture'));
    for (const finding of sortBySeverity(orphans)) lines.push(...findingLines(finding, paint));
    lines.push(...notEvaluatedLines(general, redact));
  }
  if (options.warnings && options.warnings.length > 0) {
    lines.push('', paint(ANSI.bold, 'Reading the capture'));
    for (const warning of options.warnings) lines.push(`  ${esc(redact.text(warning))}`);
  }
  const analysisWarnings = result.analysis.warnings ?? [];
  if (analysisWarnings.length > 0) {
    lines.push('', paint(ANSI.bold, 'Reading the requests'));
    for (const warning of analysisWarnings) lines.push(`  ${esc(redact.text(warning))}`);
  }
  return `${lines.join('\n')}\n`;
}

function summary(flowCount: number, findings: readonly Finding[]): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .reverse()
    .map(([s, n]) => `${n} ${s}`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(flowCount, 'flow')}, ${plural(findings.length, 'finding')}${counts.length ? ` (${counts.join(', ')})` : ''}`;
}

function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
}

function flowHeading(flow: Flow, n: number, redact: Redactor, paint: (style: string, text: string) => string, verdict?: ProfileVerdict): string[] {
  const facts = [flow.kind.replace(/_/g, ' ')];
  if (flow.clientId) facts.push(`client ${esc(redact.text(flow.clientId))}`);
  if (flow.issuer) facts.push(`issuer ${esc(redact.url(flow.issuer))}`);
  const lines = [paint(ANSI.bold, `Flow ${n} (${esc(flow.id)}): ${facts.join(', ')}`)];
  flow.legs.forEach((leg, i) => {
    const status = leg.event.status === undefined ? (leg.event.error ? ` ✗ ${esc(leg.event.error)}` : '') : ` → ${leg.event.status}`;
    lines.push(`  ${String(i + 1).padStart(2)}. ${leg.kind.padEnd(21)} ${esc(leg.event.method)} ${esc(shortUrl(redact.url(leg.event.url)))}${status}`);
  });
  const { tokenExchange, tokenResponseBody, notes } = flow.observability;
  lines.push(paint(ANSI.dim, `  token exchange: ${tokenExchange}; token response body: ${tokenResponseBody}`));
  for (const note of notes) lines.push(`  note: ${esc(redact.text(note))}`);
  if (flow.architecture.kind !== 'unknown') {
    lines.push(`  architecture: ${flow.architecture.kind} (${esc(flow.architecture.evidence.map((e) => redact.text(e.note)).join('; '))})`);
  }
  if (verdict) {
    lines.push(`  FAPI 2.0: met ${verdict.met.join(', ') || 'none'}; broken ${verdict.broken.join(', ') || 'none'}`);
    for (const n of verdict.notObservable) lines.push(paint(ANSI.dim, `  FAPI 2.0, not observable: ${n.clause}: ${esc(redact.text(n.reason))}`));
  }
  return lines;
}

/** The step list is a summary: long URLs are cut (the JSON report has them whole). */
function shortUrl(url: string): string {
  return url.length <= 100 ? url : `${url.slice(0, 97)}…`;
}

function findingLines(finding: Finding, paint: (style: string, text: string) => string): string[] {
  const label = paint(SEVERITY_STYLE[finding.severity] ?? '', finding.severity.toUpperCase().padEnd(8));
  const lines = [`  ${label} ${finding.check}: ${esc(finding.message)}`];
  for (const e of finding.evidence) lines.push(`           ${esc(e.where)} (request ${esc(e.requestId)}): ${esc(e.excerpt)}`);
  if (finding.expected !== undefined || finding.actual !== undefined) {
    lines.push(`           expected ${esc(finding.expected ?? '-')}; saw ${esc(finding.actual ?? '-')}`);
  }
  lines.push(paint(ANSI.dim, `           see ${esc(finding.reference)}`));
  return lines;
}

function notEvaluatedLines(items: readonly NotEvaluated[], redact: Redactor): string[] {
  return items.map((item) => `  not evaluated: ${item.check}: ${esc(redact.text(item.reason))}`);
}
