/**
 * The one logging helper. `__OAUTH_LENS_DEBUG__` is false in store builds, so
 * the bundler drops every call. Never pass a token, code, verifier or secret.
 */
declare const __OAUTH_LENS_DEBUG__: boolean | undefined;

const enabled = typeof __OAUTH_LENS_DEBUG__ !== 'undefined' && __OAUTH_LENS_DEBUG__;

export function debug(...args: unknown[]): void {
  if (enabled) console.debug('[oauth-lens]', ...args);
}
