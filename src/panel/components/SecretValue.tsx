import { useState } from 'preact/hooks';
import { maskSecret } from '../../core/report/mask.ts';
import { escapeControls } from '../../core/report/escape.ts';

/** A value from traffic, as text; a secret shows masked with a reveal toggle of its own. */
export interface SecretValueProps {
  value: string;
  secret: boolean;
  label?: string;
  /** A custom masked form (a URL with only its secret parameters masked); default maskSecret. */
  masked?: string;
  /** Keep line breaks (bodies); other controls and bidi overrides are always shown as `\uXXXX`. */
  multiline?: boolean;
}

export function SecretValue({ value, secret, label, masked, multiline = false }: SecretValueProps) {
  const [shown, setShown] = useState(false);
  const visible = (text: string) => escapeControls(text, { multiline });
  if (!secret || masked === value) return <code class="value">{visible(value)}</code>;
  const what = label ? ` ${label}` : '';
  return (
    <span class="secret">
      <code class="value" data-masked={shown ? 'false' : 'true'}>
        {visible(shown ? value : (masked ?? maskSecret(value)))}
      </code>
      <button type="button" class="reveal" aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Reveal'}${what}`} onClick={() => setShown(!shown)}>
        {shown ? 'hide' : 'reveal'}
      </button>
    </span>
  );
}
