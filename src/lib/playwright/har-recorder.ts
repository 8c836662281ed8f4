/**
 * Records what a Playwright BrowserContext sends and receives as HAR 1.2
 * entries, through Playwright's own network events (`request`,
 * `requestfinished`, `requestfailed`), so it works in every browser Playwright
 * drives and while the context is still open (unlike `recordHar`, which
 * writes only on close). Response bodies are read only where OAuth data can
 * be (JSON, form-encoded, plain text, form_post pages), as the fixtures'
 * slimmer keeps them (scripts/capture/slim-har.ts).
 * @see https://playwright.dev/docs/api/class-browsercontext#browser-context-event-request
 */
import type { Entry, Har, Header } from 'har-format';
import type { BrowserContext, Request } from 'playwright-core';

const KEEP_MIME = /json|x-www-form-urlencoded|text\/plain/i;
const FORM_POST_FIELDS = ['name="code"', 'name="id_token"', 'name="access_token"', 'name="error"', 'name="state"'];
const MAX_BODY = 256 * 1024;
/** Requests remembered at most (the oldest are dropped first), so a long test cannot grow without bound. */
const MAX_ENTRIES = 20_000;

interface Slot {
  seq: number;
  started: number;
  request: Request;
  entry?: Entry;
}

export interface HarRecorder {
  /**
   * Waits up to `settleMs` for requests still in flight (an image the callback
   * page loads, a token fetch) and for the bodies being read, then returns the
   * HAR of everything seen so far (values in clear).
   */
  har(settleMs?: number): Promise<Har>;
  /** Stops listening; what was recorded stays readable. */
  stop(): void;
}

export function recordHar(context: BrowserContext): HarRecorder {
  const slots = new Map<Request, Slot>();
  const pending = new Set<Promise<void>>();
  const unsettled = new Set<Request>();
  let wake: (() => void) | undefined;
  let seq = 0;

  const onRequest = (request: Request): void => {
    slots.set(request, { seq: seq++, started: Date.now(), request });
    unsettled.add(request);
    if (slots.size > MAX_ENTRIES) {
      const oldest = slots.keys().next().value as Request;
      slots.delete(oldest);
      unsettled.delete(oldest);
    }
  };
  const settle = (request: Request, failed: boolean): void => {
    unsettled.delete(request);
    wake?.();
    const slot = slots.get(request);
    if (!slot) return;
    const job = entryOf(slot, failed).then(
      (entry) => {
        slot.entry = entry;
      },
      () => undefined, // one odd request never breaks the recording: it stays a bare entry
    );
    pending.add(job);
    void job.finally(() => pending.delete(job));
  };
  const onFinished = (request: Request): void => settle(request, false);
  const onFailed = (request: Request): void => settle(request, true);

  context.on('request', onRequest);
  context.on('requestfinished', onFinished);
  context.on('requestfailed', onFailed);

  return {
    async har(settleMs = 2_000) {
      const deadline = Date.now() + settleMs;
      while (unsettled.size > 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      while (pending.size > 0) await Promise.allSettled([...pending]);
      const entries = [...slots.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((slot) => slot.entry ?? bareEntry(slot));
      return { log: { version: '1.2', creator: { name: 'oauth-lens/playwright', version: '1' }, entries } };
    },
    stop() {
      context.off('request', onRequest);
      context.off('requestfinished', onFinished);
      context.off('requestfailed', onFailed);
    },
  };
}

async function entryOf(slot: Slot, failed: boolean): Promise<Entry> {
  const { request } = slot;
  const entry = bareEntry(slot);
  entry.request.headers = await request.headersArray().catch(() => entry.request.headers);
  const response = failed ? null : await request.response().catch(() => null);
  if (!response) return entry;
  const headers: Header[] = await response.headersArray().catch(() => []);
  const mimeType = headerOf(headers, 'content-type') ?? '';
  entry.response = {
    status: response.status(),
    statusText: response.statusText(),
    httpVersion: 'HTTP/1.1',
    headers,
    cookies: [],
    content: { size: -1, mimeType },
    redirectURL: headerOf(headers, 'location') ?? '',
    headersSize: -1,
    bodySize: -1,
  };
  const isRedirect = response.status() >= 300 && response.status() < 400;
  if (!isRedirect && (KEEP_MIME.test(mimeType) || /html/i.test(mimeType))) {
    const body = await response.body().catch(() => undefined);
    if (body && body.length <= MAX_BODY) {
      const text = body.toString('utf8');
      if (KEEP_MIME.test(mimeType) || isFormPostPage(text)) entry.response.content = { size: body.length, mimeType, text };
    }
  }
  return entry;
}

function bareEntry(slot: Slot): Entry {
  const { request } = slot;
  const headers = Object.entries(request.headers()).map(([name, value]) => ({ name, value }));
  const entry: Entry = {
    startedDateTime: new Date(slot.started).toISOString(),
    time: 0,
    request: { method: request.method(), url: request.url(), httpVersion: 'HTTP/1.1', cookies: [], headers, queryString: [], headersSize: -1, bodySize: -1 },
    response: { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _resourceType: request.resourceType() as Entry['_resourceType'],
  };
  const postData = request.postData();
  if (postData !== null) entry.request.postData = { mimeType: headerOf(headers, 'content-type') ?? '', text: postData };
  return entry;
}

/** A form_post auto-submit page: an `<input>` named like an authorization response field (linear: indexOf, bounded tags). */
function isFormPostPage(html: string): boolean {
  const lower = html.toLowerCase();
  for (let at = lower.indexOf('<input'); at >= 0; at = lower.indexOf('<input', at + 6)) {
    const end = lower.indexOf('>', at);
    const tag = lower.slice(at, end < 0 ? at + 512 : Math.min(end, at + 512));
    if (FORM_POST_FIELDS.some((field) => tag.includes(field))) return true;
  }
  return false;
}

function headerOf(headers: readonly Header[], name: string): string | undefined {
  return headers.find((header) => header.name.toLowerCase() === name)?.value;
}
