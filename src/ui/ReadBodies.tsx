/**
 * (src/ui: pieces of UI both the popup and the panel show.)
 * "Read token responses in Chrome": one click grants the optional debugger
 * permission (the worker then attaches by itself to tabs that run a login).
 * Shown in the popup and the panel; says why bodies are missing otherwise.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BodyStatus } from '../core/protocol/worker-panel.ts';

export interface BodyAccess {
  status(): Promise<BodyStatus | undefined>;
  /** Must be called from the click handler (the permission prompt needs the gesture). */
  request(): Promise<boolean>;
  resume(): Promise<void>;
}

export const READ_BODIES_LABEL = 'Read token responses in Chrome';
const WHAT_IT_DOES =
  'Lets OAuth Lens read token, discovery and key-set responses in tabs that run a login, with DevTools closed; Chrome shows an "is debugging this browser" bar while it does.';

export function ReadBodies({ access }: { access: BodyAccess }) {
  const [status, setStatus] = useState<BodyStatus>();
  const refresh = () => void access.status().then(setStatus);
  useEffect(refresh, [access]);
  if (!status?.offered) return null;

  if (!status.granted) {
    return (
      <section class="read-bodies" data-read-bodies="not-granted">
        <button
          type="button"
          data-testid="read-bodies"
          onClick={() => {
            // Called at once, inside the click: permissions.request needs the user gesture.
            void access.request().then(refresh);
          }}
        >
          {READ_BODIES_LABEL}
        </button>
        <p>{WHAT_IT_DOES}</p>
      </section>
    );
  }
  if (status.tab === 'paused') {
    return (
      <section class="read-bodies" data-read-bodies="paused">
        <p>Token responses are not read: the debugging bar was closed.</p>
        <button type="button" data-testid="read-bodies-resume" onClick={() => void access.resume().then(refresh)}>
          Read token responses again
        </button>
      </section>
    );
  }
  if (status.tab === 'held-by-other') {
    return (
      <section class="read-bodies" data-read-bodies="held-by-other">
        <p>Another debugger holds this tab, so its token responses cannot be read: close it and run the login again.</p>
      </section>
    );
  }
  return (
    <p class="read-bodies" data-read-bodies={status.tab}>
      {status.tab === 'reading' ? 'Reading token responses in this tab.' : 'Token responses will be read once this tab starts a login.'}
    </p>
  );
}
