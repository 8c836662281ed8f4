import { ingestHar } from '../core/ingest/from-har.ts';
import type { RequestEvent } from '../core/model.ts';
import { readCarriedVerdicts, type CarriedVerdicts } from '../core/report/pseudonymise.ts';

export interface ImportedHar {
  events: RequestEvent[];
  warnings: string[];
  /** A pseudonymised export's verdicts for the checks that need the real values. */
  carried?: CarriedVerdicts;
}

/** Reads a HAR file's text (Chrome, Firefox or Playwright) into events; throws with a one-line reason. */
export function importHarText(text: string): ImportedHar {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('not a HAR: the file is not JSON');
  }
  const { events, warnings } = ingestHar(parsed);
  const carried = readCarriedVerdicts(parsed);
  return carried ? { events, warnings, carried } : { events, warnings };
}

export async function importHarFile(file: Blob): Promise<ImportedHar> {
  return importHarText(await file.text());
}
