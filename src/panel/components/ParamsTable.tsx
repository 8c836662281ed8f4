import { useRedactor } from '../secrets.ts';
import { SecretValue } from './SecretValue.tsx';
import { escapeControls } from '../../core/report/escape.ts';

/** The parameters a reader looks for first, in this order. */
const KEY_PARAMS = [
  'response_type',
  'response_mode',
  'grant_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'code_verifier',
  'code',
  'iss',
  'error',
  'error_description',
  'request_uri',
];
const GROUP: Record<string, string> = {
  code_challenge: 'PKCE',
  code_challenge_method: 'PKCE',
  code_verifier: 'PKCE',
  state: 'CSRF',
  nonce: 'replay',
};

function ordered(params: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(params);
  const rank = (k: string) => {
    const i = KEY_PARAMS.indexOf(k);
    return i < 0 ? KEY_PARAMS.length : i;
  };
  return entries.sort(([a], [b]) => rank(a) - rank(b));
}

export interface ParamsTableProps {
  title: string;
  params: Record<string, unknown>;
  /** Parameter names that evidence points at: highlighted. */
  highlight?: ReadonlySet<string>;
}

/** Decoded parameters as a table; every value is text, secrets masked with a reveal toggle. */
export function ParamsTable({ title, params, highlight }: ParamsTableProps) {
  const redactor = useRedactor();
  const rows = ordered(params);
  if (rows.length === 0) return null;
  return (
    <table class="params">
      <caption>{title}</caption>
      <tbody>
        {rows.map(([name, value]) => {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          return (
            <tr key={name} data-param={name} class={highlight?.has(name) ? 'hl' : undefined}>
              <th scope="row">
                <code>{escapeControls(name)}</code>
                {GROUP[name] && <span class="tag">{GROUP[name]}</span>}
              </th>
              <td>
                <SecretValue value={text} secret masked={redactor.param(name, text)} label={name} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
