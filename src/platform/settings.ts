/**
 * The user's settings, in storage.local: settings only, never captured
 * traffic or a secret (those live in memory and storage.session).
 * @see https://developer.chrome.com/docs/extensions/reference/api/storage#property-local
 */
import { attempt, browser } from './browser.ts';

export interface Settings {
  /** Fetch an issuer's discovery document and JWKS the capture lacks, to verify ID token signatures. */
  fetchKeys: boolean;
}

export const DEFAULT_SETTINGS: Settings = { fetchKeys: true };

const KEY = 'settings';

export async function readSettings(): Promise<Settings> {
  const items = (await attempt('storage.local.get', () => browser.storage.local.get(KEY))) ?? {};
  const stored = items[KEY] as Partial<Settings> | undefined;
  return { fetchKeys: typeof stored?.fetchKeys === 'boolean' ? stored.fetchKeys : DEFAULT_SETTINGS.fetchKeys };
}

export async function writeSettings(change: Partial<Settings>): Promise<void> {
  const next = { ...(await readSettings()), ...change };
  await attempt('storage.local.set', () => browser.storage.local.set({ [KEY]: { fetchKeys: next.fetchKeys } }));
}

/** Calls back when the settings change (in any extension page or the worker). */
export function onSettingsChanged(callback: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && KEY in changes) void readSettings().then(callback);
  });
}
