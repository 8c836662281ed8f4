/** The setting "Fetch the issuer's keys to verify signatures" (storage.local, default on). */
import { useEffect, useState } from 'preact/hooks';
import { KEYS_SETTING_LABEL } from '../core/protocol/settings.ts';
import { readSettings, writeSettings } from '../platform/settings.ts';

export function KeysSetting() {
  const [on, setOn] = useState<boolean>();
  useEffect(() => {
    void readSettings().then((settings) => setOn(settings.fetchKeys));
  }, []);
  if (on === undefined) return null;
  return (
    <label class="setting" title="When a login's discovery document or JWKS is not in the capture, fetch it (no cookies, no redirects) to check ID token signatures. Each fetch shows in the timeline.">
      <input
        type="checkbox"
        data-testid="fetch-keys"
        checked={on}
        onChange={(event) => {
          const next = (event.target as HTMLInputElement).checked;
          setOn(next);
          void writeSettings({ fetchKeys: next });
        }}
      />
      {KEYS_SETTING_LABEL}
    </label>
  );
}
