import { analyze } from './flows/analyze.ts';
import { appTraffic, runChecks } from './checks/index.ts';
import { createContext } from './checks/context.ts';
import { runFapi2 } from './checks/fapi2.ts';
import type { AuditOptions, AuditResult, RequestEvent } from './model.ts';

/**
 * Recognise the flows in a capture and run every passive check on them; with
 * a profile picked (`options.profile`), its clause checks too, and the
 * profile's verdict for each flow.
 */
export async function audit(events: RequestEvent[], options: AuditOptions = {}): Promise<AuditResult> {
  const analysis = analyze(events);
  const { findings, notEvaluated } = await runChecks(analysis, options);
  const result: AuditResult = { analysis, findings, notEvaluated };
  if (options.profile === 'fapi2') {
    const fapi = runFapi2(createContext(appTraffic(analysis), options));
    result.findings.push(...fapi.findings);
    result.notEvaluated.push(...fapi.notEvaluated);
    result.profile = fapi.profile;
  }
  return result;
}
