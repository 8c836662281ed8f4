import type { Analysis, AuthorizationServerMetadata, Flow, Leg, RequestEvent } from '../model.ts';
import { endpointOf } from '../oauth/params.ts';
import { inferArchitecture } from './architecture.ts';
import { classify, presentedToken } from './classify.ts';
import { finishFlow } from './finish.ts';
import { dedupeCallbacks, groupLegs } from './group.ts';
import { logoutLegs, resolveRequestUris } from './modern-legs.ts';
import { nullRecord } from '../records.ts';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../oauth/bounded-json.ts';

/**
 * Classify every event into legs and group the legs into flows. Pure and
 * deterministic: the same events always give the same flows and flow ids, so
 * the worker can re-derive everything from its event log after a restart.
 * One odd event never breaks the rest: it is skipped.
 */
export function analyze(input: readonly RequestEvent[]): Analysis {
  const events = [...input].sort((a, b) => a.seq - b.seq);
  const legs: Leg[] = [];
  const classified = new Set<string>();
  const tokenUses: RequestEvent[] = [];
  const metadata: AuthorizationServerMetadata[] = [];
  const jwks = nullRecord<unknown>();
  const warnings: string[] = [];
  for (const event of events) {
    let found: Leg[];
    try {
      found = classify(event);
    } catch (error) {
      warnings.push(`event ${event.id} (${event.method} ${endpointOf(event.url) ?? 'an unreadable URL'}) skipped: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (found.some((leg) => leg.response !== undefined) && event.responseBody && jsonNestingDepth(event.responseBody.text) > MAX_JSON_DEPTH) {
      warnings.push(`event ${event.id} (${event.method} ${endpointOf(event.url) ?? 'an unreadable URL'}): its response body nests deeper than ${MAX_JSON_DEPTH} levels; the deeper part was not kept`);
    }
    if (found.length === 0 && presentedToken(event)) tokenUses.push(event);
    if (found.length > 0) classified.add(event.id);
    for (const leg of found) {
      if (leg.kind === 'discovery') {
        if (leg.response) metadata.push({ url: event.url, eventId: event.id, document: leg.response });
      } else if (leg.kind === 'jwks') {
        if (leg.response) jwks[event.url] = leg.response;
      } else {
        legs.push(leg);
      }
    }
  }
  const userinfoEndpoints = new Set<string>();
  for (const doc of metadata) {
    const endpoint = typeof doc.document.userinfo_endpoint === 'string' ? endpointOf(doc.document.userinfo_endpoint) : undefined;
    if (endpoint) userinfoEndpoints.add(endpoint);
  }
  // Recognition across events is a refinement: odd input costs it, never the flows.
  try {
    resolveRequestUris(legs, events);
    legs.push(...logoutLegs(legs, events, metadata, classified));
  } catch {
    // keep the legs found so far
  }
  const drafts = groupLegs(dedupeCallbacks(legs, events), tokenUses, userinfoEndpoints);
  const flows: Flow[] = drafts.map((draft) => finishFlow(draft, metadata));
  flows.sort((a, b) => (a.legs[0]?.event.seq ?? 0) - (b.legs[0]?.event.seq ?? 0));
  for (const flow of flows) {
    try {
      flow.architecture = inferArchitecture(flow, flows, events);
    } catch {
      // stays unknown
    }
  }
  return warnings.length > 0 ? { events, flows, metadata, jwks, warnings } : { events, flows, metadata, jwks };
}
