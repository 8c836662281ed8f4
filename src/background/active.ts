/**
 * The worker side of the active checks: runs a plan the user confirmed in the
 * panel's dialog — token requests sent from the extension, authorization
 * requests in a probe tab — and judges the answers with the engine. Nothing
 * here runs by itself: only an `oauth-lens/active-run` or
 * `oauth-lens/active-send` message (sent by the dialog's confirm button) does.
 *
 * Call `registerActiveHandlers()` once, at the top level of the worker.
 */
import type { Flow, RequestEvent } from '../core/model.ts';
import { parRequiredNote, probeUrlWithRequestUri, readCaughtCallback } from '../core/replay/authorization-probes.ts';
import { withFreshProof } from '../core/replay/dpop-proof.ts';
import { inspectorEvent, inspectorNavigationEvent } from '../core/replay/inspector-events.ts';
import { probeUrlProblem, tokenEndpointProblem } from '../core/replay/guard.ts';
import { FRESH_CODE_PLACEHOLDER, planProblems, type ActivePlan, type PlannedStep } from '../core/replay/plan.ts';
import { readTokenResponse } from '../core/replay/read-response.ts';
import { fieldValue, withFields } from '../core/replay/token-requests.ts';
import type { ActiveCheckResult, ActiveStep, NavigationOutcome, ReplayRequest } from '../core/replay/types.ts';
import { judgeCodeReuse, judgePkce, judgeRedirect, judgeRefreshReuse, judgeRefreshUnbound } from '../core/replay/verdicts.ts';
import { clearOurSessionRules, runProbeTab, sendTokenRequest } from '../platform/active/index.ts';
import { onMessage, sendMessage } from '../platform/messaging.ts';
import {
  ACTIVE_PROGRESS_MESSAGE,
  ACTIVE_RUN_MESSAGE,
  ACTIVE_SEND_MESSAGE,
  type ActiveProgress,
  type ActiveRunRequest,
  type ActiveRunResponse,
  type ActiveSendRequest,
  type ActiveSendResponse,
} from '../core/protocol/active.ts';

export interface ActiveDeps {
  /** Logs the inspector's own requests in the tab's capture, so they show in the flow's timeline. */
  record?: (tabId: number, events: RequestEvent[]) => Promise<unknown> | unknown;
  /**
   * The flow as this browser captured it in the tab (undefined when it is not
   * there: an imported HAR, a flow the panel made up). The worker plans
   * nothing from what the panel sends: it checks the plan against this flow.
   */
  flowFor?: (tabId: number, flowId: string) => Promise<Flow | undefined>;
}

export const NOT_CAPTURED = 'this flow is not in the browser’s own capture of the tab: active checks run only on traffic the browser captured, never on an imported HAR';

