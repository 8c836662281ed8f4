/** Active checks, pure part: build the inspector's requests from a flow and read the answers. No I/O. */
export * from './types.ts';
export { createPkcePair, createState, randomToken, s256, type PkcePair } from './pkce.ts';
export {
  appOriginOf,
  codeReplayRequest,
  dpopBound,
  fieldValue,
  freshCodeExchanges,
  freshExchangeTemplate,
  rotatedRefreshRequest,
  tokenRequestFromLeg,
  unboundRefreshRequests,
  wireForm,
  withFields,
  withoutHeader,
  type FreshExchange,
  type Unavailable,
} from './token-requests.ts';
export {
  authorizationProbeUrl,
  changedRedirectUris,
  isAtRedirectUri,
  probeBase,
  probeUrlWithRequestUri,
  PUSHED_REQUEST_URI_PLACEHOLDER,
  readCaughtCallback,
  readNavigation,
  type AuthorizationProbe,
  type NavigationHop,
  type ProbeBase,
  type RedirectVariant,
  type RedirectVariantId,
} from './authorization-probes.ts';
export { readTokenResponse } from './read-response.ts';
export { judgeCodeReuse, judgePkce, judgeRedirect, judgeRefreshReuse, judgeRefreshUnbound, notApplicable } from './verdicts.ts';
export { freshDpopProof, withFreshProof } from './dpop-proof.ts';
export { inspectorEvent, inspectorNavigationEvent, type EventPlace } from './inspector-events.ts';
export { dnrSafeUrl, observedAppOrigin, probeUrlProblem, REPLAY_HEADERS, replayHeaders, sameSite, siteOf, tokenEndpointProblem, transportAllowed } from './guard.ts';
export { FRESH_CODE_PLACEHOLDER, isProbeCallback, planActiveCheck, planProblems, probeCatchPattern, redirectUriPattern, type ActivePlan, type PlannedStep } from './plan.ts';
