import type { HttpHeader } from '../../core/model.ts';
import { isSecretHeader, maskUrl } from '../secrets.ts';

/** Headers that carry a URL, whose secret parameters are masked. */
const URL_HEADERS = new Set(['referer', 'location', 'content-location']);
import { SecretValue } from './SecretValue.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export function HeadersTable({ title, headers, highlight }: { title: string; headers: readonly HttpHeader[] | undefined; highlight?: ReadonlySet<string> }) {
  if (!headers || headers.length === 0) return null;
  return (
    <table class="headers">
      <caption>{title}</caption>
      <tbody>
        {headers.map((h, i) => (
          <tr key={`${h.name}-${i}`} class={highlight?.has(h.name.toLowerCase()) ? 'hl' : undefined}>
            <th scope="row">
              <code>{escapeControls(h.name)}</code>
            </th>
            <td>
              {URL_HEADERS.has(h.name.toLowerCase()) ? (
                <SecretValue value={h.value} secret masked={maskUrl(h.value)} label={h.name} />
              ) : (
                <SecretValue value={h.value} secret={isSecretHeader(h.name)} label={h.name} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
