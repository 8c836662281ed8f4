/**
 * From the answers to the inspector's requests to a verdict per active check:
 * a finding (catalogue id via `finding()`), a pass shown as such, or
 * "inconclusive" with the reason — never a pass the evidence does not carry.
 */
import type { Evidence, Flow } from '../model.ts';
import { finding } from '../checks/context.ts';
import { maskUrl, paramExcerpt } from '../checks/excerpt.ts';
import { maskSecret } from '../report/mask.ts';
import { fieldValue } from './token-requests.ts';
import type { ActiveCheckId, ActiveCheckResult, ActiveStep, TokenReading } from './types.ts';

type Mask = (value: string) => string;

interface JudgeOptions {
  mask?: Mask;
  now?: number;
}

function result(check: ActiveCheckId, flow: Flow, verdict: ActiveCheckResult['verdict'], summary: string, steps: ActiveStep[], now: number): ActiveCheckResult {
  return { check, flowId: flow.id, verdict, summary, steps, finishedAt: now };
}

function stepEvidence(step: ActiveStep, field: string, mask: Mask): Evidence {
  const value = step.request ? fieldValue(step.request, field) : undefined;
  return {
    requestId: step.eventId ?? step.id,
    where: `body.${field}`,
    excerpt: value === undefined ? `${field} absent` : paramExcerpt(field, value, mask),
  };
}

function answerEvidence(step: ActiveStep): Evidence {
  const r = step.reading;
  return {
    requestId: step.eventId ?? step.id,
    where: 'response.body',
    excerpt: r ? (r.outcome === 'tokens' ? `HTTP ${r.status}: ${r.issued.join(', ')} issued` : `HTTP ${r.status}: ${r.error ?? r.outcome}`) : 'no answer',
  };
}

const got = (step: ActiveStep | undefined): boolean => step?.reading?.outcome === 'tokens';

/** Why a refusal is not a verdict (origin, network, another error than invalid_grant). */
function notAVerdict(reading: TokenReading | undefined): string | undefined {
  if (!reading) return 'the request was not sent';
  if (reading.outcome === 'origin-refused' || reading.outcome === 'network-error' || reading.outcome === 'other') return reading.plain;
  if (reading.outcome === 'oauth-error' && reading.error !== 'invalid_grant') {
    return `the server refused for another reason than the one tested (${reading.error}${reading.error_description ? `: ${reading.error_description}` : ''})`;
  }
  return undefined;
}

/**
 * `code.reuse-accepted` from a replay of a code that was already redeemed:
 * the captured exchange replayed, or the fresh code's second exchange.
 * `redeemed` says whether the code is known to have been redeemed before.
 */
export function judgeCodeReuse(flow: Flow, reuse: ActiveStep, earlier: ActiveStep[], options: JudgeOptions = {}): ActiveCheckResult {
  const mask = options.mask ?? maskSecret;
  const now = options.now ?? Date.now();
  const steps = [...earlier, reuse];
  const redeemedBefore = reuse.id === 'replay' || earlier.some(got);
  if (got(reuse)) {
    const f = finding('code.reuse-accepted', flow, {
      message: 'The authorization server issued tokens again for an authorization code that had already been redeemed. An attacker who obtains a used code (logs, Referer, history) can still turn it into tokens; the server must refuse a second use and should revoke the tokens of the first (RFC 6749 §4.1.2).',
      evidence: [stepEvidence(reuse, 'code', mask), answerEvidence(reuse)],
      expected: 'invalid_grant',
      actual: `tokens issued (${reuse.reading?.issued.join(', ')})`,
    });
    return { ...result('code.reuse-accepted', flow, 'finding', 'Finding: the server accepted an authorization code a second time.', steps, now), finding: f };
  }
  if (!redeemedBefore) {
    return result('code.reuse-accepted', flow, 'inconclusive', 'Not evaluated: the fresh code was never redeemed, so a second exchange says nothing about reuse.', steps, now);
  }
  const why = notAVerdict(reuse.reading);
  if (why) return result('code.reuse-accepted', flow, 'inconclusive', `Not evaluated: ${why}`, steps, now);
  const description = reuse.reading?.error_description ? ` — “${reuse.reading.error_description}”` : '';
  return result('code.reuse-accepted', flow, 'pass', `Pass: the server refused the reused code (invalid_grant${description}).`, steps, now);
}

