/**
 * The spine of the engine: RequestEvent -> Leg -> Flow -> Finding.
 *
 * Everything here is plain data (structured-clone safe): it crosses the
 * worker/panel boundary, goes into storage.session and into JSON reports.
 * Wire fields keep their RFC spelling; our own fields are camelCase.
 */
import type { CheckId } from './checks/catalogue.ts';

export type { CheckId } from './checks/catalogue.ts';

export interface HttpHeader {
  name: string;
  value: string;
}

/** A request body as the browser or the HAR gave it. */
export interface RequestBody {
  /** Parsed form fields (webRequest `formData`, HAR `postData.params`). */
  formData?: Record<string, string[]>;
  /** Raw text (JSON bodies, form bodies past Chrome's 4 KB parse limit, HAR `postData.text`). */
  text?: string;
  mimeType?: string;
  /** The body was longer than the capture keeps (MAX_BODY_CHARS): what is here is its start. */
  truncated?: true;
}

export interface ResponseBody {
  text: string;
  mimeType?: string;
  /** The body was longer than the capture keeps (MAX_BODY_CHARS): what is here is its start. */
  truncated?: true;
}

export type ResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'xhr'
  | 'fetch'
  | 'script'
  | 'stylesheet'
  | 'image'
  | 'font'
  | 'media'
  | 'websocket'
  | 'ping'
  | 'other';

/**
 * One HTTP hop: a request and (when seen) its response. A redirect chain is
 * several RequestEvents sharing `requestId`, with `hop` counting from 0.
 */
export interface RequestEvent {
  /** Unique in a capture: `${requestId}` for hop 0, `${requestId}.${hop}` after. */
  id: string;
  /** The browser's requestId (or the HAR entry index); shared across redirect hops. */
  requestId: string;
  hop: number;
  /** Capture order; strictly increasing. */
  seq: number;
  /** Epoch milliseconds when the request started. */
  time: number;
  /** The logical tab (a popup's events carry its opener's tab). -1 when unknown (HAR). */
  tabId: number;
  frameId?: number;
  /**
   * Set when the event came from a popup attributed to `tabId` via its opener,
   * or is -1 for a request made outside any tab (a site's service worker)
   * attributed to `tabId` by its parameters (ingest/service-worker-tabs.ts).
   */
  sourceTabId?: number;
  method: string;
  url: string;
  type: ResourceType;
  /** Origin that initiated the request (webRequest `initiator`/`originUrl`, HAR guess from Origin/Referer). */
  initiator?: string;
  requestHeaders?: HttpHeader[];
  requestBody?: RequestBody;
  status?: number;
  statusText?: string;
  responseHeaders?: HttpHeader[];
  /** Absolute Location of a redirect response, fragment included. */
  redirectUrl?: string;
  responseBody?: ResponseBody;
  /** Whether the response body could be seen at all (Chrome webRequest: never). */
  responseBodyState: 'captured' | 'unavailable' | 'none';
  error?: string;
  /** A request the inspector sent itself (active checks, JWKS/discovery fetch). */
  fromInspector?: boolean;
}

export type LegKind =
  | 'authorization-request'
  | 'par'
  | 'callback'
  | 'token-request'
  | 'discovery'
  | 'jwks'
  | 'userinfo'
  | 'api'
  | 'interaction'
  | 'end-session';

export type ParamSource =
  | 'query'
  | 'fragment'
  | 'body'
  | 'location.query'
  | 'location.fragment'
  | 'json';

