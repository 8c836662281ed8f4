/** The spec links live with the engine, so the panel and SARIF link the same sections. */
export { referenceLinks, type SpecLink } from '../../core/report/references.ts';
