import { FRESH_CODE_PLACEHOLDER } from '../../core/replay/plan.ts';
import type { ReplayRequest } from '../../core/replay/types.ts';
import { SecretValue } from '../components/SecretValue.tsx';
import { useRedactor } from '../secrets.ts';

/** Exactly what a token request will send: method, URL, headers, Origin, fields (secrets masked, each with its reveal). */
export function RequestView({ request }: { request: ReplayRequest }) {
  const redactor = useRedactor();
  return (
    <div class="active-request">
      <div>
        <strong>{request.method}</strong> <code>{redactor.url(request.url)}</code>
        {request.encoding === 'query' && <span class="tag"> fields in the URL query</span>}
      </div>
      <table class="params">
        <tbody>
          {request.appOrigin && (
            <tr>
              <th>header Origin</th>
              <td>
                <code>{redactor.url(request.appOrigin)}</code> <span class="hint">(the app’s origin, set where the browser allows it)</span>
              </td>
            </tr>
          )}
          {request.headers.map((h) => (
            <tr key={`h-${h.name}`}>
              <th>header {h.name}</th>
              <td>
                <SecretValue value={h.value} secret masked={redactor.header(h.name, h.value)} label={h.name} />
              </td>
            </tr>
          ))}
          {request.fields.map(([name, value], i) => (
            <tr key={`f-${i}`} data-field={name}>
              <th>{name}</th>
              <td>
                {value === FRESH_CODE_PLACEHOLDER ? <em>{value}</em> : <SecretValue value={value} secret masked={redactor.param(name, value)} label={name} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An authorization request the inspector opens in a tab, secrets in it masked. */
export function ProbeUrlView({ url }: { url: string }) {
  const redactor = useRedactor();
  return (
    <div class="active-request">
      <strong>GET</strong> <SecretValue value={url} secret masked={redactor.url(url)} label="URL" /> <span class="hint">(in a new tab)</span>
    </div>
  );
}
