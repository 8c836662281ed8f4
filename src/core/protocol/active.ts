/**
 * Messages of the active checks between the panel and the worker. Types only.
 * Nothing is sent unless the panel sends one of these, and the panel sends
 * them only from the confirm button of its dialog.
 */
import type { Flow, RequestEvent } from '../model.ts';
import type { ActivePlan } from '../replay/plan.ts';
import type { ActiveCheckResult, ReplayRequest, ReplayResponse, TokenReading } from '../replay/types.ts';

/** Run one planned active check. Answers `ActiveRunResponse` when the check is over (probe tabs may wait for a login). */
export const ACTIVE_RUN_MESSAGE = 'oauth-lens/active-run';
export interface ActiveRunRequest {
  type: typeof ACTIVE_RUN_MESSAGE;
  /** The tab whose capture the flow came from (the inspector's requests are logged there). */
  tabId: number;
  flow: Flow;
  /** Exactly what the dialog showed. */
  plan: ActivePlan;
}
export type ActiveRunResponse =
  | {
      ok: true;
      /** One per check; `pkce.not-enforced` also answers `code.reuse-accepted` for the fresh code. */
      results: ActiveCheckResult[];
      /** The inspector's own requests, `fromInspector: true` (also logged in the tab's capture when the worker can). */
      events: RequestEvent[];
    }
  | { ok: false; error: string };

/** Edit and resend: send one token request as the user edited it. */
export const ACTIVE_SEND_MESSAGE = 'oauth-lens/active-send';
export interface ActiveSendRequest {
  type: typeof ACTIVE_SEND_MESSAGE;
  tabId: number;
  flowId: string;
  request: ReplayRequest;
}
export type ActiveSendResponse =
  | { ok: true; response: ReplayResponse; reading: TokenReading; event: RequestEvent }
  | { ok: false; error: string };

/** Progress of a running check (a probe tab waiting for the user), pushed with runtime.sendMessage. */
export const ACTIVE_PROGRESS_MESSAGE = 'oauth-lens/active-progress';
export interface ActiveProgress {
  type: typeof ACTIVE_PROGRESS_MESSAGE;
  flowId: string;
  check: string;
  text: string;
}
