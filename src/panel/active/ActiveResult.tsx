import type { ActiveCheckResult, ActiveStep, TokenReading } from '../../core/replay/types.ts';
import { FindingCard } from '../components/FindingCard.tsx';
import { SecretValue } from '../components/SecretValue.tsx';
import { useRedactor } from '../secrets.ts';

const VERDICT_TEXT: Record<ActiveCheckResult['verdict'], string> = {
  finding: 'Finding',
  pass: 'Pass',
  inconclusive: 'Not evaluated',
  'not-applicable': 'Not applicable',
};

/** The authorization server's answer, decoded: status, error and description, or the tokens (masked). */
export function AnswerView({ reading }: { reading: TokenReading }) {
  const redactor = useRedactor();
  return (
    <div class={`active-answer outcome-${reading.outcome}`} data-outcome={reading.outcome}>
      <p>
        <strong>HTTP {reading.status || '—'}</strong> {redactor.text(reading.plain)}
      </p>
      {reading.body && (
        <table class="params">
          <tbody>
            {Object.entries(reading.body).map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>
                  <SecretValue value={typeof value === 'string' ? value : JSON.stringify(value)} secret masked={redactor.param(name, typeof value === 'string' ? value : JSON.stringify(value))} label={name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function StepView({ step }: { step: ActiveStep }) {
  const redactor = useRedactor();
  const nav = step.navigation;
  return (
    <li data-step={step.id}>
      <span class="tag">sent by OAuth Lens</span> {redactor.text(step.label)}
      {step.reading && <AnswerView reading={step.reading} />}
      {nav && (
        <p class="active-answer" data-navigation={nav.kind}>
          {nav.kind === 'redirected' && 'The server redirected there (the navigation was stopped before it left the browser).'}
          {nav.kind === 'error-page' && `The server answered with an error page (HTTP ${nav.status}${nav.error ? `, ${nav.error}` : ''}).`}
          {nav.kind === 'waiting' && 'The server shows a page and waits (a login?).'}
          {nav.kind === 'abandoned' && `No answer: ${nav.reason}.`}
        </p>
      )}
    </li>
  );
}

export function ActiveResult({ result }: { result: ActiveCheckResult }) {
  const redactor = useRedactor();
  return (
    <section class={`active-result verdict-${result.verdict}`} data-active-check={result.check} data-verdict={result.verdict} aria-live="polite">
      <p>
        <strong class="verdict">{VERDICT_TEXT[result.verdict]}</strong> <code class="check-id">{result.check}</code> — {redactor.text(result.summary)}
      </p>
      {result.finding && <FindingCard finding={result.finding} />}
      {result.steps.length > 0 && (
        <details>
          <summary>The requests and the answers</summary>
          <ol class="active-steps">
            {result.steps.map((s) => (
              <StepView key={s.id} step={s} />
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
