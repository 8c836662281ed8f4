import type { Analysis, AuditOptions, CheckResult } from '../model.ts';
import { createContext, type CheckFamily } from './context.ts';
import { authorizationRequestChecks } from './authorization-request.ts';
import { callbackChecks } from './callback.ts';
import { dpopChecks } from './dpop.ts';
import { idTokenChecks } from './id-token.ts';
import { leakageChecks } from './leakage.ts';
import { tokenChecks } from './token.ts';

/** Every check family, one file each. */
export const FAMILIES: readonly CheckFamily[] = [authorizationRequestChecks, callbackChecks, leakageChecks, tokenChecks, idTokenChecks, dpopChecks];

/**
 * Runs every family. One family throwing on odd input must not cost the
 * others their findings: its failure is reported as not evaluated.
 */
export async function runChecks(analysis: Analysis, options: AuditOptions = {}): Promise<CheckResult> {
  const ctx = createContext(analysis, options);
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
