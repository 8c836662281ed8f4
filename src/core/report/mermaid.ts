/**
 * A flow as a Mermaid `sequenceDiagram` (renders in GitHub issues and
 * Markdown): the lanes and arrows of the panel's timeline (flows/sequence.ts),
 * each finding as a note on the leg its evidence cites. Values are redacted
 * like the JSON report, and captured text is escaped so it can never become
 * Mermaid syntax (no line breaks, `;`, `#`, `<`, `>`, `%`, braces as entities).
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html
 */
import type { AuditResult, Finding, Flow, RequestEvent } from '../model.ts';
import { LANE_TITLES, LANES, timelineRows, unpinnedFindings, type Arrow, type Lane } from '../flows/sequence.ts';
import { redactFinding, reportRedactor } from './json.ts';
import type { Redactor } from './redact.ts';

export interface MermaidOptions {
  /** Keep secrets in clear (default: masked). */
  reveal?: boolean;
  /** The redactor to use instead of the result's own (the panel passes the capture's). */
  redactor?: Redactor;
}

const IDS: Record<Lane, string> = { browser: 'B', client: 'C', as: 'AS', api: 'API', third: 'T' };
const MAX_TEXT = 200;

/** The diagram of one flow of the result, as Mermaid source (no Markdown fence). */
export function flowToMermaid(result: AuditResult, flowId: string, options: MermaidOptions = {}): string {
  const flow = result.analysis.flows.find((candidate) => candidate.id === flowId);
  if (!flow) throw new RangeError(`no flow ${flowId} in this result`);
  return diagram(flow, result.findings.filter((finding) => finding.flowId === flow.id), result.analysis.events, options.redactor ?? reportRedactor(result, options.reveal));
}

/** Every flow of the result as Markdown: a heading and a fenced `mermaid` block each (what `--format mermaid` prints). */
export function toMermaidMarkdown(result: AuditResult, options: MermaidOptions = {}): string {
  const redact = reportRedactor(result, options.reveal);
  if (result.analysis.flows.length === 0) return 'No OAuth 2.0 / OpenID Connect flow in this capture.\n';
  return result.analysis.flows
    .map((flow) => {
      const findings = result.findings.filter((finding) => finding.flowId === flow.id);
      return `## ${escapeText(flowTitle(flow, redact))}\n\n\`\`\`mermaid\n${diagram(flow, findings, result.analysis.events, redact)}\`\`\`\n`;
    })
    .join('\n');
}

function flowTitle(flow: Flow, redact: Redactor): string {
  const client = flow.clientId === undefined ? '' : ` · client_id ${redact.text(flow.clientId)}`;
  return `${flow.id} · ${flow.kind}${client}`;
}

function diagram(flow: Flow, rawFindings: readonly Finding[], events: readonly RequestEvent[], redact: Redactor): string {
  const findings = rawFindings.map((finding) => redactFinding(finding, redact));
  const rows = timelineRows(flow, findings, events);
  const used = new Set<Lane>();
  for (const row of rows) for (const arrow of [row.request, row.response]) if (arrow) used.add(arrow.from).add(arrow.to);
  const lanes = LANES.filter((lane) => used.has(lane));
  if (lanes.length === 0) lanes.push('browser');
  const lines = ['sequenceDiagram', `  title ${escapeText(flowTitle(flow, redact))}`];
  for (const lane of lanes) lines.push(`  participant ${IDS[lane]} as ${LANE_TITLES[lane]}`);
  for (const row of rows) {
    lines.push(`  ${message(row.request, 'request', redact, row.note)}`);
    if (row.response) lines.push(`  ${message(row.response, 'response', redact)}`);
    const span = spanOf(row.request);
    for (const finding of row.findings) lines.push(`  Note over ${span}: ${escapeText(noteText(finding))}`);
  }
  const wide = unpinnedFindings(flow, findings, events);
  const all = lanes.length > 1 ? `${IDS[lanes[0]!]},${IDS[lanes[lanes.length - 1]!]}` : IDS[lanes[0]!];
  for (const finding of wide) lines.push(`  Note over ${all}: ${escapeText(`flow-wide: ${noteText(finding)}`)}`);
  return `${lines.join('\n')}\n`;
}

/** Requests solid, responses dotted (as in the panel); a leg the browser could not see is a dotted open arrow. */
function message(arrow: Arrow, kind: 'request' | 'response', redact: Redactor, note?: string): string {
  const line = arrow.dashed ? '--)' : kind === 'response' ? '-->>' : '->>';
  const text = [arrow.label, redact.text(arrow.detail), note === undefined ? '' : redact.text(note)].filter(Boolean).map(escapeText);
  return `${IDS[arrow.from]}${line}${IDS[arrow.to]}: ${text.join('<br/>')}`;
}

function spanOf(arrow: Arrow): string {
  return arrow.from === arrow.to ? IDS[arrow.from] : `${IDS[arrow.from]},${IDS[arrow.to]}`;
}

function noteText(finding: Finding): string {
  return `${finding.severity.toUpperCase()} ${finding.check}: ${finding.message}`;
}

const ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '%': '#37;', '{': '#123;', '}': '#125;', '"': '#quot;' };

/** Captured text as inert Mermaid message text: one line, bounded, its syntax characters as entity codes. */
export function escapeText(text: string): string {
  const flat = text.slice(0, MAX_TEXT * 2).replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  const bounded = flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
  return bounded.replace(/[#;<>%{}"]/g, (ch) => ENTITIES[ch] ?? ch);
}
