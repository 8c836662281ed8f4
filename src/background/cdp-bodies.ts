/**
 * Response bodies from the Chrome DevTools Protocol (chrome.debugger), turned
 * into the same ResponseBodyMessage the DevTools panel path sends, so
 * Capture.responseBody joins them to the webRequest events (by method, URL,
 * status, time and request body: CDP request ids are not webRequest's).
 *
 * Only the bodies the engine reads are fetched: token responses (a POST whose
 * body carries grant_type), PAR responses, discovery documents, the key sets
 * and userinfo endpoints they name. Knows nothing of chrome.*: the CDP calls
 * come in as `deps`, so tests drive it with plain event objects.
 */
import { bodyParams, queryParams, type Params } from '../core/oauth/params.ts';
import { RESPONSE_BODY_MESSAGE, type ResponseBodyMessage } from '../core/protocol/worker-panel.ts';

/** Largest body kept (the page always gets all of it). */
export const MAX_BODY_CHARS = 256 * 1024;
/** Requests followed at once per tab session (oldest forgotten first). */
const MAX_PENDING = 512;
const MAX_KNOWN_URLS = 64;

export type BodyKind = 'token' | 'par' | 'metadata' | 'key-set' | 'userinfo';

export interface CdpTargetRef {
  tabId: number;
  sessionId?: string;
}

export interface CdpBodyDeps {
  getBody(target: CdpTargetRef, requestId: string): Promise<{ body: string; base64Encoded: boolean } | undefined>;
  getPostData?(target: CdpTargetRef, requestId: string): Promise<string | undefined>;
  deliver(message: ResponseBodyMessage): void;
  /** A key set URL the capture already knows of (from a discovery document it saw). */
  isKnownMetadata?(url: string): boolean;
}

interface Pending {
  target: CdpTargetRef;
  requestId: string;
  method: string;
  url: string;
  postData?: string;
  hasPostData: boolean;
  startedAt: number;
  status?: number;
  mimeType?: string;
}

interface CdpRequest {
  url?: unknown;
  method?: unknown;
  postData?: unknown;
  hasPostData?: unknown;
}

/**
 * Parameters of a token request: grant_type, or (GitHub-style, no grant_type) a code with
 * something that only a token request sends beside it.
 */
export function isTokenParams(params: Params): boolean {
  if ('grant_type' in params) return true;
  if ('response_type' in params) return false;
  return 'code' in params && ('client_id' in params || 'redirect_uri' in params || 'code_verifier' in params || 'client_secret' in params);
}