/** `pkce.not-enforced` from the fresh code's exchanges: no verifier, a wrong one, the right one. */
export function judgePkce(flow: Flow, steps: ActiveStep[], options: JudgeOptions = {}): ActiveCheckResult {
  const mask = options.mask ?? maskSecret;
  const now = options.now ?? Date.now();
  const byId = (id: string) => steps.find((s) => s.id === id);
  const none = byId('no-verifier');
  const wrong = byId('wrong-verifier');
  const right = byId('right-verifier');
  const accepted = [none, wrong].filter((s): s is ActiveStep => got(s));
  if (accepted.length > 0) {
    const what = accepted.map((s) => (s.id === 'no-verifier' ? 'no code_verifier' : 'a wrong code_verifier')).join(' and ');
    const f = finding('pkce.not-enforced', flow, {
      message: `The authorization server issued tokens for a fresh code exchanged with ${what}. PKCE is not enforced: a stolen or injected code can be redeemed without the verifier the client holds (RFC 7636 §4.6).`,
      evidence: accepted.flatMap((s) => [stepEvidence(s, 'code_verifier', mask), answerEvidence(s)]),
      expected: 'invalid_grant for a missing or wrong code_verifier',
      actual: `tokens issued with ${what}`,
    });
    return { ...result('pkce.not-enforced', flow, 'finding', `Finding: the server issued tokens with ${what}.`, steps, now), finding: f };
  }
  for (const step of [none, wrong]) {
    const why = notAVerdict(step?.reading);
    if (why) return result('pkce.not-enforced', flow, 'inconclusive', `Not evaluated (${step?.label ?? 'a step'}): ${why}`, steps, now);
  }
  if (!got(right)) {
    const why = right?.reading ? right.reading.plain : 'the exchange with the right verifier was not sent';
    return result('pkce.not-enforced', flow, 'inconclusive', `Not evaluated: the server refused a missing and a wrong verifier, but also the right one (${why}), so the test could not show that it works.`, steps, now);
  }
  return result('pkce.not-enforced', flow, 'pass', 'Pass: the server refused a missing and a wrong code_verifier (invalid_grant) and issued tokens for the right one.', steps, now);
}

/** `refresh.reuse-accepted` from the replay of a rotated refresh token. */
export function judgeRefreshReuse(flow: Flow, replay: ActiveStep, options: JudgeOptions = {}): ActiveCheckResult {
  const mask = options.mask ?? maskSecret;
  const now = options.now ?? Date.now();
  if (got(replay)) {
    const f = finding('refresh.reuse-accepted', flow, {
      message: 'The authorization server issued tokens for a refresh token it had already rotated. Rotation only protects a public client if the old token stops working (and, on reuse, the whole family is revoked) (RFC 9700 §4.14.2).',
      evidence: [stepEvidence(replay, 'refresh_token', mask), answerEvidence(replay)],
      expected: 'invalid_grant',
      actual: `tokens issued (${replay.reading?.issued.join(', ')})`,
    });
    return { ...result('refresh.reuse-accepted', flow, 'finding', 'Finding: the server accepted a refresh token it had already rotated.', [replay], now), finding: f };
  }
  const why = notAVerdict(replay.reading);
  if (why) return result('refresh.reuse-accepted', flow, 'inconclusive', `Not evaluated: ${why}`, [replay], now);
  if (replay.request?.dpop === 'fresh-key') {
    return result(
      'refresh.reuse-accepted',
      flow,
      'inconclusive',
      'Not evaluated: the refresh token is DPoP-bound to the app’s key, which the inspector does not hold; the refusal may be for the binding rather than the rotation (dpop.refresh-unbound tests the binding).',
      [replay],
      now,
    );
  }
  const description = replay.reading?.error_description ? ` — “${replay.reading.error_description}”` : '';
  return result('refresh.reuse-accepted', flow, 'pass', `Pass: the server refused the rotated refresh token (invalid_grant${description}).`, [replay], now);
}

