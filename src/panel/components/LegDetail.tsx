import type { Finding, Flow, Leg, NotEvaluated } from '../../core/model.ts';
import { bodyText } from '../curl.ts';
import { jwtsInLeg, signatureStatus } from '../jwt.ts';
import { maskUrl } from '../secrets.ts';
import { isoTime } from '../time-format.ts';
import { BodyView } from './BodyView.tsx';
import { CurlCopy } from './CurlCopy.tsx';
import { HeadersTable } from './HeadersTable.tsx';
import { JwtView } from './JwtView.tsx';
import { ParamsTable } from './ParamsTable.tsx';
import { SecretValue } from './SecretValue.tsx';

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

/** Params of the redirect's Location (the authorization response), from query or fragment. */
function locationParams(url: string | undefined): Record<string, string> | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    const params = Object.fromEntries(u.searchParams);
    if (u.hash.length > 1) Object.assign(params, Object.fromEntries(new URLSearchParams(u.hash.slice(1))));
    return params;
  } catch {
    return undefined;
  }
}

export function LegDetail({ flow, leg, findings, notEvaluated, now }: LegDetailProps) {
  const e = leg.event;
  const hl = highlighted(leg, findings);
  const jwts = jwtsInLeg(leg);
  const sig = signatureStatus(leg.id, findings, notEvaluated, flow.id);
  const redirectParams = locationParams(e.redirectUrl);
  return (
    <section class="leg-detail" aria-label={`Leg ${leg.kind}`} data-leg={leg.id}>
      <h3>
        {leg.kind} <span class="muted">{isoTime(e.time)}</span>
      </h3>
      <p class="request-line">
        <code>{e.method}</code> <SecretValue value={e.url} secret masked={maskUrl(e.url)} label="URL" />{' '}
        {e.status !== undefined && <code>→ {e.status}</code>}
        {e.fromInspector && <span class="tag">sent by OAuth Lens</span>}
      </p>
      {e.redirectUrl && (
        <p class="request-line">
          Location: <SecretValue value={e.redirectUrl} secret masked={maskUrl(e.redirectUrl)} label="Location" />
        </p>
      )}
      {e.error && <p class="error">Network error: {e.error}</p>}
      <ParamsTable title={`Parameters (${leg.paramSource})`} params={leg.params} highlight={hl} />
      {redirectParams && <ParamsTable title="Authorization response (Location)" params={redirectParams} highlight={hl} />}
      {leg.response && <ParamsTable title="Response" params={leg.response} highlight={hl} />}
      {leg.clientAuth && <p>Client authentication: <code>{leg.clientAuth}</code></p>}
      {jwts.map((j) => (
        <JwtView key={j.where} where={j.where} token={j.token} signature={sig} now={now} receivedAt={e.time} />
      ))}
      <HeadersTable title="Request headers" headers={e.requestHeaders} highlight={hl} />
      <HeadersTable title="Response headers" headers={e.responseHeaders} highlight={hl} />
      <BodyView title="Request body" text={bodyText(e)} mimeType={e.requestBody?.mimeType} />
      {e.responseBodyState === 'captured' ? (
        <BodyView title="Response body" text={e.responseBody?.text} mimeType={e.responseBody?.mimeType} />
      ) : (
        e.responseBodyState === 'unavailable' && <p class="muted">Response body not captured (open DevTools on the tab to capture token responses).</p>
      )}
      <CurlCopy event={e} />
    </section>
  );
}
