/** What the panel exports: the capture as HAR, the report as JSON or SARIF; masked unless `reveal`. */
import type { AuditResult, RequestEvent } from '../core/model.ts';
import { toJsonReport } from '../core/report/json.ts';
import { toSarif } from '../core/report/sarif.ts';
import { eventsToHar } from './har-export.ts';

export type ExportFormat = 'har' | 'json' | 'sarif';

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

export function buildExport(format: ExportFormat, input: ExportInput): ExportFile {
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
