import { useEffect, useRef } from 'preact/hooks';
import type { ActivePlan } from '../../core/replay/plan.ts';
import { useRedactor } from '../secrets.ts';
import { ProbeUrlView, RequestView } from './RequestView.tsx';

export interface ConfirmDialogProps {
  title: string;
  plan: ActivePlan;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Requests that will be sent, in order. */
export function countRequests(plan: ActivePlan): number {
  return plan.steps.length;
}

/**
 * Says exactly what will be sent, that a replay may revoke the app's tokens,
 * and to test only systems one is allowed to test. Nothing is sent unless the
 * confirm button is pressed.
 */
export function ConfirmDialog({ title, plan, onConfirm, onCancel }: ConfirmDialogProps) {
  const redactor = useRedactor();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const n = countRequests(plan);
  return (
    <div class="active-dialog" role="dialog" aria-modal="true" aria-labelledby="active-dialog-title" data-active-check={plan.check}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h3 id="active-dialog-title">{title}</h3>
      <p class="warning" role="note">
        <strong>Only test systems you are allowed to test.</strong> This sends requests of its own to the authorization server, from your browser.
      </p>
      <ul class="warnings">
        {plan.warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <h4>What will be sent ({n} {n === 1 ? 'request' : 'requests'}, in this order)</h4>
      <ol class="active-plan">
        {plan.steps.map((step) => (
          <li key={step.id} data-step={step.id}>
            <p>{redactor.text(step.label)}</p>
            {step.kind === 'token' ? <RequestView request={step.request} /> : <ProbeUrlView url={step.probe.url} />}
          </li>
        ))}
      </ol>
      <div class="buttons">
        <button type="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="primary danger" data-action="confirm" onClick={onConfirm}>
          Send {n} {n === 1 ? 'request' : 'requests'}
        </button>
      </div>
    </div>
  );
}
