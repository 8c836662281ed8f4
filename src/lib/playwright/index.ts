/**
 * `oauth-lens/playwright`: audit the login your own Playwright test performs.
 *
 *   const lens = await recordOAuth(context);      // before the login
 *   ... log in ...
 *   await expectNoOAuthFindings(context, { failOn: 'high' });
 *
 * Works with `@playwright/test` or plain `playwright-core`; imports neither at
 * run time (they are optional peer dependencies).
 * @see ../../../docs/api.md
 */
import type { BrowserContext } from 'playwright-core';
import type { CheckId } from '../../core/checks/catalogue.ts';
import type { Finding, Report, Severity } from '../../core/model.ts';
import { auditHar, type AuditHarOptions } from '../index.ts';
import { findingsAtOrAbove } from '../severity.ts';
import { recordHar, type HarRecorder } from './har-recorder.ts';

export interface OAuthRecorder {
  /** The report of everything recorded so far (masked unless `reveal`). */
  report(options?: AuditHarOptions): Promise<Report>;
  /** The recorded traffic as HAR 1.2 (write it with JSON.stringify), values in clear: treat it like the test's own credentials. */
  har(): Promise<RecordedHar>;
  /** Stops recording (what was recorded stays). */
  stop(): void;
}

/** A HAR 1.2 document (`log.entries` as the HAR spec defines them). */
export interface RecordedHar {
  log: { version: string; creator: { name: string; version: string }; entries: object[] };
}

export interface ExpectOAuthOptions extends AuditHarOptions {
  /** Fail on findings of this severity or worse (default `high`). */
  failOn?: Severity;
  /** Check ids accepted for this login (a known, tracked finding). */
  ignore?: readonly CheckId[];
}

const recorders = new WeakMap<BrowserContext, OAuthRecorder>();

/** Starts recording the context's traffic (call it before the login). Calling it again returns the same recorder. */
export async function recordOAuth(context: BrowserContext): Promise<OAuthRecorder> {
  const existing = recorders.get(context);
  if (existing) return existing;
  const recorder = fromHar(recordHar(context));
  recorders.set(context, recorder);
  context.once('close', () => recorder.stop());
  return recorder;
}

/** The report of the login recorded on this context (or recorder). */
export async function oauthReport(target: BrowserContext | OAuthRecorder, options: AuditHarOptions = {}): Promise<Report> {
  return recorderOf(target).report(options);
}

/** Thrown by `expectNoOAuthFindings`: the message lists the findings; the report rides along. */
export class OAuthFindingsError extends Error {
  override name = 'OAuthFindingsError';
  constructor(
    readonly findings: Finding[],
    readonly report: Report,
    failOn: Severity,
  ) {
    super(describeFindings(findings, failOn));
  }
}

/**
 * Fails (throws `OAuthFindingsError`) when the recorded login has a finding at
 * or above `failOn`; otherwise returns the report.
 */
export async function expectNoOAuthFindings(target: BrowserContext | OAuthRecorder, options: ExpectOAuthOptions = {}): Promise<Report> {
  const { failOn = 'high', ignore = [], ...auditOptions } = options;
  const report = await recorderOf(target).report(auditOptions);
  const failing = findingsAtOrAbove(report, failOn).filter((finding) => !(ignore as readonly string[]).includes(finding.check));
  if (failing.length > 0) throw new OAuthFindingsError(failing, report, failOn);
  return report;
}

/**
 * For `expect.extend(oauthMatchers)` in @playwright/test:
 * `await expect(context).toHaveNoOAuthFindings({ failOn: 'medium' })`.
 */
export const oauthMatchers = {
  async toHaveNoOAuthFindings(received: BrowserContext | OAuthRecorder, options: ExpectOAuthOptions = {}) {
    const { failOn = 'high', ignore = [], ...auditOptions } = options;
    const report = await recorderOf(received).report(auditOptions);
    const failing = findingsAtOrAbove(report, failOn).filter((finding) => !(ignore as readonly string[]).includes(finding.check));
    const pass = failing.length === 0;
    return {
      pass,
      name: 'toHaveNoOAuthFindings',
      message: () => (pass ? `OAuth Lens: expected findings at or above ${failOn}, found none` : describeFindings(failing, failOn)),
    };
  },
};

/** One readable block: a line per finding, its evidence and reference indented below. */
export function describeFindings(findings: readonly Finding[], failOn: Severity): string {
  const lines = [`OAuth Lens: ${findings.length} finding${findings.length === 1 ? '' : 's'} at or above ${failOn} in the recorded login:`];
  for (const finding of findings) {
    lines.push(`  [${finding.severity}] ${finding.check} (${finding.flowId}): ${finding.message}`);
    for (const evidence of finding.evidence.slice(0, 3)) lines.push(`      ${evidence.where}: ${evidence.excerpt}`);
    lines.push(`      see ${finding.reference}`);
  }
  return lines.join('\n');
}

function fromHar(recorder: HarRecorder): OAuthRecorder {
  return {
    report: async (options = {}) => auditHar(await recorder.har(), options),
    har: () => recorder.har(),
    stop: () => recorder.stop(),
  };
}

function recorderOf(target: BrowserContext | OAuthRecorder): OAuthRecorder {
  if (isRecorder(target)) return target;
  const recorder = recorders.get(target);
  if (!recorder) throw new Error('oauth-lens: this BrowserContext is not being recorded: call `await recordOAuth(context)` before the login');
  return recorder;
}

function isRecorder(target: BrowserContext | OAuthRecorder): target is OAuthRecorder {
  return typeof (target as OAuthRecorder).report === 'function' && typeof (target as OAuthRecorder).har === 'function';
}
