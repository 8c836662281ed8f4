/** Human times for JWT claims and the flow list ("expired 3 min ago"). */

export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** "3 min ago" / "in 5 min" */
export function relative(targetMs: number, nowMs: number): string {
  const d = targetMs - nowMs;
  if (Math.abs(d) < 1000) return 'now';
  return d < 0 ? `${formatDuration(d)} ago` : `in ${formatDuration(d)}`;
}

/** What a JWT time claim (seconds since epoch) means, relative to now. */
export function describeTimeClaim(claim: string, seconds: number, nowMs: number): string {
  const at = seconds * 1000;
  const rel = relative(at, nowMs);
  switch (claim) {
    case 'exp':
      return at <= nowMs ? `expired ${rel}` : `expires ${rel}`;
    case 'nbf':
      return at <= nowMs ? `valid since ${rel}` : `not valid yet (${rel})`;
    case 'iat':
      return at <= nowMs ? `issued ${rel}` : `issued in the future (${rel})`;
    case 'auth_time':
      return `signed in ${rel}`;
    default:
      return rel;
  }
}

export function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);
