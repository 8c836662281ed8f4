/**
 * Plain data of the active checks: the requests the inspector would send, the
 * answers it got, and what they mean. Structured-clone safe (they cross the
 * worker/panel boundary); no I/O here — the browser glue sends.
 */
import type { Finding, HttpHeader } from '../model.ts';

export type ActiveCheckId = 'code.reuse-accepted' | 'pkce.not-enforced' | 'refresh.reuse-accepted' | 'redirect.not-exact' | 'dpop.refresh-unbound';

export const ACTIVE_CHECK_IDS: readonly ActiveCheckId[] = [
  'code.reuse-accepted',
  'pkce.not-enforced',
  'refresh.reuse-accepted',
  'redirect.not-exact',
  'dpop.refresh-unbound',
];

/** How the fields of a token request travel. */
export type BodyEncoding = 'form' | 'json' | 'query';

/** A back-channel request the inspector may send (a token request). */
export interface ReplayRequest {
  method: 'POST' | 'GET';
  /** For `encoding: 'query'` the fields are appended to this URL when sent. */
  url: string;
  /** Headers that fetch may set (Authorization, Accept, Content-Type, DPoP…); never Cookie or Origin. */
  headers: HttpHeader[];
  encoding: BodyEncoding;
  /** The fields in their original order; a name may repeat. */
  fields: Array<[name: string, value: string]>;
  /**
   * `fresh-key`: a DPoP proof from a key made for this request alone is added
   * when it is sent (the flow's tokens are DPoP-bound; the app's key is not ours).
   */
  dpop?: 'fresh-key';
  /**
   * The origin the app sent the captured request from. Token endpoints often
   * check Origin; the browser glue sends this one where it can.
   */
  appOrigin?: string;
}

/** What came back (or the network error instead). */
export interface ReplayResponse {
  status: number;
  statusText?: string;
  headers: HttpHeader[];
  bodyText: string;
  /** The fetch failed before any answer: the message the browser gave. */
  networkError?: string;
  /** Epoch ms when the request was sent. */
  sentAt: number;
  /** Whether the app's Origin could be sent (Chrome DNR / Firefox blocking webRequest). */
  originSent?: boolean;
}

export type TokenOutcome = 'tokens' | 'oauth-error' | 'origin-refused' | 'network-error' | 'other';

/** A token endpoint's answer, decoded and said plainly. */
export interface TokenReading {
  outcome: TokenOutcome;
  status: number;
  /** `error` of an OAuth error response (RFC 6749 §5.2). */
  error?: string;
  error_description?: string;
  /** The decoded body (JSON, or form for GitHub-style answers). */
  body?: Record<string, unknown>;
  /** Which tokens the answer carried: `access_token`, `refresh_token`, `id_token`. */
  issued: string[];
  /** One sentence for the user. */
  plain: string;
}

/** One request of an active check, with its answer. */
export interface ActiveStep {
  /** Stable within a check: `replay`, `no-verifier`, `wrong-verifier`, `right-verifier`, `reuse`, `path`… */
  id: string;
  label: string;
  request?: ReplayRequest;
  /** For authorization probes: the URL opened in the tab. */
  url?: string;
  response?: ReplayResponse;
  reading?: TokenReading;
  /** For authorization probes: what the tab did. */
  navigation?: NavigationOutcome;
  /** The RequestEvent id the step was logged under (timeline). */
  eventId?: string;
}

export type Verdict = 'finding' | 'pass' | 'inconclusive' | 'not-applicable';

export interface ActiveCheckResult {
  check: ActiveCheckId;
  flowId: string;
  verdict: Verdict;
  /** What the user reads first ("Pass: the server refused the reused code (invalid_grant)"). */
  summary: string;
  finding?: Finding;
  steps: ActiveStep[];
  /** Epoch ms. */
  finishedAt: number;
}

/** What happened in the tab opened with a changed (or fresh) authorization request. */
export type NavigationOutcome =
  /** The AS sent the browser to the redirect URI under test (navigation caught before it left). */
  | { kind: 'redirected'; url: string; status?: number }
  /** The AS answered with an error page (or a redirect carrying `error` to the registered URI). */
  | { kind: 'error-page'; status: number; url: string; error?: string }
  /** The AS shows a page (login, consent) and waits for the user. */
  | { kind: 'waiting'; url: string; status?: number }
  /** The tab was closed or the time ran out before an answer. */
  | { kind: 'abandoned'; reason: string };
