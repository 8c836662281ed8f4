import { maskBody, useRedactor } from '../secrets.ts';
import { SecretValue } from './SecretValue.tsx';

/** A request or response body as text; secret fields masked, the whole body revealable. */
export function BodyView({ title, text, mimeType }: { title: string; text: string | undefined; mimeType?: string | undefined }) {
  const redactor = useRedactor();
  if (text === undefined || text === '') return null;
  const masked = maskBody(text, mimeType, redactor);
  return (
    <section class="body">
      <h4>{title}</h4>
      <pre>
        <SecretValue value={text} secret masked={masked} label={title} />
      </pre>
    </section>
  );
}
