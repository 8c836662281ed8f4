/**
 * Masking of secrets: at most the first 4 and last 4 characters survive, and
 * fewer for short values, so a mask never shows most of a secret.
 */
export const MASK = '…';

/** How many characters to keep at each end of a secret of this length. */
function keptPerSide(length: number): number {
  return Math.min(4, Math.floor(length / 6));
}

export function maskSecret(value: string): string {
  const keep = keptPerSide(value.length);
  if (keep === 0) return value.length === 0 ? '' : '****';
  return `${value.slice(0, keep)}${MASK}${value.slice(-keep)}`;
}

/** True when the string is already a mask produced by maskSecret. */
export function isMasked(value: string): boolean {
  return value === '****' || /^.{1,4}….{1,4}$/u.test(value);
}
