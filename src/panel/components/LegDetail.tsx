import type { Finding, Flow, Leg, NotEvaluated } from '../../core/model.ts';
import { jwtsInLeg, signatureStatus } from '../jwt.ts';
import { urlParams } from '../url-params.ts';
import { EventView } from './EventView.tsx';
import { JwtView } from './JwtView.tsx';
import { ParamsTable } from './ParamsTable.tsx';

export interface LegDetailProps {
  flow: Flow;
  leg: Leg;
  findings: readonly Finding[];
  notEvaluated: readonly NotEvaluated[];
  now?: number;
}

/** Names that evidence on this leg points at (`url.query.state` -> `state`, `header.referer` -> `referer`). */
function highlighted(leg: Leg, findings: readonly Finding[]): Set<string> {
  const names = new Set<string>();
  for (const f of findings)
    for (const e of f.evidence) if (e.requestId === leg.id) names.add(e.where.split('.').pop()?.toLowerCase() ?? '');
  return names;
}

export function LegDetail({ flow, leg, findings, notEvaluated, now }: LegDetailProps) {
  const e = leg.event;
  const hl = highlighted(leg, findings);
  const jwts = jwtsInLeg(leg);
  const sig = signatureStatus(leg.id, findings, notEvaluated, flow.id);
  const redirectParams = urlParams(e.redirectUrl);
  return (
    <EventView event={e} title={leg.kind} highlight={hl}>
      <ParamsTable title={`Parameters (${leg.paramSource})`} params={leg.params} highlight={hl} />
      {redirectParams && <ParamsTable title="Authorization response (Location)" params={redirectParams} highlight={hl} />}
      {leg.response && <ParamsTable title="Response" params={leg.response} highlight={hl} />}
      {leg.clientAuth && (
        <p>
          Client authentication: <code>{leg.clientAuth}</code>
        </p>
      )}
      {jwts.map((j) => (
        <JwtView key={j.where} where={j.where} token={j.token} signature={sig} now={now} receivedAt={e.time} />
      ))}
    </EventView>
  );
}
