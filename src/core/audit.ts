import { analyze } from './flows/analyze.ts';
import { runChecks } from './checks/index.ts';
import type { AuditOptions, AuditResult, RequestEvent } from './model.ts';

/** Recognise the flows in a capture and run every passive check on them. */
export async function audit(events: RequestEvent[], options: AuditOptions = {}): Promise<AuditResult> {
  const analysis = analyze(events);
  const { findings, notEvaluated } = await runChecks(analysis, options);
  return { analysis, findings, notEvaluated };
}
