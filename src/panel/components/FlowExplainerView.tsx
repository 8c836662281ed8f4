import type { Flow } from '../../core/model.ts';
import { explainerFor, referenceLinks } from '../explain/index.ts';

/** "How this flow works", its steps marked seen / not seen against the legs on screen. */
export function FlowExplainerView({ flow }: { flow: Flow }) {
  const ex = explainerFor(flow);
  const kinds = new Set(flow.legs.map((l) => l.kind));
  return (
    <details class="explainer" data-flow-kind={flow.kind}>
      <summary>How this flow works: {ex.title}</summary>
      <p>{ex.summary}</p>
      <ol>
        {ex.steps.map((step, i) => {
          const seen = step.leg === undefined ? undefined : kinds.has(step.leg);
          return (
            <li key={i} class={seen === undefined ? '' : seen ? 'seen' : 'not-seen'}>
              {step.text}
              {seen !== undefined && <span class="muted"> ({seen ? 'seen below' : 'not in this capture'})</span>}
            </li>
          );
        })}
      </ol>
      <p class="refs">
        {referenceLinks(ex.reference).map((l) => (
          <a key={l.href} href={l.href} target="_blank" rel="noopener noreferrer">
            {l.text}{' '}
          </a>
        ))}
      </p>
    </details>
  );
}
