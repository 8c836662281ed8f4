import { FRESH_CODE_PLACEHOLDER } from '../../core/replay/plan.ts';
import type { ReplayRequest } from '../../core/replay/types.ts';
import { SECRET_PARAMS, maskUrl } from '../../core/checks/excerpt.ts';
import { maskSecret } from '../../core/report/mask.ts';
import { SecretValue } from '../components/SecretValue.tsx';

/** Exactly what a token request will send: method, URL, headers, Origin, fields (secrets masked, each with its reveal). */
export function RequestView({ request }: { request: ReplayRequest }) {
  return (
    <div class="active-request">
      <div>
        <strong>{request.method}</strong> <code>{request.url}</code>
        {request.encoding === 'query' && <span class="tag"> fields in the URL query</span>}
      </div>
      <table class="params">
        <tbody>
          {request.appOrigin && (
            <tr>
              <th>header Origin</th>
              <td>
                <code>{request.appOrigin}</code> <span class="hint">(the app’s origin, set where the browser allows it)</span>
              </td>
            </tr>
          )}
          {request.headers.map((h) => (
            <tr key={`h-${h.name}`}>
              <th>header {h.name}</th>
              <td>
                <SecretValue value={h.value} secret={/^(authorization|dpop)$/i.test(h.name)} label={h.name} />
              </td>
            </tr>
          ))}
          {request.fields.map(([name, value], i) => (
            <tr key={`f-${i}`} data-field={name}>
              <th>{name}</th>
              <td>
                {value === FRESH_CODE_PLACEHOLDER ? <em>{value}</em> : <SecretValue value={value} secret={SECRET_PARAMS.has(name)} label={name} />}
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
  return (
    <div class="active-request">
      <strong>GET</strong> <SecretValue value={url} secret masked={maskUrl(url, maskSecret)} label="URL" /> <span class="hint">(in a new tab)</span>
    </div>
  );
}
