/**
 * SARIF 2.1.0 export. The engine's SARIF builder (src/core/report/sarif.ts,
 * being written) replaces this stub's body when it lands.
 */
import type { AuditResult } from '../core/model.ts';

export function sarifText(_result: AuditResult, _reveal: boolean): string {
  throw new Error('SARIF export is not available yet');
}
