import type { Analysis, AuditOptions, CheckResult } from '../model.ts';
import { createContext, type CheckFamily } from './context.ts';
import { authorizationRequestChecks } from './authorization-request.ts';
import { callbackChecks } from './callback.ts';
import { dpopChecks } from './dpop.ts';
import { dpopBindingChecks } from './dpop-binding.ts';
import { pushedRequestChecks } from './pushed-requests.ts';
import { serverPageChecks } from './server-pages.ts';
import { sessionChecks } from './session.ts';
import { endpointChecks } from './endpoints.ts';
import { idTokenChecks } from './id-token.ts';
import { leakageChecks } from './leakage.ts';
import { tokenChecks } from './token.ts';

/** Every check family, one file each. */
export const FAMILIES: readonly CheckFamily[] = [
  authorizationRequestChecks,
  endpointChecks,
  callbackChecks,
  leakageChecks,
  tokenChecks,
  idTokenChecks,
  dpopChecks,
  dpopBindingChecks,
  pushedRequestChecks,
  serverPageChecks,
  sessionChecks,
];

/**
 * What the passive checks judge: the app's traffic only. The inspector's own
 * requests (active checks, edit and resend) stay in the flows for the
 * timeline, but a verifier it left out on purpose is not the app's mistake.
 */
export function appTraffic(analysis: Analysis): Analysis {
  if (!analysis.events.some((event) => event.fromInspector)) return analysis;
  const flows = analysis.flows
    .map((flow) => ({ ...flow, legs: flow.legs.filter((leg) => !leg.event.fromInspector) }))
    .filter((flow) => flow.legs.length > 0);
  return { ...analysis, events: analysis.events.filter((event) => !event.fromInspector), flows };
}

/**
 * Runs every family on the app's traffic. One family throwing on odd input
 * must not cost the others their findings: its failure is reported as not evaluated.
 */
export async function runChecks(analysis: Analysis, options: AuditOptions = {}): Promise<CheckResult> {
  const ctx = createContext(appTraffic(analysis), options);
  const result: CheckResult = { findings: [], notEvaluated: [] };
  for (const family of FAMILIES) {
    try {
      const partial = await family.run(ctx);
      result.findings.push(...partial.findings);
      result.notEvaluated.push(...partial.notEvaluated);
    } catch (error) {
      for (const id of family.ids) {
        result.notEvaluated.push({ check: id, flowId: '*', reason: `internal error in ${family.name} checks: ${String(error)}` });
      }
    }
  }
  return result;
}