/** `redirect.not-exact` from the probe tabs (one step per changed redirect_uri). */
export function judgeRedirect(flow: Flow, steps: ActiveStep[], options: JudgeOptions = {}): ActiveCheckResult {
  const mask = options.mask ?? maskSecret;
  const now = options.now ?? Date.now();
  const redirected = steps.filter((s) => s.navigation?.kind === 'redirected');
  if (redirected.length > 0) {
    const f = finding('redirect.not-exact', flow, {
      message: `The authorization server sent the browser, with an authorization response, to a redirect_uri that differs from the registered one (${redirected.map((s) => s.label).join(', ')}). Redirect URIs must be compared exactly; a loose match lets an attacker receive codes at an address they control (RFC 9700 §4.1).`,
      evidence: redirected.map((s) => ({
        requestId: s.eventId ?? s.id,
        where: 'location',
        excerpt: s.navigation?.kind === 'redirected' ? maskUrl(s.navigation.url, mask) : '',
      })),
      expected: 'an error page, no redirect',
      actual: `redirected to ${redirected.map((s) => s.label).join(', ')}`,
    });
    return {
      ...result('redirect.not-exact', flow, 'finding', `Finding: the server redirected to ${redirected.map((s) => s.label).join(', ')}.`, steps, now),
      finding: f,
    };
  }
  const open = steps.filter((s) => s.navigation?.kind !== 'error-page');
  if (steps.length > 0 && open.length === 0) {
    return result('redirect.not-exact', flow, 'pass', `Pass: the server answered every changed redirect_uri (${steps.map((s) => s.label).join(', ')}) with an error page.`, steps, now);
  }
  const waiting = open.filter((s) => s.navigation?.kind === 'waiting');
  const reason = waiting.length
    ? `the server showed a page instead of an error for ${waiting.map((s) => s.label).join(', ')} (it did not refuse the address up front); log in in that tab to finish`
    : `no answer for ${open.map((s) => s.label).join(', ') || 'any changed address'}`;
  return result('redirect.not-exact', flow, 'inconclusive', `Not evaluated: ${reason}.`, steps, now);
}

export function notApplicable(check: ActiveCheckId, flow: Flow, reason: string, now = Date.now()): ActiveCheckResult {
  return result(check, flow, 'not-applicable', `Not applicable: ${reason}.`, [], now);
}

/**
 * `dpop.refresh-unbound` from a refresh with the app's DPoP-bound refresh
 * token and no proof, then with another key's proof.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function judgeRefreshUnbound(flow: Flow, steps: ActiveStep[], options: JudgeOptions = {}): ActiveCheckResult {
  const mask = options.mask ?? maskSecret;
  const now = options.now ?? Date.now();
  const accepted = steps.filter(got);
  if (accepted.length > 0) {
    const what = accepted.map((s) => (s.id === 'no-proof' ? 'no DPoP proof' : 'a DPoP proof from another key')).join(' and ');
    const f = finding('dpop.refresh-unbound', flow, {
      message: `The authorization server issued tokens for the flow’s DPoP-bound refresh token presented with ${what}. The binding is not enforced: whoever steals the refresh token can use it without the client’s private key (RFC 9449 §5).`,
      evidence: accepted.flatMap((s) => [stepEvidence(s, 'refresh_token', mask), answerEvidence(s)]),
      expected: 'an error (invalid_grant or invalid_dpop_proof) without a proof of the bound key',
      actual: `tokens issued with ${what}`,
    });
    return { ...result('dpop.refresh-unbound', flow, 'finding', `Finding: the server refreshed a DPoP-bound token with ${what}.`, steps, now), finding: f };
  }
  for (const step of steps) {
    const reading = step.reading;
    if (!reading) return result('dpop.refresh-unbound', flow, 'inconclusive', `Not evaluated (${step.label}): the request was not sent.`, steps, now);
    if (reading.outcome !== 'oauth-error') return result('dpop.refresh-unbound', flow, 'inconclusive', `Not evaluated (${step.label}): ${reading.plain}`, steps, now);
  }
  const errors = [...new Set(steps.map((s) => s.reading?.error ?? ''))].join(', ');
  return result('dpop.refresh-unbound', flow, 'pass', `Pass: the server refused the DPoP-bound refresh token without a proof and with another key’s proof (${errors}).`, steps, now);
}
