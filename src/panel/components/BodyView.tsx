import { MAX_BODY_CHARS } from '../../core/ingest/body-cap.ts';
import { maskBody, useRedactor } from '../secrets.ts';
import { SecretValue } from './SecretValue.tsx';

/** A request or response body as text; secret fields masked, the whole body revealable. */
export function BodyView({ title, text, mimeType, truncated }: { title: string; text: string | undefined; mimeType?: string | undefined; truncated?: boolean | undefined }) {
  const redactor = useRedactor();
  if (text === undefined || text === '') return null;
  const masked = maskBody(text, mimeType, redactor);
  return (
    <section class="body">
      <h4>{title}</h4>
      {truncated && (
        <p class="truncated" role="note">
          Only the first {MAX_BODY_CHARS / 1024} KB of this body were kept.
        </p>
      )}
      <pre>
        <SecretValue value={text} secret masked={masked} label={title} multiline />
      </pre>
    </section>
  );
}
