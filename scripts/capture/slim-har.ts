/**
 * Keeps fixture HARs small without losing what the engine reads: every entry,
 * every header, every request body; response bodies only where they may carry
 * OAuth data (JSON, form-encoded, plain text, and form_post auto-submit pages).
 * Image, script, style and ordinary HTML bodies are dropped.
 */
import type { Har } from 'har-format';

const KEEP_MIME = /json|x-www-form-urlencoded|text\/plain/i;
const FORM_POST_PAGE = /<input[^>]+name="(?:code|id_token|access_token|error|state)"/i;
const MAX_BODY = 64 * 1024;

export function slimHar(har: Har): Har {
  for (const entry of har.log.entries) {
    const content = entry.response.content;
    if (content.text === undefined) continue;
    const mime = content.mimeType ?? '';
    const text = content.encoding === 'base64' ? '' : content.text;
    const keep =
      content.text.length <= MAX_BODY && (KEEP_MIME.test(mime) || (/html/i.test(mime) && FORM_POST_PAGE.test(text)));
    if (!keep) {
      delete content.text;
      delete content.encoding;
      content.comment = 'body dropped by scripts/capture (not OAuth data)';
    }
  }
  return har;
}

/** A one-line summary of a HAR for the capture log. */
export function summarize(har: Har): string {
  const entries = har.log.entries;
  const has = (re: RegExp) => entries.filter((e) => re.test(e.request.url) || re.test(e.request.postData?.text ?? '')).length;
  const locations = entries.filter((e) => e.response.headers.some((h) => h.name.toLowerCase() === 'location')).length;
  const tokenPosts = entries.filter((e) => /grant_type=|code_verifier=/.test(e.request.postData?.text ?? '') || /grant_type=|code_verifier=/.test(new URL(e.request.url).search)).length;
  return `${entries.length} entries, ${has(/[?&#]response_type=/)} authz, ${has(/[?&#](code|error|access_token)=/)} code/error/token urls, ${locations} redirects, ${tokenPosts} token requests`;
}
