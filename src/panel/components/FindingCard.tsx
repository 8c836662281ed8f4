import type { Finding } from '../../core/model.ts';
import { explainCheck, referenceLinks } from '../explain/index.ts';
import { shownFinding, useRedactor } from '../secrets.ts';
import { SeverityBadge } from './SeverityBadge.tsx';
import { escapeControls } from '../../core/report/escape.ts';

export interface FindingCardProps {
  finding: Finding;
  /** Selects the leg an evidence item was found in. */
  onShowLeg?: (eventId: string) => void;
  /** Whether the leg exists in the flow on screen (evidence can link to it). */
  hasLeg?: (eventId: string) => boolean;
}

/** One finding: what happened (evidence highlighted), why it matters, how to fix, and the spec. */
export function FindingCard({ finding: raw, onShowLeg, hasLeg }: FindingCardProps) {
  const finding = shownFinding(raw, useRedactor());
  const text = explainCheck(finding.check);
  const links = referenceLinks(finding.reference || text.reference);
  return (
    <article tabIndex={-1} class={`finding sev-border-${finding.severity}`} data-check={finding.check} data-severity={finding.severity} aria-label={`${finding.severity}: ${finding.check}`}>
      <header>
        <SeverityBadge severity={finding.severity} />
        <code class="check-id">{finding.check}</code>
      </header>
      <p class="message">{escapeControls(finding.message)}</p>
      {finding.carried && (
        <p class="carried" data-carried="true">
          Carried from the original capture: this check needs the real values, which a pseudonymised file does not hold.
        </p>
      )}
      {finding.evidence.length > 0 && (
        <ul class="evidence">
          {finding.evidence.map((ev, i) => (
            <li key={i}>
              <code class="where">{escapeControls(ev.where)}</code> <mark>{escapeControls(ev.excerpt)}</mark>
              {onShowLeg && (hasLeg?.(ev.requestId) ?? true) && (
                <button type="button" class="link-button" onClick={() => onShowLeg(ev.requestId)}>
                  show leg
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {(finding.expected !== undefined || finding.actual !== undefined) && (
        <dl class="expected">
          {finding.expected !== undefined && (
            <>
              <dt>expected</dt>
              <dd>
                <code>{finding.expected}</code>
              </dd>
            </>
          )}
          {finding.actual !== undefined && (
            <>
              <dt>seen</dt>
              <dd>
                <mark>{finding.actual}</mark>
              </dd>
            </>
          )}
        </dl>
      )}
      <section class="teach">
        <h4>Why it matters</h4>
        <p>{text.why}</p>
        <h4>How to fix</h4>
        <p>{text.fix}</p>
        {links.length > 0 && (
          <p class="refs">
            {links.map((l, i) => (
              <span key={l.href}>
                {i > 0 && ' · '}
                <a href={l.href} target="_blank" rel="noopener noreferrer">
                  {l.text}
                </a>
              </span>
            ))}
          </p>
        )}
      </section>
    </article>
  );
}
