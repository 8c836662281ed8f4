/**
 * Masking of secrets: at most the first 4 and last 4 characters survive, only
 * of values long enough that this shows a small part of them; short values
 * and passwords are masked whole.
 */
export const MASK = '…';
/** A value masked whole. */
export const MASKED_WHOLE = '****';
/** Shorter values keep nothing. */
export const MIN_PARTIAL_MASK = 12;

/** How many characters to keep at each end of a secret of this length (at most a third of it, at most 4). */
function keptPerSide(length: number): number {
  return length < MIN_PARTIAL_MASK ? 0 : Math.min(4, Math.floor(length / 6));
}

export function maskSecret(value: string): string {
  const keep = keptPerSide(value.length);
  if (keep === 0) return value.length === 0 ? '' : MASKED_WHOLE;
  return `${value.slice(0, keep)}${MASK}${value.slice(-keep)}`;
}

/** A password, a PIN: nothing of it is kept. */
export function maskWhole(value: string): string {
  return value.length === 0 ? '' : MASKED_WHOLE;
}

/** True when the string is already a mask produced by maskSecret. */
export function isMasked(value: string): boolean {
  return value === MASKED_WHOLE || (value.length <= 9 && /^.{1,4}….{1,4}$/u.test(value));
}
