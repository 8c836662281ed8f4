/**
 * What an active check will send, decided before the user confirms: the
 * dialog shows exactly this, and the worker sends exactly this. Fresh secrets
 * (state, PKCE pair, nonce, wrong verifier) are made here, once, so what the
 * user read is what goes out.
 */
import type { Flow } from '../model.ts';
import { authorizationProbeUrl, changedRedirectUris, probeBase, type AuthorizationProbe } from './authorization-probes.ts';
import { probeUrlProblem, tokenEndpointProblem } from './guard.ts';
import { createPkcePair, createState, randomToken } from './pkce.ts';
import { codeReplayRequest, freshCodeExchanges, freshExchangeTemplate, rotatedRefreshRequest, unboundRefreshRequests, type Unavailable } from './token-requests.ts';
import type { ActiveCheckId, ReplayRequest } from './types.ts';

/** Stands in for the code the probe tab will catch, in what the dialog shows. */
export const FRESH_CODE_PLACEHOLDER = '(the fresh code, caught in the new tab)';

export type PlannedStep =
  | { kind: 'token'; id: string; label: string; request: ReplayRequest }
  | { kind: 'probe'; id: string; label: string; probe: AuthorizationProbe };

export interface ActivePlan {
  check: ActiveCheckId;
  flowId: string;
  steps: PlannedStep[];
  /** For `pkce.not-enforced`: the verifier sent as the wrong one. */
  wrongVerifier?: string;
  /** Said in the dialog before anything is sent. */
  warnings: string[];
}

const DPOP_NOTE =
  'The flow’s tokens are DPoP-bound: each of the inspector’s token requests carries a DPoP proof of its own, from a key made for that request alone (never the app’s key).';

const REVOKE_WARNING =
  'A replay may make the authorization server revoke the tokens the app holds (that is what a well-behaved server does when it sees a code or refresh token used twice): the app may have to log in again.';

/**
 * Why a plan may not be sent for this flow (empty when it may): every token
 * request goes to the flow's authorization server over https (or loopback),
 * every probe opens an https (or loopback) authorization endpoint. The panel
 * plans with it; the worker checks it again on the flow it captured itself.
 */
export function planProblems(flow: Flow, plan: ActivePlan): string[] {
  const problems = new Set<string>();
  if (plan.flowId !== flow.id) problems.add('the plan is for another flow');
  for (const step of plan.steps) {
    const problem = step.kind === 'token' ? tokenEndpointProblem(flow, step.request.url) : probeUrlProblem(step.probe.url);
    if (problem) problems.add(problem);
  }
  return [...problems];
}

export async function planActiveCheck(flow: Flow, check: ActiveCheckId): Promise<ActivePlan | Unavailable> {
  const planned = await planUnchecked(flow, check);
  if ('unavailable' in planned) return planned;
  const [problem] = planProblems(flow, planned);
  return problem ? { unavailable: problem } : planned;
}

