import type {
  Analysis,
  AuditOptions,
  CheckResult,
  Evidence,
  Finding,
  Flow,
  NotEvaluated,
  Severity,
} from '../model.ts';
import { maskSecret } from '../report/mask.ts';
import { checkDefinition, type CheckId } from './catalogue.ts';

/** What every check family receives. */
export interface CheckContext {
  analysis: Analysis;
  options: AuditOptions;
  /** Masks a secret unless the user chose to reveal. */
  mask(value: string): string;
}

/** One file per family; `ids` lists every id the family may report. */
export interface CheckFamily {
  name: string;
  ids: readonly CheckId[];
  run(ctx: CheckContext): CheckResult | Promise<CheckResult>;
}

export function createContext(analysis: Analysis, options: AuditOptions = {}): CheckContext {
  return {
    analysis,
    options,
    mask: (value) => (options.reveal ? value : maskSecret(value)),
  };
}

export interface FindingInput {
  message: string;
  evidence: Evidence[];
  /** Overrides the catalogue's default severity; say why in the message. */
  severity?: Severity;
  expected?: string;
  actual?: string;
}

/** Builds a finding with the catalogue's severity and reference. */
export function finding(id: CheckId, flow: Flow | string, input: FindingInput): Finding {
  const def = checkDefinition(id);
  const result: Finding = {
    check: id,
    severity: input.severity ?? def.severity,
    flowId: typeof flow === 'string' ? flow : flow.id,
    message: input.message,
    evidence: input.evidence,
    reference: def.reference,
  };
  if (input.expected !== undefined) result.expected = input.expected;
  if (input.actual !== undefined) result.actual = input.actual;
  return result;
}

export function notEvaluated(id: CheckId, flow: Flow | string, reason: string): NotEvaluated {
  return { check: id, flowId: typeof flow === 'string' ? flow : flow.id, reason };
}

export function emptyResult(): CheckResult {
  return { findings: [], notEvaluated: [] };
}
