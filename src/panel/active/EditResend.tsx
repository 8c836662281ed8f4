/**
 * Edit and resend a captured token request: change any field, see exactly
 * what will go out, send it on a click, and read the authorization server's
 * answer decoded (teaching: what does `invalid_grant` look like?).
 */
import { useMemo, useState } from 'preact/hooks';
import { tokenLegs } from '../../core/flows/legs.ts';
import type { Flow } from '../../core/model.ts';
import { readTokenResponse } from '../../core/replay/read-response.ts';
import { tokenRequestFromLeg } from '../../core/replay/token-requests.ts';
import type { ReplayRequest, TokenReading } from '../../core/replay/types.ts';
import { useRedactor } from '../secrets.ts';
import type { ActiveClient } from './client.ts';
import { AnswerView } from './ActiveResult.tsx';
import { RequestView } from './RequestView.tsx';

export interface EditResendProps {
  flow: Flow;
  tabId: number;
  getClient: () => Promise<ActiveClient>;
}

export function EditResend({ flow, tabId, getClient }: EditResendProps) {
  const captured = useMemo(
    () => tokenLegs(flow).filter((l) => !l.event.fromInspector).flatMap((leg) => {
      const request = tokenRequestFromLeg(leg);
      return request ? [{ leg, request }] : [];
    }),
    [flow],
  );
  const redactor = useRedactor();
  const [index, setIndex] = useState(0);
  const [fields, setFields] = useState<Array<[string, string]> | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [answer, setAnswer] = useState<TokenReading | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const chosen = captured[index];
  if (!chosen) return null;
  const current = fields ?? chosen.request.fields;
  const edited: ReplayRequest = { ...chosen.request, fields: current };
  const setField = (i: number, at: 0 | 1, value: string) =>
    setFields(current.map((f, j) => (j === i ? ((at === 0 ? [value, f[1]] : [f[0], value]) as [string, string]) : f)));

  const send = async () => {
    setConfirming(false);
    setSending(true);
    setError(undefined);
    const c = await getClient();
    if (!(await c.requestPermissions())) {
      setSending(false);
      setError('The browser did not grant the permission needed to send the app’s Origin: nothing was sent.');
      return;
    }
    const result = await c.send({ type: 'oauth-lens/active-send', tabId, flowId: flow.id, request: edited });
    setSending(false);
    if (!result.ok) setError(result.error);
    else setAnswer(result.reading ?? readTokenResponse(result.response, edited));
  };

  return (
    <details class="edit-resend">
      <summary>Edit and resend a token request</summary>
      {captured.length > 1 && (
        <label>
          Request{' '}
          <select value={index} onChange={(e) => (setIndex(Number((e.target as HTMLSelectElement).value)), setFields(undefined), setAnswer(undefined))}>
            {captured.map(({ leg }, i) => (
              <option key={leg.id} value={i}>
                {leg.grantType ?? 'token request'} ({leg.event.method} {redactor.url(leg.event.url)})
              </option>
            ))}
          </select>
        </label>
      )}
      <table class="params edit-fields">
        <tbody>
          {current.map(([name, value], i) => (
            <tr key={i}>
              <td>
                <input aria-label={`name of field ${i + 1}`} value={name} onInput={(e) => setField(i, 0, (e.target as HTMLInputElement).value)} />
              </td>
              <td>
                <input aria-label={`value of ${name}`} value={value} onInput={(e) => setField(i, 1, (e.target as HTMLInputElement).value)} />
              </td>
              <td>
                <button type="button" aria-label={`remove ${name}`} onClick={() => setFields(current.filter((_, j) => j !== i))}>
                  remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setFields([...current, ['', '']])}>
        add a field
      </button>{' '}
      <button type="button" onClick={() => (setFields(undefined), setAnswer(undefined))}>
        back to the captured values
      </button>{' '}
      <button type="button" class="primary" disabled={sending} onClick={() => setConfirming(true)}>
        Send…
      </button>
      {confirming && (
        <div class="active-dialog" role="dialog" aria-modal="true" aria-label="Send this request">
          <p class="warning" role="note">
            <strong>Only test systems you are allowed to test.</strong> This request goes to the authorization server as shown. Replaying a code or refresh token may make the server revoke the app’s tokens.
          </p>
          <RequestView request={edited} />
          <div class="buttons">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" class="primary danger" data-action="confirm" onClick={() => void send()}>
              Send 1 request
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {answer && <AnswerView reading={answer} />}
    </details>
  );
}
