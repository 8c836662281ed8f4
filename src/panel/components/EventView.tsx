import { BODY_HINT } from '../../core/body-hint.ts';
import type { ComponentChildren } from 'preact';
import type { RequestEvent } from '../../core/model.ts';
import { bodyText } from '../curl.ts';
import { useRedactor } from '../secrets.ts';
import { isoTime } from '../time-format.ts';
import { BodyView } from './BodyView.tsx';
import { CurlCopy } from './CurlCopy.tsx';
import { HeadersTable } from './HeadersTable.tsx';
import { SecretValue } from './SecretValue.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export interface EventViewProps {
  event: RequestEvent;
  title: string;
  /** Header names that evidence points at. */
  highlight?: ReadonlySet<string>;
  /** What sits between the request line and the headers (decoded parameters, JWTs). */
  children?: ComponentChildren;
}

/** One request as it travelled: request line, Location, headers, bodies, and "copy as cURL". */
export function EventView({ event: e, title, highlight, children }: EventViewProps) {
  const redactor = useRedactor();
  return (
    <section class="leg-detail" aria-label={title} data-leg={e.id}>
      <h3>
        {title} <span class="muted">{isoTime(e.time)}</span>
      </h3>
      <p class="request-line">
        <code>{escapeControls(e.method)}</code> <SecretValue value={e.url} secret masked={redactor.url(e.url)} label="URL" />{' '}
        {e.status !== undefined && <code>→ {e.status}</code>}
        {e.fromInspector && <span class="tag">sent by OAuth Lens</span>}
      </p>
      {e.redirectUrl && (
        <p class="request-line">
          Location: <SecretValue value={e.redirectUrl} secret masked={redactor.url(e.redirectUrl)} label="Location" />
        </p>
      )}
      {e.error && <p class="error">Network error: {redactor.text(e.error)}</p>}
      {children}
      <HeadersTable title="Request headers" headers={e.requestHeaders} highlight={highlight} />
      <HeadersTable title="Response headers" headers={e.responseHeaders} highlight={highlight} />
      <BodyView title="Request body" text={bodyText(e)} mimeType={e.requestBody?.mimeType} truncated={e.requestBody?.truncated} />
      {e.responseBodyState === 'captured' ? (
        <BodyView title="Response body" text={e.responseBody?.text} mimeType={e.responseBody?.mimeType} truncated={e.responseBody?.truncated} />
      ) : (
        e.responseBodyState === 'unavailable' && <p class="muted">Response body not captured. {BODY_HINT}</p>
      )}
      <CurlCopy event={e} />
    </section>
  );
}