async function planUnchecked(flow: Flow, check: ActiveCheckId): Promise<ActivePlan | Unavailable> {
  const plan = (steps: PlannedStep[], warnings: string[], extra: Partial<ActivePlan> = {}): ActivePlan => ({ check, flowId: flow.id, steps, warnings, ...extra });
  switch (check) {
    case 'code.reuse-accepted': {
      const built = codeReplayRequest(flow);
      if ('unavailable' in built) return built;
      return plan([{ kind: 'token', id: 'replay', label: 'Replay the captured token request as it was (same code)', request: built.request }], [...dpopNote(built.request), REVOKE_WARNING]);
    }
    case 'refresh.reuse-accepted': {
      const built = rotatedRefreshRequest(flow);
      if ('unavailable' in built) return built;
      return plan([{ kind: 'token', id: 'replay-refresh', label: 'Replay the refresh request with the refresh token that has since been rotated', request: built.request }], [...dpopNote(built.request), REVOKE_WARNING]);
    }
    case 'dpop.refresh-unbound': {
      const built = unboundRefreshRequests(flow);
      if ('unavailable' in built) return built;
      return plan(
        [
          { kind: 'token', id: 'no-proof', label: 'Refresh with the app’s DPoP-bound refresh token and no DPoP proof', request: built.noProof },
          { kind: 'token', id: 'other-key', label: 'Refresh with it again, with a DPoP proof from another key (the inspector’s)', request: built.otherKey },
        ],
        [
          'The refresh token is the one the app holds now. A server that does not check the binding issues new tokens and may rotate it: the app may have to log in again.',
        ],
      );
    }
    case 'pkce.not-enforced': {
      const base = probeBase(flow);
      if ('unavailable' in base) return base;
      const template = freshExchangeTemplate(flow);
      if ('unavailable' in template) return template;
      const pair = await createPkcePair();
      const probe = authorizationProbeUrl(base, { state: createState(), pair, nonce: createState() });
      const wrongVerifier = randomToken(32);
      const exchanges = freshCodeExchanges(template, FRESH_CODE_PLACEHOLDER, pair, base.redirectUri, wrongVerifier);
      return plan(
        [
          { kind: 'probe', id: 'fresh-code', label: 'Open a new tab with a fresh authorization request (the inspector’s own state and PKCE pair); the response is caught before the app sees it', probe },
          ...exchanges.map((e): PlannedStep => ({ kind: 'token', id: e.id, label: e.label, request: e.request })),
        ],
        [
          ...(base.note ? [base.note] : []),
          ...dpopNote(template),
          'If the authorization server asks you to log in or consent, do so in the new tab; it closes itself when the code is caught.',
          REVOKE_WARNING,
        ],
        { wrongVerifier },
      );
    }
    case 'redirect.not-exact': {
      const base = probeBase(flow);
      if ('unavailable' in base) return base;
      const steps: PlannedStep[] = [];
      for (const variant of changedRedirectUris(base.redirectUri)) {
        const pair = await createPkcePair();
        const probe = authorizationProbeUrl(base, { state: createState(), pair, nonce: createState(), redirectUri: variant.redirectUri });
        steps.push({ kind: 'probe', id: variant.id, label: `redirect_uri with ${variant.label}`, probe });
      }
      return plan(steps, [
        ...(base.note ? [base.note] : []),
        'Each request opens in a new tab. A navigation to a changed address is stopped before it leaves the browser. If the server shows a login page, log in there: that is how the test finds out where it would send you.',
      ]);
    }
  }
}

function dpopNote(request: ReplayRequest): string[] {
  return request.dpop === 'fresh-key' ? [DPOP_NOTE] : [];
}

/**
 * A regular expression (RE2-compatible, for a declarativeNetRequest rule) that
 * matches requests to `redirectUri` with any further query or fragment.
 */
export function redirectUriPattern(redirectUri: string): string {
  const url = new URL(redirectUri);
  const hasQuery = url.search.length > 1;
  url.hash = '';
  const escaped = url.href.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return hasQuery ? `^${escaped}(&.*)?$` : `^${escaped}([?#].*)?$`;
}

/**
 * Like `redirectUriPattern`, but only for the authorization response to one
 * probe: its `state` must be in the query. The app never sends that state, so
 * a rule with this pattern cannot touch the app's own traffic, whatever tab it is in.
 */
/**
 * Whether `url` is the probe's own authorization response: the redirect URI
 * (its query kept) followed by parameters one of which is exactly
 * `state=<the probe's state>`. The same rule as probeCatchPattern, as plain
 * string work: the URL is the server's to shape, and no regex runs on it here.
 */
export function isProbeCallback(url: string, redirectUri: string, state: string): boolean {
  let prefix: string;
  try {
    const parsed = new URL(redirectUri);
    parsed.hash = '';
    prefix = parsed.href;
  } catch {
    return false;
  }
  const hasQuery = prefix.includes('?') && !prefix.endsWith('?');
  if (!url.startsWith(prefix) || url[prefix.length] !== (hasQuery ? '&' : '?')) return false;
  const hash = url.indexOf('#', prefix.length);
  const rest = url.slice(prefix.length + 1, hash < 0 ? undefined : hash);
  return rest.split('&').includes(`state=${state}`);
}

/** The same rule as a regex, for a declarativeNetRequest regexFilter (RE2 in the browser: linear). */
export function probeCatchPattern(redirectUri: string, state: string): string {
  const url = new URL(redirectUri);
  const hasQuery = url.search.length > 1;
  url.hash = '';
  const escaped = url.href.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const safeState = state.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`);
  return `^${escaped}${hasQuery ? '&' : '\\?'}(.*&)?state=${safeState}(&.*)?$`;
}
