import { CATALOGUE, isCheckId, type CheckId } from '../../core/checks/catalogue.ts';
import { LEAK_CHECKS } from './checks-leak.ts';
import { MODERN_CHECKS } from './checks-modern.ts';
import { REQUEST_CHECKS } from './checks-request.ts';
import { TOKEN_CHECKS } from './checks-token.ts';
import type { CheckExplanation } from './types.ts';

export type { CheckExplanation } from './types.ts';
export { referenceLinks, type SpecLink } from './references.ts';
export { FLOW_EXPLAINERS, explainerFor, type FlowExplainer } from './flows.ts';

/** Every check has its text: a check added to the catalogue without one fails to compile here. */
const ALL: Record<CheckId, CheckExplanation> = { ...REQUEST_CHECKS, ...LEAK_CHECKS, ...TOKEN_CHECKS, ...MODERN_CHECKS };

/** The teaching text for a check id (an id from an older or newer report gets a plain fallback). */
export function explainCheck(id: string): CheckExplanation & { reference: string } {
  const def = CATALOGUE.find((c) => c.id === id);
  const text = isCheckId(id) ? ALL[id] : { why: 'No explanation for this check in this version of oauth-lens.', fix: 'See the referenced section.' };
  return { ...text, reference: def?.reference ?? '' };
}

export function hasExplanation(id: string): boolean {
  return isCheckId(id);
}
