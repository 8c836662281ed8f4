/**
 * What the panel masks, by the engine's own rules (src/core/report/redact.ts):
 * the same names, headers and patterns as the reports, so the screen, the
 * exports and the CLI never disagree about what a secret is.
 */
import type { RequestEvent } from '../core/model.ts';
import { collectSecrets, createRedactor, SECRET_HEADERS, SECRET_NAMES, type Redactor } from '../core/report/redact.ts';
import { parseBoundedJson } from '../core/oauth/bounded-json.ts';

/** The engine's built-in rules, without a capture at hand. */
const builtIn = createRedactor();

/** `request` (a JAR request object) is a signed JWT that may carry secrets too. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.has(lower) || lower === 'request';
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export const maskUrl = (url: string): string => builtIn.url(url);
export const maskHeaderValue = (name: string, value: string): string => builtIn.header(name, value);

/** A body masked for display: JSON pretty-printed. */
export function maskBody(text: string, mimeType?: string): string {
  const masked = builtIn.body(text, mimeType);
  return prettyJson(masked) ?? masked;
}

export function prettyJson(text: string): string | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.stringify(parseBoundedJson(text), null, 2);
  } catch {
    return undefined;
  }
}

/** For exports: also masks every secret value seen anywhere in the capture, wherever it reappears. */
export function captureRedactor(events: readonly RequestEvent[]): Redactor {
  return createRedactor(collectSecrets(events));
}

const identity = <T>(value: T): T => value;
export const NO_REDACTION: Redactor = {
  text: identity,
  url: identity,
  header: (_, value) => value,
  headers: (headers) => headers.map((h) => ({ ...h })),
  body: identity,
  value: identity,
};
