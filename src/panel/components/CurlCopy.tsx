import { useState } from 'preact/hooks';
import type { RequestEvent } from '../../core/model.ts';
import { copyText } from '../clipboard.ts';
import { toCurl } from '../curl.ts';
import { useRedactor } from '../secrets.ts';

/** "Copy as cURL", masked unless the user ticks "include secrets". */
export function CurlCopy({ event }: { event: RequestEvent }) {
  const [reveal, setReveal] = useState(false);
  const [status, setStatus] = useState('');
  const command = toCurl(event, reveal, useRedactor());
  return (
    <section class="curl">
      <div class="row">
        <button
          type="button"
          onClick={async () => setStatus((await copyText(command)) ? 'copied' : 'copy failed: select the text below')}
        >
          Copy as cURL
        </button>
        <label>
          <input type="checkbox" checked={reveal} onChange={(e) => setReveal(e.currentTarget.checked)} /> include secrets
        </label>
        <span role="status">{status}</span>
      </div>
      <pre class="curl-text">{command}</pre>
    </section>
  );
}
