/**
 * The extension API, through webextension-polyfill (promises in Chrome, the
 * native `browser` in Firefox). Only `src/platform/` imports this file.
 */
import browser from 'webextension-polyfill';
import { debug } from './debug.ts';

export { browser };

/** Runs an API call that may fail (a closed tab, a gone port) and says whether it worked. */
export async function attempt<T>(what: string, call: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    debug(`${what} failed:`, String(error));
    return undefined;
  }
}
