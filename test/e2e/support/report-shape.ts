/**
 * What must be the same between live capture and the HAR audit of the same
 * demo variant (recorded in another run, so ports, codes and tokens differ):
 * the flows with their kinds and steps, the check ids found, and the check ids
 * not evaluated. Any difference is a recognition, grouping, body-join or timing
 * bug.
 */
import { readFileSync } from 'node:fs';
import { audit } from '../../../src/core/audit.ts';
import { ingestHar } from '../../../src/core/ingest/from-har.ts';
import { toJsonReport } from '../../../src/core/report/json.ts';
import type { Report } from '../../../src/core/model.ts';

export interface ReportShape {
  flows: { kind: string; steps: string[]; tokenResponseBody: string; tokenExchange: string }[];
  checks: string[];
  notEvaluated: string[];
}

export function shapeOf(report: Report | undefined): ReportShape {
  const flows = (report?.flows ?? []).map((flow) => ({
    kind: flow.kind,
    // Step kinds with the method and, for token requests, the grant: e.g. "token-request POST refresh_token".
    // Not interaction steps: live capture keeps a login or consent form POST only when it carries
    // OAuth parameters (prefilter.ts; a 307 to the redirect URI carries the code and is kept), a
    // HAR keeps every request. No check reads a 303 interaction.
    steps: flow.steps.filter((step) => step.kind !== 'interaction').map((step) => [step.kind, step.method, step.kind === 'token-request' ? (step.params.grant_type ?? '(none)') : ''].join(' ').trim()),
    tokenResponseBody: flow.observability.tokenResponseBody,
    tokenExchange: flow.observability.tokenExchange,
  }));
  return {
    flows,
    checks: [...new Set((report?.findings ?? []).map((finding) => finding.check))].sort(),
    notEvaluated: [...new Set((report?.notEvaluated ?? []).map((item) => item.check))].sort(),
  };
}

/** The HAR audit of test/fixtures/har/<name>.har, shaped for comparison. */
export async function harShape(name: string): Promise<ReportShape> {
  const har = JSON.parse(readFileSync(new URL(`../../fixtures/har/${name}.har`, import.meta.url), 'utf8'));
  const { events } = ingestHar(har);
  return shapeOf(toJsonReport(await audit(events, {})));
}