/** Which body the engine needs from this request, if any (decided from the request alone). */
export function bodyKindOf(method: string, url: string, postData: string | undefined, known: (url: string) => boolean): BodyKind | undefined {
  const endpoint = url.split(/[?#]/, 1)[0] ?? url;
  if (method === 'POST' && postData !== undefined) {
    const body = bodyParams({ text: postData.slice(0, 16_384) });
    if (isTokenParams(body)) return 'token';
    if ('response_type' in body && 'client_id' in body) return 'par';
  }
  // A token request with its parameters in the query (leak.credentials-in-query): its answer matters too.
  if (url.includes('grant_type=') && 'grant_type' in queryParams(url)) return 'token';
  if (method !== 'GET') return undefined;
  if (endpoint.includes('/.well-known/')) return 'metadata';
  if (known(url) || known(endpoint)) return 'key-set';
  return undefined;
}

export class CdpBodies {
  private readonly pending = new Map<string, Pending>();
  private readonly keySetUrls = new Set<string>();
  private readonly userinfoUrls = new Set<string>();
  /** Sessions of service workers: webRequest logs their requests with tabId -1, so their bodies go out so too. */
  private readonly serviceWorkerSessions = new Set<string>();
  /** Bodies read, too big to keep whole (their text was cut at MAX_BODY_CHARS). */
  truncated = 0;

  constructor(private readonly deps: CdpBodyDeps) {}

  /** A chrome.debugger event of any session of an attached tab. */
  onEvent(target: CdpTargetRef, method: string, params: Record<string, unknown>): void {
    if (method === 'Target.attachedToTarget' || method === 'Target.detachedFromTarget') return this.session(method, params);
    const requestId = typeof params.requestId === 'string' ? params.requestId : undefined;
    if (!requestId) return;
    const key = `${target.tabId} ${target.sessionId ?? ''} ${requestId}`;
    if (method === 'Network.requestWillBeSent') this.requestWillBeSent(key, target, requestId, params);
    else if (method === 'Network.responseReceived') this.responseReceived(key, params);
    else if (method === 'Network.loadingFinished') void this.loadingFinished(key);
    else if (method === 'Network.loadingFailed') this.pending.delete(key);
  }

  private session(method: string, params: Record<string, unknown>): void {
    const sessionId = typeof params.sessionId === 'string' ? params.sessionId : undefined;
    if (!sessionId) return;
    const type = (params.targetInfo as { type?: unknown } | undefined)?.type;
    if (method === 'Target.attachedToTarget' && type === 'service_worker') {
      this.serviceWorkerSessions.add(sessionId);
      if (this.serviceWorkerSessions.size > MAX_KNOWN_URLS) this.serviceWorkerSessions.delete(this.serviceWorkerSessions.values().next().value ?? '');
    } else if (method === 'Target.detachedFromTarget') this.serviceWorkerSessions.delete(sessionId);
  }

  /** Forget a tab's requests (detached, closed). */
  forgetTab(tabId: number): void {
    for (const [key, request] of this.pending) if (request.target.tabId === tabId) this.pending.delete(key);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private requestWillBeSent(key: string, target: CdpTargetRef, requestId: string, params: Record<string, unknown>): void {
    const request = (params.request ?? {}) as CdpRequest;
    if (typeof request.url !== 'string' || typeof request.method !== 'string') return;
    // A redirect keeps the request id: the latest URL is the one whose body arrives.
    this.pending.delete(key);
    const wallTime = typeof params.wallTime === 'number' ? params.wallTime * 1000 : Date.now();
    const postData = typeof request.postData === 'string' ? request.postData : undefined;
    const hasPostData = request.hasPostData === true || postData !== undefined;
    // Cheap rejection first: most requests are GETs of nothing the engine reads.
    if (request.method === 'GET' && !this.isMetadataUrl(request.url) && !request.url.includes('grant_type=')) return;
    if (request.method !== 'GET' && (request.method !== 'POST' || !hasPostData)) return;
    if (postData !== undefined && request.method === 'POST' && !bodyKindOf('POST', request.url, postData, () => false)) return;
    this.pending.set(key, { target, requestId, method: request.method, url: request.url, postData, hasPostData, startedAt: wallTime });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value ?? '');
  }

  private responseReceived(key: string, params: Record<string, unknown>): void {
    const request = this.pending.get(key);
    const response = params.response as { status?: unknown; mimeType?: unknown } | undefined;
    if (!request || !response) return;
    if (typeof response.status === 'number') request.status = response.status;
    if (typeof response.mimeType === 'string') request.mimeType = response.mimeType;
  }

  private isMetadataUrl(url: string): boolean {
    const endpoint = url.split(/[?#]/, 1)[0] ?? url;
    return (
      endpoint.includes('/.well-known/') ||
      this.keySetUrls.has(url) ||
      this.userinfoUrls.has(endpoint) ||
      (this.deps.isKnownMetadata?.(url) ?? false)
    );
  }

  private async loadingFinished(key: string): Promise<void> {
    const request = this.pending.get(key);
    if (!request) return;
    this.pending.delete(key);
    if (request.postData === undefined && request.hasPostData && request.method === 'POST') {
      request.postData = await this.deps.getPostData?.(request.target, request.requestId);
    }
    const kind = bodyKindOf(request.method, request.url, request.postData, (url) => this.isMetadataUrl(url));
    if (!kind) return;
    const read = await this.deps.getBody(request.target, request.requestId);
    if (!read) return;
    let body = read.base64Encoded ? decodeBase64(read.body) : read.body;
    if (body === undefined) return;
    if (body.length > MAX_BODY_CHARS) {
      body = body.slice(0, MAX_BODY_CHARS);
      this.truncated += 1;
    }
    if (kind === 'metadata') this.learnMetadata(body);
    this.deps.deliver({
      type: RESPONSE_BODY_MESSAGE,
      tabId: request.target.sessionId && this.serviceWorkerSessions.has(request.target.sessionId) ? -1 : request.target.tabId,
      url: request.url,
      method: request.method,
      status: request.status ?? 200,
      startedAt: request.startedAt,
      ...(request.postData !== undefined ? { requestBody: request.postData } : {}),
      body,
      ...(request.mimeType ? { mimeType: request.mimeType } : {}),
    });
  }

  /** A discovery document names the key set and userinfo endpoint whose bodies come next. */
  private learnMetadata(text: string): void {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof document !== 'object' || document === null) return;
    const { jwks_uri: jwksUri, userinfo_endpoint: userinfo } = document as { jwks_uri?: unknown; userinfo_endpoint?: unknown };
    if (typeof jwksUri === 'string') remember(this.keySetUrls, jwksUri);
    if (typeof userinfo === 'string') remember(this.userinfoUrls, userinfo.split(/[?#]/, 1)[0] ?? userinfo);
  }
}

function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > MAX_KNOWN_URLS) set.delete(set.values().next().value ?? '');
}

function decodeBase64(text: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
