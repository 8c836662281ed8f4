/**
 * The one size cap on every body the extension keeps (webRequest, DevTools,
 * Firefox's response filter): storage.session holds 10 MB for every tab, and
 * a page can send bodies of any size. A cut body says so (`truncated`), and
 * the panel and the report show it.
 */
import type { ResponseBody } from '../model.ts';

/** Characters kept of one body: token responses, discovery documents and key sets are far smaller. */
export const MAX_BODY_CHARS = 64 * 1024;

export function capText(text: string, max = MAX_BODY_CHARS): { text: string; truncated: boolean } {
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text, truncated: false };
}

/** A response body within the cap, marked when cut. */
export function cappedResponseBody(text: string, mimeType?: string, max = MAX_BODY_CHARS): ResponseBody {
  const capped = capText(text, max);
  return { text: capped.text, ...(mimeType ? { mimeType } : {}), ...(capped.truncated ? { truncated: true as const } : {}) };
}
