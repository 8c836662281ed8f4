/**
 * What the panel masks: the engine's one redactor (src/core/report/redact.ts),
 * built for the capture on screen so that every secret value the capture
 * holds is masked wherever else it appears, in every view, export and cURL.
 * The App provides it; components read it with `useRedactor()`.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Finding, RequestEvent } from '../core/model.ts';
import { redactFinding } from '../core/report/json.ts';
import { createRedactor, NO_REDACTION, redactorFor, type Redactor } from '../core/report/redact.ts';
import { parseBoundedJson } from '../core/oauth/bounded-json.ts';

export { isSecretHeader, isSecretName, NO_REDACTION, type Redactor } from '../core/report/redact.ts';

/** The engine's built-in rules, without a capture at hand (a view rendered on its own). */
export const BUILT_IN: Redactor = createRedactor();

export const RedactorContext = createContext<Redactor>(BUILT_IN);

export function useRedactor(): Redactor {
  return useContext(RedactorContext);
}

/** For exports and views: also masks every secret value seen anywhere in the capture, wherever it reappears. */
export function captureRedactor(events: readonly RequestEvent[]): Redactor {
  return redactorFor(events);
}

/** A body masked for display: JSON pretty-printed. */
export function maskBody(text: string, mimeType?: string, redactor: Redactor = BUILT_IN): string {
  const masked = redactor.body(text, mimeType);
  return prettyJson(masked) ?? masked;
}

export function prettyJson(text: string): string | undefined {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.stringify(parseBoundedJson(text), null, 2);
  } catch {
    return undefined;
  }
}

/** A finding as the panel shows it: the engine masked it by name; this also masks the capture's known values. */
export function shownFinding(finding: Finding, redactor: Redactor): Finding {
  return redactor === NO_REDACTION ? finding : redactFinding(finding, redactor);
}
