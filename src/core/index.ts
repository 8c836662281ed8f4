/**
 * The engine's public surface. Pure: runs unchanged in the service worker,
 * the panel, the CLI and the tests.
 */
export * from './model.ts';
export { CATALOGUE, checkDefinition, isCheckId, type CheckId, type CheckDefinition } from './checks/catalogue.ts';
export { maskSecret } from './report/mask.ts';
export { mightBeOAuth, bodyMightBeOAuth } from './ingest/prefilter.ts';
export { analyze } from './flows/analyze.ts';
export { audit } from './audit.ts';
export { ingestHar, createHarIngester, HarError } from './ingest/from-har.ts';
export { toJsonReport } from './report/json.ts';
export { toSarif } from './report/sarif.ts';
export { toTextReport } from './report/text.ts';
export { createRedactor, collectSecrets, redactorFor, NO_REDACTION, type Redactor } from './report/redact.ts';
