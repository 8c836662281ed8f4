/**
 * Captured text shown to people: C0 and C1 control characters (ESC sequences
 * rewrite a terminal), line separators and bidi overrides (`\u202E` reverses
 * what follows) become visible `\uXXXX` escapes. Used by the text report and
 * by every panel view that shows a captured value.
 * @see https://www.unicode.org/reports/tr9/#Explicit_Directional_Overrides
 */

/** One character class: a single linear scan. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

/** `multiline` keeps `\n` and `\t` as they are (a pretty-printed body in a `<pre>`). */
export function escapeControls(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(INVISIBLE, (c) => (options.multiline && (c === '\n' || c === '\t') ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Whether the text holds a character `escapeControls` would change. */
export function hasControls(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}
