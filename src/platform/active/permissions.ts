/**
 * The optional permissions of the active checks, asked for on the user's
 * first click (a permission request needs that gesture, so the panel calls
 * this from the confirm button's handler).
 *
 * Chrome: `declarativeNetRequestWithHostAccess` — session rules that set the
 * app's Origin on the inspector's own token request and stop the probe tab's
 * navigation to the redirect URI. Firefox: the same permission, declared in
 * the manifest (Firefox has no optional DNR permissions and grants this one
 * without a prompt), sets the Origin — Firefox does not show an extension its
 * own requests in webRequest — while blocking webRequest, already granted for
 * response bodies, stops the probe tab.
 */
import { attempt, browser } from '../browser.ts';

function wanted(): string[] {
  // Feature-detect: Firefox's `webRequest.filterResponseData` means blocking webRequest is there.
  const firefoxLike = typeof (browser.webRequest as { filterResponseData?: unknown } | undefined)?.filterResponseData === 'function';
  return firefoxLike ? [] : ['declarativeNetRequestWithHostAccess'];
}

export async function hasActivePermissions(): Promise<boolean> {
  const permissions = wanted();
  if (permissions.length === 0) return true;
  return (await attempt('permissions.contains', () => browser.permissions.contains({ permissions: permissions as never }))) ?? false;
}

/** Call from a click handler. Resolves true when everything needed is granted. */
export async function requestActivePermissions(): Promise<boolean> {
  const permissions = wanted();
  if (permissions.length === 0) return true;
  // Already granted (or required in the manifest, as in test builds): nothing to ask. The user's
  // activation outlives this short await, so the request below still counts as from the click.
  if (await hasActivePermissions()) return true;
  return (await attempt('permissions.request', () => browser.permissions.request({ permissions: permissions as never }))) ?? false;
}
