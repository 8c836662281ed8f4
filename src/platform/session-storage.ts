/**
 * storage.session: kept in memory by the browser, survives a stopped worker,
 * gone when the browser closes. The only place captured traffic (and so any
 * secret in it) is stored: never storage.local, never a log.
 * @see https://developer.chrome.com/docs/extensions/reference/api/storage#property-session
 */
import { attempt, browser } from './browser.ts';

export interface KeyValueStore {
  getAll(): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const sessionStorage: KeyValueStore = {
  async getAll() {
    return (await attempt('storage.session.get', () => browser.storage.session.get(null))) ?? {};
  },
  // Writes reject (quota exceeded…) instead of going through `attempt`: the event log
  // reports a failed write to the user; it is never silent.
  async set(items) {
    await browser.storage.session.set(items);
  },
  async remove(keys) {
    if (keys.length > 0) await browser.storage.session.remove(keys);
  },
};
