/** What the panel exports: the capture as HAR, the report as JSON or SARIF; masked unless `reveal`. */
import type { AuditResult, RequestEvent } from '../core/model.ts';
import { toJsonReport } from '../core/report/json.ts';
import { createPseudonymiser, pseudonymiseHar, pseudonymiseReport } from '../core/report/pseudonymise.ts';
import { toSarif } from '../core/report/sarif.ts';
import { eventsToHar } from './har-export.ts';

export type ExportFormat = 'har' | 'json' | 'sarif' | 'har-pseudonymised' | 'json-pseudonymised';

export interface ExportInput {
  label: string;
  events: readonly RequestEvent[];
  result: AuditResult;
  dropped: number;
  reveal: boolean;
}

export interface ExportFile {
  filename: string;
  text: string;
  mimeType: string;
}

/** Masked and revealed exports (synchronous); the pseudonymised ones are made by `buildPseudonymisedExport`. */
export function buildExport(format: 'har' | 'json' | 'sarif', input: ExportInput): ExportFile {
  const base = `oauth-lens-${input.label.replace(/[^\w.-]+/g, '-')}${input.reveal ? '-UNMASKED' : ''}`;
  switch (format) {
    case 'har':
      return { filename: `${base}.har`, text: JSON.stringify(eventsToHar(input.events, input.reveal), null, 2), mimeType: 'application/json' };
    case 'json':
      return { filename: `${base}.json`, text: JSON.stringify(toJsonReport(input.result, { reveal: input.reveal, dropped: input.dropped }), null, 2), mimeType: 'application/json' };
    case 'sarif':
      return { filename: `${base}.sarif`, text: JSON.stringify(toSarif(input.result, { reveal: input.reveal }), null, 2), mimeType: 'application/sarif+json' };
  }
}

/**
 * Shareable evidence: the capture (HAR) or the report (JSON) with every secret
 * replaced by a pseudonym under a key made for this export alone; the HAR
 * carries the verdicts that need the real values (core/report/pseudonymise.ts).
 */
export async function buildPseudonymisedExport(format: 'har' | 'json', input: ExportInput): Promise<ExportFile> {
  const pseudonymiser = await createPseudonymiser(input.result);
  const base = `oauth-lens-${input.label.replace(/[^\w.-]+/g, '-')}-pseudonymised`;
  if (format === 'har') {
    const har = pseudonymiseHar(eventsToHar(input.events, true), input.result, pseudonymiser);
    return { filename: `${base}.har`, text: JSON.stringify(har, null, 2), mimeType: 'application/json' };
  }
  const report = pseudonymiseReport(toJsonReport(input.result, { reveal: true, dropped: input.dropped }), pseudonymiser);
  return { filename: `${base}.json`, text: JSON.stringify(report, null, 2), mimeType: 'application/json' };
}
