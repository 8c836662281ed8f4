/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per catalogue check, one
 * result per finding, located at the HAR file (when its path is given) and at
 * the flow (a logical location). Redacted like the JSON report.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { CATALOGUE, type CheckDefinition } from '../checks/catalogue.ts';
import type { AuditResult, Finding, FlowReport, Report, Severity } from '../model.ts';
import { toJsonReport } from './json.ts';
import { helpUri } from './references.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** Path of the audited HAR, relative to the repository root where possible (forward slashes). */
  harPath?: string;
  reveal?: boolean;
  toolVersion?: string;
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
  artifacts?: { location: { uri: string; uriBaseId?: string } }[];
  /** The run itself, with one notification per check that could not be evaluated. */
  invocations: { executionSuccessful: true; toolExecutionNotifications: SarifNotification[] }[];
  results: SarifResult[];
}

export interface SarifNotification {
  level: 'note';
  message: { text: string };
  descriptor: { id: string };
  properties: { flowId: string };
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'problem.severity': string; 'security-severity': string };
}

export interface SarifResult {
  ruleId: string;
  /** Absent for an id the catalogue does not know (a check added since). */
  ruleIndex?: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string; index?: number }; region: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}


const LEVELS: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub maps these to critical (≥ 9.0), high (7.0–8.9), medium (4.0–6.9) and low (0.1–3.9). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.1' };
const FINGERPRINT_KEY = 'oauthLensFinding/v1';

export function toSarif(result: AuditResult, options: SarifOptions = {}): SarifLog {
  return sarifFromReport(toJsonReport(result, { reveal: options.reveal, toolVersion: options.toolVersion }), options);
}

/** SARIF from a JSON report (already redacted or revealed as the report was made). */
export function sarifFromReport(report: Report, options: Pick<SarifOptions, 'harPath'> = {}): SarifLog {
  const rules = CATALOGUE.map(sarifRule);
  const ruleIndex = new Map<string, number>(rules.map((rule, index) => [rule.id, index]));
  const flows = new Map<string, FlowReport>(report.flows.map((flow) => [flow.id, flow]));
  const seen = new Map<string, number>();
  const version = report.tool.version;
  const artifactUri = options.harPath === undefined ? undefined : toUri(options.harPath);

  const results = report.findings.map((finding): SarifResult => {
    const base = fingerprint(finding, flows.get(finding.flowId));
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    const location: SarifResult['locations'][number] = {
      logicalLocations: [{ name: finding.flowId, fullyQualifiedName: finding.evidence[0] ? `${finding.flowId}/${finding.evidence[0].requestId}` : finding.flowId, kind: 'resource' }],
    };
    if (artifactUri) {
      location.physicalLocation = { artifactLocation: { ...artifactUri, index: 0 }, region: { startLine: 1 } };
    }
    const properties: Record<string, unknown> = { severity: finding.severity, flowId: finding.flowId, reference: finding.reference, evidence: finding.evidence };
    if (finding.expected !== undefined) properties.expected = finding.expected;
    if (finding.actual !== undefined) properties.actual = finding.actual;
    const sarifResult: SarifResult = {
      ruleId: finding.check,
      level: LEVELS[finding.severity] ?? 'warning',
      message: { text: messageText(finding) },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${occurrence}` },
      properties,
    };
    const index = ruleIndex.get(finding.check);
    if (index !== undefined) sarifResult.ruleIndex = index;
    return sarifResult;
  });

  const run: SarifRun = {
    tool: { driver: { name: 'oauth-lens', version, semanticVersion: version, rules } },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.notEvaluated.map((item) => ({
          level: 'note',
          message: { text: `not evaluated: ${item.check} (${item.flowId === '*' ? 'whole capture' : item.flowId}): ${item.reason}` },
          descriptor: { id: item.check },
          properties: { flowId: item.flowId },
        })),
      },
    ],
    results,
  };
  if (artifactUri) run.artifacts = [{ location: artifactUri }];
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

function sarifRule(check: CheckDefinition): SarifRule {
  const uri = helpUri(check.reference);
  const sentence = check.firesWhen.charAt(0).toUpperCase() + check.firesWhen.slice(1);
  return {
    id: check.id,
    name: check.id.split(/[.-]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(''),
    shortDescription: { text: `${check.id}: ${sentence}` },
    fullDescription: { text: `Fires when ${check.firesWhen}. Reference: ${check.reference}.` },
    helpUri: uri,
    help: {
      text: `Fires when ${check.firesWhen}. Reference: ${check.reference} (${uri}).`,
      markdown: `Fires when ${check.firesWhen}.\n\nReference: [${check.reference}](${uri})${check.kind === 'active' ? '\n\nActive check: found only by re-running the flow from the extension, never from a HAR.' : ''}`,
    },
    defaultConfiguration: { level: LEVELS[check.severity] },
    properties: {
      tags: ['security', 'oauth', check.kind],
      precision: 'high',
      'problem.severity': LEVELS[check.severity] === 'note' ? 'recommendation' : LEVELS[check.severity],
      'security-severity': SECURITY_SEVERITY[check.severity],
    },
  };
}

function messageText(finding: Finding): string {
  const evidence = finding.evidence.map((e) => `${e.where} (request ${e.requestId}): ${e.excerpt}`);
  return [finding.message, ...evidence.map((line) => `- ${line}`), `Reference: ${finding.reference}`].join('\n');
}

/**
 * Stable across runs on re-captures of the same login: the check, the client,
 * the endpoints (without query) and where the evidence is, not request ids or times.
 */
function fingerprint(finding: Finding, flow: FlowReport | undefined): string {
  const endpoint = (url: string | null | undefined): string => (url ?? '').split(/[?#]/, 1)[0] ?? '';
  const parts = [finding.check, flow?.kind ?? '', flow?.clientId ?? '', endpoint(flow?.authorizationEndpoint), endpoint(flow?.tokenEndpoint), endpoint(flow?.redirectUri), ...finding.evidence.map((e) => e.where).sort()];
  return hash(parts.join('\u0000'));
}

/** cyrb53: a fast, well-mixed 53-bit string hash, as 14 hex digits. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

function toUri(path: string): { uri: string; uriBaseId?: string } {
  const slashed = path.replace(/\\/g, '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return { uri: `file:///${encoded.replace('%3A', ':')}` };
  if (slashed.startsWith('/')) return { uri: `file://${encoded}` };
  return { uri: encoded.replace(/^\.\//, ''), uriBaseId: '%SRCROOT%' };
}
