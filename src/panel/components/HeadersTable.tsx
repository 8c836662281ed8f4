import type { HttpHeader } from '../../core/model.ts';
import { useRedactor } from '../secrets.ts';
import { SecretValue } from './SecretValue.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export function HeadersTable({ title, headers, highlight }: { title: string; headers: readonly HttpHeader[] | undefined; highlight?: ReadonlySet<string> }) {
  const redactor = useRedactor();
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
              <SecretValue value={h.value} secret masked={redactor.header(h.name, h.value)} label={h.name} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