/** One step of a flow, derived from one RequestEvent. */
export interface Leg {
  /** Unique in a capture: the event id, with `#location` for a callback read from that event's Location. */
  id: string;
  kind: LegKind;
  event: RequestEvent;
  /** The OAuth parameters of the leg (first value of each), as sent. */
  params: Record<string, string>;
  /** Where `params` came from. */
  paramSource: ParamSource;
  /** Parsed response parameters (token response JSON or form, PAR response, error body). */
  response?: Record<string, unknown>;
  /** For token requests: the grant (explicit `grant_type`, or inferred for GitHub-style requests). */
  grantType?: string;
  /**
   * For callbacks: the event of the document loaded at the redirect URI (its
   * Referrer-Policy matters). For a response in a Location fragment this is the next hop.
   */
  documentId?: string;
  /** Client authentication seen on a token/PAR request. */
  clientAuth?: 'none' | 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'unknown';
  /**
   * For callbacks delivered as a JARM response (`response=<JWT>`): the JWT as
   * received. Its inner parameters (code, state, iss…) are merged into `params`.
   */
  jarm?: string;
  /**
   * For authorization requests and PAR pushes that carried a JAR request
   * object: the JWT, and where it came from. Its claims are merged into `params`.
   */
  requestObject?: { jwt: string; source: 'request' | 'request_uri'; eventId?: string };
  /** For `end-session` legs: which part of a logout this is. */
  logout?: LogoutRole;
}

/**
 * `rp-initiated`: the client sends the browser to the end_session_endpoint
 * (OIDC RP-Initiated Logout §2); `front-channel`: the OP loads the client's
 * logout URI in an iframe with `iss` and `sid` (OIDC Front-Channel Logout §2);
 * `post-logout-redirect`: the OP sends the browser back to the client.
 */
export type LogoutRole = 'rp-initiated' | 'front-channel' | 'post-logout-redirect';

/**
 * Where a flow keeps its tokens (BBA, RFC 10017 §6): `browser-only` (the page
 * redeems the code and holds the tokens), `token-mediating-backend` (a backend
 * redeems the code and hands the page an access token), `bff` (the browser only
 * holds a session cookie and calls its own backend), `server-side` (a classic
 * web application: the server redeems the code and serves pages).
 */
export type ArchitectureKind = 'browser-only' | 'token-mediating-backend' | 'bff' | 'server-side' | 'unknown';

export interface Architecture {
  kind: ArchitectureKind;
  /** What the inference rests on: a sentence and the event it was seen in. */
  evidence: { requestId: string; note: string }[];
}

export type FlowKind =
  | 'authorization_code'
  | 'implicit'
  | 'hybrid'
  | 'refresh_token'
  | 'client_credentials'
  | 'password'
  | 'unknown';

export interface Observability {
  /** Was the token exchange seen? `server-side`: a callback was redeemed where the browser cannot see. */
  tokenExchange: 'observed' | 'server-side' | 'not-applicable' | 'pending';
  /** Could the token response body be read? */
  tokenResponseBody: 'captured' | 'unavailable' | 'not-applicable';
  /** Plain-language notes for the user ("token exchange not observable: server-side client"). */
  notes: string[];
}

export interface Flow {
  /** Stable across re-derivation from the same capture: `flow-${first leg event id}`. */
  id: string;
  kind: FlowKind;
  tabId: number;
  startedAt: number;
  clientId?: string;
  /** Issuer of the flow: discovery document, then callback `iss`, then ID token `iss` (see `issuerSource`). */
  issuer?: string;
  issuerSource?: 'discovery' | 'callback' | 'id_token' | 'none';
  /** The discovery document the flow's endpoints matched: where it was fetched from, and the token endpoint it names. */
  discovery?: { url: string; tokenEndpoint?: string };
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  redirectUri?: string;
  legs: Leg[];
  observability: Observability;
  /** Where the flow keeps its tokens, and why the engine thinks so. */
  architecture: Architecture;
}

