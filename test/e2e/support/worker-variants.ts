/**
 * The worker-token, service-worker-token and instant-redirect variants are
 * clean: a token request of a worker that missed its tab's flow would leave
 * that flow without its exchange and still report nothing. So their e2e tests
 * also check which token requests each flow holds.
 */
import type { Report } from '../../../src/core/model.ts';

/** Per flow (in report order), the grant_type of each token request it holds. */
export const WORKER_VARIANT_GRANTS: Readonly<Record<string, string[][]>> = {
  // The Web Worker sends the exchange and the refresh (which joins the login flow).
  'worker-token': [['authorization_code', 'refresh_token']],
  // The service worker's exchange (tabId -1 in webRequest) joins the tab's flow.
  'service-worker-token': [['authorization_code']],
  'instant-redirect': [['authorization_code'], ['authorization_code']],
};

export function tokenGrantsOf(report: Report | undefined): string[][] {
  return (report?.flows ?? []).map((flow) =>
    flow.steps.filter((step) => step.kind === 'token-request').map((step) => step.params.grant_type ?? '(none)'),
  );
}
