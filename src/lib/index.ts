/**
 * `import { auditHar } from 'oauth-lens'`: the engine as a library.
 *
 * Pure like the engine (no node or browser imports), so it runs in Node, a
 * worker or a page. Every function returns the versioned JSON report of
 * docs/report-schema.md (masked unless `reveal`), or SARIF built from it.
 * @see ../../docs/api.md
 */
import { audit } from '../core/audit.ts';
import { ingestHar } from '../core/ingest/from-har.ts';
import type { AuditOptions, AuditResult, RequestEvent, Report } from '../core/model.ts';
import { toJsonReport } from '../core/report/json.ts';
import { toMermaidMarkdown } from '../core/report/mermaid.ts';
import { createPseudonymiser, pseudonymiseHar as pseudonymiseCapture, readCarriedVerdicts, withCarriedVerdicts } from '../core/report/pseudonymise.ts';
import { sarifFromReport, type SarifLog } from '../core/report/sarif.ts';
import { findingsAtOrAbove } from './severity.ts';

export interface AuditHarOptions extends Omit<AuditOptions, 'storageMatches'> {
  /** The version written into `report.tool.version` (default: the library's). */
  toolVersion?: string;
  /** Called with each problem the HAR reader noticed that did not stop the audit (e.g. a sanitized export). */
  onWarning?: (warning: string) => void;
}


declare const __OAUTH_LENS_VERSION__: string | undefined;
const VERSION = typeof __OAUTH_LENS_VERSION__ === 'string' ? __OAUTH_LENS_VERSION__ : '0.0.0-dev';

/**
 * Audit a HAR 1.2 capture (Chrome or Firefox DevTools, Playwright `recordHar`):
 * a parsed object, its JSON text, or its UTF-8 bytes.
 * Throws `HarError` when the input is not a HAR.
 */
export async function auditHar(har: unknown, options: AuditHarOptions = {}): Promise<Report> {
  const parsed = parseHar(har);
  const { events, warnings } = ingestHar(parsed);
  for (const warning of warnings) options.onWarning?.(warning);
  // A pseudonymised export carries the original verdicts of the checks that need real values.
  const result = withCarriedVerdicts(await runAudit(events, options), readCarriedVerdicts(parsed));
  return toJsonReport(result, { reveal: options.reveal, toolVersion: options.toolVersion ?? VERSION });
}

/**
 * Shareable evidence: the HAR with every secret replaced by a stable pseudonym
 * (HMAC-SHA-256 under a key made for this call and then forgotten), and the
 * verdicts that need the real values in `log._oauthLens`. `auditHar` of the
 * result reports the same findings, those verdicts marked `carried`.
 */
export async function pseudonymiseHar(har: unknown): Promise<unknown> {
  const parsed = parseHar(har);
  const result = await audit(ingestHar(parsed).events);
  return pseudonymiseCapture(parsed, result, await createPseudonymiser(result));
}

/** Audit request events you recorded yourself (the shape of `RequestEvent` in the types). */
export async function auditEvents(events: readonly RequestEvent[], options: AuditHarOptions = {}): Promise<Report> {
  return toJsonReport(await runAudit(events, options), { reveal: options.reveal, toolVersion: options.toolVersion ?? VERSION });
}

/**
 * Every flow of a HAR as a Mermaid `sequenceDiagram` under a heading, in
 * Markdown (what `oauth-lens audit --format mermaid` prints): paste it into an
 * issue and it renders. Findings are notes on their legs; values masked unless `reveal`.
 */
export async function harToMermaid(har: unknown, options: Pick<AuditHarOptions, 'reveal' | 'fetchJson' | 'clockSkewSeconds'> = {}): Promise<string> {
  const parsed = parseHar(har);
  const result = withCarriedVerdicts(await runAudit(ingestHar(parsed).events, options), readCarriedVerdicts(parsed));
  return toMermaidMarkdown(result, { reveal: options.reveal });
}

export interface ToSarifOptions {
  /** Path of the audited HAR relative to the repository root: code scanning shows the alert on that file. */
  harPath?: string;
}

/** SARIF 2.1.0 for GitHub code scanning, from a report of `auditHar`/`auditEvents`. */
export function toSarif(report: Report, options: ToSarifOptions = {}): SarifLog {
  return sarifFromReport(report, options);
}

export { findingsAtOrAbove };

async function runAudit(events: readonly RequestEvent[], options: AuditHarOptions): Promise<AuditResult> {
  const auditOptions: AuditOptions = { reveal: options.reveal };
  if (options.fetchJson) auditOptions.fetchJson = options.fetchJson;
  if (options.clockSkewSeconds !== undefined) auditOptions.clockSkewSeconds = options.clockSkewSeconds;
  return audit([...events], auditOptions);
}

function parseHar(har: unknown): unknown {
  if (har instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(har));
  if (typeof har === 'string') return JSON.parse(har);
  return har;
}

export { HarError } from '../core/ingest/from-har.ts';
export { CATALOGUE, isCheckId, type CheckId, type CheckDefinition } from '../core/checks/catalogue.ts';
export { SEVERITIES } from '../core/model.ts';
export type {
  Report,
  Finding,
  Evidence,
  FlowReport,
  StepReport,
  NotEvaluated,
  Severity,
  RequestEvent,
  HttpHeader,
  RequestBody,
  ResponseBody,
  ResourceType,
  FlowKind,
  LegKind,
} from '../core/model.ts';
export type { SarifLog, SarifResult, SarifRule, SarifRun } from '../core/report/sarif.ts';
