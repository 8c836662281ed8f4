/**
 * Messages between the worker, the devtools page, the panel and the popup.
 * Types only: plain data that survives structured clone.
 */
import type { Report, RequestEvent } from '../model.ts';

/** `runtime.sendMessage({ type: 'oauth-lens/report', tabId? })` answers with a Report. */
export const REPORT_MESSAGE = 'oauth-lens/report';
export interface ReportRequest {
  type: typeof REPORT_MESSAGE;
  /** Absent: every tab's flows. */
  tabId?: number;
  reveal?: boolean;
}
export type ReportResponse = Report;

/** The long-lived port the panel opens (`runtime.connect({ name: PANEL_PORT })`). */
export const PANEL_PORT = 'oauth-lens/panel';

export type PanelToWorker =
  | { type: 'subscribe'; tabId: number }
  | { type: 'clear'; tabId: number };

export type WorkerToPanel = {
  type: 'snapshot';
  tabId: number;
  /** The tab's whole event log (the panel derives flows with the engine). */
  events: RequestEvent[];
  /** Events dropped to keep memory bounded. */
  dropped: number;
  /** Storage trouble the user must know about (requests dropped near the quota, a failed write). */
  notice?: string;
};

/** The devtools page forwards a response body it read with `getContent()`. */
export const RESPONSE_BODY_MESSAGE = 'oauth-lens/response-body';
export interface ResponseBodyMessage {
  type: typeof RESPONSE_BODY_MESSAGE;
  tabId: number;
  url: string;
  method: string;
  status: number;
  /** Epoch ms the request started (to match the right event). */
  startedAt: number;
  /** The request's own body, so two POSTs to one token endpoint are told apart. */
  requestBody?: string;
  body: string;
  mimeType?: string;
}

/** Chrome: whether token responses are read (the debugger permission) for a tab. Answers a BodyStatus. */
export const BODY_STATUS_MESSAGE = 'oauth-lens/body-status';
export interface BodyStatusRequest {
  type: typeof BODY_STATUS_MESSAGE;
  tabId: number;
}
/** After the user closed Chrome's debugging bar: read token responses again. */
export const BODY_RESUME_MESSAGE = 'oauth-lens/body-resume';
export interface BodyResumeRequest {
  type: typeof BODY_RESUME_MESSAGE;
}

/** Why a tab's token responses are read or not (Chrome's debugger). */
export type TabBodyStatus = 'reading' | 'not-attached' | 'held-by-other' | 'paused' | 'no-permission';

export interface BodyStatus {
  /** Whether this browser can read bodies through the debugger at all (the Chrome build). */
  offered: boolean;
  granted: boolean;
  tab: TabBodyStatus;
}
