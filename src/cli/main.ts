/**
 * `oauth-lens audit <file.har>`: read the HAR, run the engine, print a report.
 * Returns the exit status; never throws for bad input (UsageError/HarError
 * become one line on stderr and status 2).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { audit } from '../core/audit.ts';
import { createHarIngester, HarError, type HarIngester } from '../core/ingest/from-har.ts';
import { SEVERITIES, type AuditOptions, type AuditResult, type Severity } from '../core/model.ts';
import { toJsonReport } from '../core/report/json.ts';
import { toMermaidMarkdown } from '../core/report/mermaid.ts';
import { readCarriedVerdicts, withCarriedVerdicts, type CarriedVerdicts } from '../core/report/pseudonymise.ts';
import { toSarif } from '../core/report/sarif.ts';
import { escapeControls } from '../core/report/escape.ts';
import { toTextReport } from '../core/report/text.ts';
import { oneLine, parseCommandLine, USAGE, UsageError, type Command } from './args.ts';
import { fetchJson } from './fetch-json.ts';
import { scanHarEntries } from './har-scan.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether standard output is a terminal (colour in the text report). */
  isTTY: boolean;
  version: string;
  cwd: string;
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    if (command.command === 'help') {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    if (command.command === 'version') {
      io.stdout(`${io.version}\n`);
      return EXIT.ok;
    }
    return await runAudit(command, io);
  } catch (error) {
    if (error instanceof UsageError) io.stderr(`oauth-lens: ${escapeControls(error.message)} (see oauth-lens --help)\n`);
    else if (error instanceof HarError) io.stderr(`oauth-lens: ${escapeControls(error.message)}\n`);
    else io.stderr(`oauth-lens: ${escapeControls(oneLine(error))}\n`);
    return EXIT.usage;
  }
}

async function runAudit(command: Extract<Command, { command: 'audit' }>, io: Io): Promise<number> {
  const { file } = command;
  const ingester = createHarIngester();
  const { entries, carried } = await scanFile(file, ingester);
  const { events, warnings } = ingester.finish();
  const options: AuditOptions = { reveal: command.reveal };
  if (command.fetchKeys) options.fetchJson = fetchJson;
  if (command.profile) options.profile = command.profile;
  const result = withCarriedVerdicts(await audit(events, options), carried);

  const report = render(result, command, { warnings, entries }, io);
  if (command.output !== undefined) {
    try {
      await writeFile(command.output, report);
    } catch (error) {
      throw new Error(`cannot write ${command.output}: ${describeFsError(error)}`);
    }
  } else {
    io.stdout(report);
  }
  const allWarnings = [...warnings, ...(result.analysis.warnings ?? [])];
  if (command.format !== 'text' && allWarnings.length > 0) {
    io.stderr(`oauth-lens: warning: ${escapeControls(allWarnings[0]!)}${allWarnings.length > 1 ? ` (and ${allWarnings.length - 1} more)` : ''}\n`);
  }
  return failing(result, command.failOn) ? EXIT.findings : EXIT.ok;
}

/** The file's bytes live only for the scan; what stays is the few events that matter. */
async function scanFile(file: string, ingester: HarIngester): Promise<{ entries: number; carried?: CarriedVerdicts }> {
  const buf = await readHar(file);
  try {
    const { entries } = scanHarEntries(buf, (entry, index) => ingester.add(entry, index));
    return { entries, carried: carriedIn(buf) };
  } catch (error) {
    if (error instanceof HarError) throw new HarError(`${file}: ${error.message}`);
    throw error;
  }
}

/** The original verdicts a pseudonymised export carries (`log._oauthLens`); only such a file is parsed whole. */
function carriedIn(buf: Buffer): CarriedVerdicts | undefined {
  if (!buf.includes('"_oauthLens"')) return undefined;
  try {
    return readCarriedVerdicts(JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, '')));
  } catch {
    return undefined;
  }
}

async function readHar(file: string): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new HarError(`${file}: is a directory, not a HAR file`);
    return await readFile(file);
  } catch (error) {
    if (error instanceof HarError) throw error;
    throw new HarError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return oneLine(error);
}

function render(result: AuditResult, command: Extract<Command, { command: 'audit' }>, capture: { warnings: string[]; entries: number }, io: Io): string {
  const options = { reveal: command.reveal, toolVersion: io.version };
  switch (command.format) {
    case 'json':
      return `${JSON.stringify(toJsonReport(result, { ...options, warnings: capture.warnings }), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(result, { ...options, harPath: repositoryPath(command.file, io.cwd) }), null, 2)}\n`;
    case 'mermaid':
      return toMermaidMarkdown(result, { reveal: command.reveal });
    case 'text':
      return toTextReport(result, { reveal: command.reveal, color: command.output === undefined && (command.color ?? io.isTTY), source: command.file, ...capture });
  }
}

/** The HAR path as SARIF wants it: relative to the working directory when inside it. */
function repositoryPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || rel === '' ? file : rel.split(sep).join('/');
}

export function failing(result: AuditResult, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return result.findings.some((finding) => SEVERITIES.indexOf(finding.severity) >= threshold);
}