/** A discovery document seen in the capture (or fetched when allowed). */
export interface AuthorizationServerMetadata {
  /** URL the document was fetched from. */
  url: string;
  eventId?: string;
  document: Record<string, unknown>;
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export interface Evidence {
  /** The event id (RequestEvent.id) the evidence was found in. */
  requestId: string;
  /** The place: `url.query.state`, `header.referer`, `body.code_verifier`, `location.fragment`, `id_token.payload.aud`… */
  where: string;
  /** Masked unless the caller asked to reveal. */
  excerpt: string;
}

export interface Finding {
  /** A catalogue id: a closed union, so a misspelt or unknown check fails to compile. */
  check: CheckId;
  severity: Severity;
  flowId: string;
  message: string;
  evidence: Evidence[];
  reference: string;
  /** What the spec wants and what was seen (masked like excerpts). */
  expected?: string;
  actual?: string;
  /** Carried from the original capture: a pseudonymised export's verdict for a check that needs the real values (report/pseudonymise.ts). */
  carried?: true;
}

export interface NotEvaluated {
  check: CheckId;
  flowId: string;
  reason: string;
}

export interface CheckResult {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}

/** Captured events plus what was derived from them. */
export interface Analysis {
  events: RequestEvent[];
  flows: Flow[];
  metadata: AuthorizationServerMetadata[];
  /** JWKS documents keyed by the URL they came from. */
  jwks: Record<string, unknown>;
  /** Events that could not be read in full (listed in the report, never silently dropped). */
  warnings?: string[];
}

export interface AuditOptions {
  /** Show secrets in excerpts and exports (default: masked). */
  reveal?: boolean;
  /**
   * Fetch discovery/JWKS documents not in the capture. Core does no I/O: the
   * caller passes the function (the CLI with --fetch-keys, the worker when the
   * setting allows it). Absent = never fetch. `issuer` is the issuer whose
   * keys are looked for: the caller decides from it which targets it allows.
   */
  fetchJson?: (url: string, context: { issuer: string }) => Promise<unknown>;
  /** Clock skew allowed for iat/exp, seconds (default 300). */
  clockSkewSeconds?: number;
  /**
   * Web storage entries of the inspected page whose value equals an observed
   * token (the devtools panel finds them by hash, without copying values out).
   */
  storageMatches?: StorageMatch[];
  /** A security profile whose clauses are checked on top of the catalogue (FAPI 2.0 Security Profile). */
  profile?: ProfileId;
}

export type ProfileId = 'fapi2';

/** How one flow fares under the chosen profile: clause ids (the `fapi2.*` check ids). */
export interface ProfileVerdict {
  met: string[];
  broken: string[];
  /** Clauses the browser cannot show for this flow, and why. */
  notObservable: { clause: string; reason: string }[];
}

export interface ProfileResult {
  id: ProfileId;
  /** Keyed by flow id. */
  flows: Record<string, ProfileVerdict>;
}

export interface StorageMatch {
  storage: 'localStorage' | 'sessionStorage';
  key: string;
  /** SHA-256 hex digest of the matching token value. */
  tokenHash: string;
  /** Origin of the page whose storage held it. */
  origin?: string;
}

/** The result of auditing a capture: flows plus what the checks found. */
export interface AuditResult {
  analysis: Analysis;
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  /** Present when a profile was picked (AuditOptions.profile). */
  profile?: ProfileResult;
}

/** One step of a flow as the JSON report shows it (values masked unless revealed). */
export interface StepReport {
  id: string;
  kind: LegKind;
  time: number;
  method: string;
  url: string;
  status?: number;
  params: Record<string, string>;
  paramSource: ParamSource;
  response?: Record<string, unknown>;
  fromInspector?: boolean;
  /** `end-session` steps: which part of a logout. */
  logout?: LogoutRole;
}

export interface FlowReport {
  id: string;
  kind: FlowKind;
  tabId: number;
  startedAt: number;
  clientId: string | null;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  redirectUri: string | null;
  steps: StepReport[];
  observability: Observability;
  architecture: Architecture;
  /** Present when a profile was picked: the flow's clauses met, broken and not observable. */
  profile?: ProfileVerdict;
}

/** The versioned JSON report (CLI --format json, the worker's `oauth-lens/report` answer). */
export interface Report {
  version: 1;
  tool: { name: 'oauth-lens'; version: string };
  flows: FlowReport[];
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  summary: { flows: number; findings: Record<Severity, number> };
  /** The profile the flows were judged under (`--profile fapi2`); absent when none. */
  profile?: ProfileId;
  /** Events dropped to keep memory bounded (live capture only). */
  dropped?: number;
  /** Entries or events that could not be read in full, and what was done with them; absent when none. */
  warnings?: string[];
}
