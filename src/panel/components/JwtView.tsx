import { useRedactor } from '../secrets.ts';
import { decodeToken, type SignatureStatus } from '../jwt.ts';
import { describeTimeClaim, isoTime, TIME_CLAIMS } from '../time-format.ts';
import { SecretValue } from './SecretValue.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export interface JwtViewProps {
  where: string;
  token: string;
  signature: SignatureStatus;
  /** Epoch ms to compute "expired 3 min ago" against (default: now). */
  now?: number;
  /** Epoch ms the token was received (to say whether it was valid then). */
  receivedAt?: number;
}

function renderClaimValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A decoded JWT: header, payload claims (time claims as human times), and the engine's verdict on the signature. */
export function JwtView({ where, token, signature, now = Date.now(), receivedAt }: JwtViewProps) {
  const redactor = useRedactor();
  const decoded = decodeToken(token);
  return (
    <section class="jwt" aria-label={`JWT in ${where}`}>
      <h4>
        JWT <code>{where}</code>
      </h4>
      <p class="token">
        <SecretValue value={token} secret masked={redactor.text(token)} label={`${where} token`} />
      </p>
      {'error' in decoded ? (
        <p class="error">Could not decode: {decoded.error}</p>
      ) : (
        <>
          <p class={`sig sig-${signature.state}`} data-signature={signature.state}>
            {signature.text}
          </p>
          <ClaimsTable title="Header" claims={decoded.header} now={now} />
          <ClaimsTable title="Payload" claims={decoded.payload} now={now} receivedAt={receivedAt} />
        </>
      )}
    </section>
  );
}

function ClaimsTable({ title, claims, now, receivedAt }: { title: string; claims: Record<string, unknown>; now: number; receivedAt?: number | undefined }) {
  const redactor = useRedactor();
  return (
    <table class="claims">
      <caption>{title}</caption>
      <tbody>
        {Object.entries(claims).map(([name, value]) => (
          <tr key={name} data-claim={name}>
            <th scope="row">
              <code>{escapeControls(name)}</code>
            </th>
            <td>
              <SecretValue value={renderClaimValue(value)} secret masked={redactor.param(name, renderClaimValue(value))} label={name} />
              {TIME_CLAIMS.has(name) && typeof value === 'number' && (
                <span class="human-time">
                  {' '}
                  {isoTime(value * 1000)} · {describeTimeClaim(name, value, now)}
                  {name === 'exp' && receivedAt !== undefined && value * 1000 <= receivedAt ? ' (already expired when received)' : ''}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