export function registerActiveHandlers(deps: ActiveDeps = {}): void {
  void clearOurSessionRules();
  const runner = new ActiveRunner(deps);
  onMessage((message) => {
    if (isMessage<ActiveRunRequest>(message, ACTIVE_RUN_MESSAGE)) return runner.run(message);
    if (isMessage<ActiveSendRequest>(message, ACTIVE_SEND_MESSAGE)) return runner.send(message);
    return undefined;
  });
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

export class ActiveRunner {
  private readonly running = new Set<string>();
  private counter = 0;

  constructor(
    private readonly deps: ActiveDeps,
    private readonly io = { sendTokenRequest, runProbeTab },
  ) {}

  async send(message: ActiveSendRequest): Promise<ActiveSendResponse> {
    try {
      const flow = this.deps.flowFor ? await this.deps.flowFor(message.tabId, message.flowId) : undefined;
      if (this.deps.flowFor && !flow) return { ok: false, error: NOT_CAPTURED };
      const problem = flow ? tokenEndpointProblem(flow, message.request.url) : probeUrlProblem(message.request.url);
      if (problem) return { ok: false, error: `not sent: ${problem}` };
      const response = await this.io.sendTokenRequest(message.request);
      const reading = readTokenResponse(response, message.request);
      const event = inspectorEvent(this.place('edit', response.sentAt, message.tabId), message.request, response);
      await this.deps.record?.(message.tabId, [event]);
      return { ok: true, response, reading, event };
    } catch (error) {
      return { ok: false, error: String((error as Error)?.message ?? error) };
    }
  }

  async run(message: ActiveRunRequest): Promise<ActiveRunResponse> {
    const { plan, tabId } = message;
    const flow = this.deps.flowFor ? await this.deps.flowFor(tabId, message.flow.id) : message.flow;
    if (!flow) return { ok: false, error: NOT_CAPTURED };
    const problems = planProblems(flow, plan);
    if (problems.length > 0) return { ok: false, error: `not sent: ${problems.join('; ')}` };
    const key = `${flow.id} ${plan.check}`;
    if (this.running.has(key)) return { ok: false, error: 'this check is already running for this flow' };
    this.running.add(key);
    const events: RequestEvent[] = [];
    try {
      const results = await this.execute(flow, plan, tabId, events);
      return { ok: true, results, events };
    } catch (error) {
      return { ok: false, error: String((error as Error)?.message ?? error) };
    } finally {
      this.running.delete(key);
      if (events.length > 0) await this.deps.record?.(tabId, events);
    }
  }

  private place(stepId: string, time: number, tabId: number) {
    this.counter = (this.counter + 1) % 1000;
    return { id: `lens-${stepId}-${time}-${this.counter}`, seq: Math.floor(time * 1000) + this.counter, tabId };
  }

  private async token(step: { id: string; label: string }, planned: ReplayRequest, tabId: number, events: RequestEvent[]): Promise<ActiveStep> {
    // A DPoP proof is made when sent (its iat), from a key of its own.
    const request = await withFreshProof(planned);
    const response = await this.io.sendTokenRequest(request);
    const event = inspectorEvent(this.place(step.id, response.sentAt, tabId), request, response);
    events.push(event);
    return { id: step.id, label: step.label, request, response, reading: readTokenResponse(response, request), eventId: event.id };
  }

  private async probe(step: Extract<PlannedStep, { kind: 'probe' }>, flow: Flow, check: string, tabId: number, events: RequestEvent[]): Promise<ActiveStep> {
    const started = Date.now();
    const progress = (text: string) => void sendMessage({ type: ACTIVE_PROGRESS_MESSAGE, flowId: flow.id, check, text } satisfies ActiveProgress);
    let url = step.probe.url;
    if (step.probe.push) {
      // PAR: push the inspector's own parameters; a refusal there is the AS's answer to this probe.
      progress(`${step.label}: pushing the authorization request (PAR)`);
      const pushed = await this.token({ id: `${step.id}-push`, label: `${step.label}: push (PAR)` }, step.probe.push, tabId, events);
      const requestUri = pushed.reading?.body?.request_uri;
      if (typeof requestUri !== 'string') {
        const status = pushed.response?.status ?? 0;
        const navigation: NavigationOutcome = { kind: 'error-page', status, url: step.probe.push.url, ...(pushed.reading?.error ? { error: pushed.reading.error } : {}) };
        return { id: step.id, label: step.label, url: step.probe.push.url, navigation, ...(pushed.eventId ? { eventId: pushed.eventId } : {}) };
      }
      url = probeUrlWithRequestUri(step.probe, requestUri);
    }
    progress(`${step.label}: opening a new tab`);
    const result = await this.io.runProbeTab(url, step.probe.redirectUri, step.probe.state, {
      onProgress: (outcome: NavigationOutcome) => {
        if (outcome.kind === 'waiting') progress(`${step.label}: the authorization server shows a page in the new tab — log in there if it asks`);
      },
    });
    const navigation = result.outcome;
    const outcome: { status?: number; redirectUrl?: string; error?: string; time: number } = { time: started };
    if (navigation.kind === 'redirected') outcome.redirectUrl = navigation.url;
    if ((navigation.kind === 'redirected' || navigation.kind === 'error-page') && navigation.status !== undefined) outcome.status = navigation.status;
    if (navigation.kind === 'abandoned') outcome.error = navigation.reason;
    const event = inspectorNavigationEvent(this.place(step.id, started, tabId), url, outcome);
    events.push(event);
    return { id: step.id, label: step.label, url, navigation, eventId: event.id };
  }

  private async execute(flow: Flow, plan: ActivePlan, tabId: number, events: RequestEvent[]): Promise<ActiveCheckResult[]> {
    const tokenSteps = plan.steps.filter((s): s is Extract<PlannedStep, { kind: 'token' }> => s.kind === 'token');
    const probeSteps = plan.steps.filter((s): s is Extract<PlannedStep, { kind: 'probe' }> => s.kind === 'probe');
    switch (plan.check) {
      case 'code.reuse-accepted': {
        const [only] = tokenSteps;
        if (!only) throw new Error('nothing planned');
        return [judgeCodeReuse(flow, await this.token(only, only.request, tabId, events), [])];
      }
      case 'refresh.reuse-accepted': {
        const [only] = tokenSteps;
        if (!only) throw new Error('nothing planned');
        return [judgeRefreshReuse(flow, await this.token(only, only.request, tabId, events))];
      }
      case 'dpop.refresh-unbound': {
        const steps: ActiveStep[] = [];
        for (const step of tokenSteps) {
          const done = await this.token(step, step.request, tabId, events);
          steps.push(done);
          // Tokens already came back: the refresh token may be rotated now, a second try says nothing more.
          if (done.reading?.outcome === 'tokens') break;
        }
        return [judgeRefreshUnbound(flow, steps)];
      }
      case 'redirect.not-exact': {
        const steps: ActiveStep[] = [];
        for (const step of probeSteps) steps.push(await this.probe(step, flow, plan.check, tabId, events));
        const judged = judgeRedirect(flow, steps);
        if (judged.verdict === 'pass' && probeSteps.some((s) => s.probe.plainInsteadOfPar)) {
          // An AS that requires PAR refuses every plain request, whatever its redirect_uri.
          return [{ ...judged, verdict: 'inconclusive', summary: 'Not evaluated: every changed redirect_uri got an error page, but the inspector had to send plain requests for a flow that pushes its parameters (PAR), and an authorization server that requires PAR refuses those whatever their redirect_uri.' }];
        }
        return [judged];
      }
      case 'pkce.not-enforced': {
        const [fresh] = probeSteps;
        if (!fresh) throw new Error('nothing planned');
        const probeStep = await this.probe(fresh, flow, plan.check, tabId, events);
        const nav = probeStep.navigation;
        const caught = nav?.kind === 'redirected' ? readCaughtCallback(nav.url, fresh.probe.state) : undefined;
        if (!caught?.code) {
          const why =
            caught?.error !== undefined
              ? `the authorization server answered the fresh request with ${caught.error}${caught.error_description ? ` (“${caught.error_description}”)` : ''}.${parRequiredNote(caught.error, caught.error_description)}`
              : nav?.kind === 'error-page'
                ? `the authorization server answered the fresh request with an error page (HTTP ${nav.status})`
                : nav?.kind === 'abandoned'
                  ? nav.reason
                  : 'no code came back for the fresh request';
          return [{ check: 'pkce.not-enforced', flowId: flow.id, verdict: 'inconclusive', summary: `Not evaluated: ${why}${why.endsWith('.') ? '' : '.'}`, steps: [probeStep], finishedAt: Date.now() }];
        }
        const steps: ActiveStep[] = [probeStep];
        for (const step of tokenSteps) {
          const request = fieldValue(step.request, 'code') === FRESH_CODE_PLACEHOLDER ? withFields(step.request, { code: caught.code }) : step.request;
          steps.push(await this.token(step, request, tabId, events));
        }
        const exchanges = steps.slice(1);
        const reuse = exchanges.find((s) => s.id === 'reuse');
        const results = [judgePkce(flow, steps)];
        if (reuse) results.push(judgeCodeReuse(flow, reuse, exchanges.filter((s) => s !== reuse)));
        return results;
      }
    }
  }
}
