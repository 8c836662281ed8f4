import { useEffect, useState } from 'preact/hooks';
import { audit as coreAudit } from '../core/audit.ts';
import type { AuditOptions, AuditResult, RequestEvent } from '../core/model.ts';

export type AuditFn = (events: RequestEvent[], options?: AuditOptions) => Promise<AuditResult>;

export const EMPTY_RESULT: AuditResult = { analysis: { events: [], flows: [], metadata: [], jwks: {} }, findings: [], notEvaluated: [] };

/**
 * Runs the engine on the events whenever they change. A result that arrives
 * after newer events were handed in is dropped, so the view never goes back.
 */
export function useAudit(events: RequestEvent[], options: AuditOptions, auditFn: AuditFn = coreAudit): { result: AuditResult; error?: string } {
  const [state, setState] = useState<{ result: AuditResult; error?: string }>({ result: EMPTY_RESULT });
  useEffect(() => {
    let current = true;
    auditFn(events, options).then(
      (result) => current && setState({ result }),
      (error: unknown) => current && setState((s) => ({ result: s.result, error: String(error) })),
    );
    return () => {
      current = false;
    };
  }, [events, options, auditFn]);
  return state;
}
