import { CATALOGUE } from '../../core/checks/catalogue.ts';
import { LEAK_CHECKS } from './checks-leak.ts';
import { MODERN_CHECKS } from './checks-modern.ts';
import { REQUEST_CHECKS } from './checks-request.ts';
import { TOKEN_CHECKS } from './checks-token.ts';
import type { CheckExplanation } from './types.ts';

export type { CheckExplanation } from './types.ts';
export { referenceLinks, type SpecLink } from './references.ts';
export { FLOW_EXPLAINERS, explainerFor, type FlowExplainer } from './flows.ts';

const ALL: Record<string, CheckExplanation> = { ...REQUEST_CHECKS, ...LEAK_CHECKS, ...TOKEN_CHECKS, ...MODERN_CHECKS };

/** The teaching text for a check id; a check added later without text gets a plain fallback. */
export function explainCheck(id: string): CheckExplanation & { reference: string } {
  const def = CATALOGUE.find((c) => c.id === id);
  const text = ALL[id] ?? { why: def ? `This check fires when ${def.firesWhen}.` : 'No explanation yet for this check.', fix: 'See the referenced section.' };
  return { ...text, reference: def?.reference ?? '' };
}

export function hasExplanation(id: string): boolean {
  return id in ALL;
}
