/**
 * Chrome's `chrome.debugger`, the one place that calls it: the only way a
 * Chrome extension reads a response body with DevTools closed.
 *
 * Attached to one tab, it enables the Network domain there and auto-attaches
 * (flattened) to the tab's iframes, dedicated Web Workers and the site's
 * service worker, each of which gets `Network.enable` and is then let run
 * (`waitForDebuggerOnStart` holds a new target until it is told to run, so no
 * request it makes on start-up is missed). Events come back with the session
 * they belong to; commands go to `{ tabId, sessionId }`.
 *
 * `debugger` is an optional permission (Chrome only): `chrome.debugger` exists
 * only once it is granted, so the listeners are added then too.
 * @see https://developer.chrome.com/docs/extensions/reference/api/debugger
 * @see https://chromedevtools.github.io/devtools-protocol/tot/Target/#method-setAutoAttach
 */
import { attempt, browser } from './browser.ts';
import { debug } from './debug.ts';

export const DEBUGGER_PERMISSION = 'debugger';
const PROTOCOL_VERSION = '1.3';
/** Largest response the renderer keeps for us (bigger ones cannot be read; the page is unaffected). */
const MAX_RESOURCE_BUFFER = 1024 * 1024;
const MAX_TOTAL_BUFFER = 8 * 1024 * 1024;
/** Request bodies up to this size come inside Network.requestWillBeSent. */
const MAX_POST_DATA = 64 * 1024;

export interface CdpTarget {
  tabId: number;
  sessionId?: string;
}

export type CdpEventListener = (target: CdpTarget, method: string, params: Record<string, unknown>) => void;
export type DetachListener = (tabId: number, reason: string) => void;

type ChromeDebugger = typeof chrome.debugger;

function api(): ChromeDebugger | undefined {
  const chromeApi = (globalThis as { chrome?: { debugger?: ChromeDebugger } }).chrome;
  return chromeApi?.debugger;
}

/** Whether this browser has chrome.debugger at all (Chrome: once the permission is granted). */
export function debuggerApiPresent(): boolean {
  return api() !== undefined;
}

/** Whether this build can ask for the permission (Chrome's manifest lists it; Firefox's does not). */
export function debuggerPermissionOffered(): boolean {
  const manifest = browser.runtime.getManifest() as { optional_permissions?: string[]; permissions?: string[] };
  return [...(manifest.optional_permissions ?? []), ...(manifest.permissions ?? [])].includes(DEBUGGER_PERMISSION);
}

export async function hasDebuggerPermission(): Promise<boolean> {
  if (!debuggerPermissionOffered()) return false;
  return (await attempt('permissions.contains', () => browser.permissions.contains({ permissions: [DEBUGGER_PERMISSION as never] }))) ?? false;
}

export function canRequestPermissions(): boolean {
  return typeof (globalThis as { chrome?: { permissions?: { request?: unknown } } }).chrome?.permissions?.request === 'function';
}

/** Call from a click handler: the request must run in the user's gesture. */
export async function requestDebuggerPermission(): Promise<boolean> {
  const permissions = (globalThis as { chrome?: { permissions?: typeof chrome.permissions } }).chrome?.permissions;
  if (!permissions) return false;
  // Not awaited before: the call must start inside the click's gesture.
  return (await attempt('permissions.request', () => permissions.request({ permissions: [DEBUGGER_PERMISSION] }))) ?? false;
}

/** permissions.onAdded / onRemoved for the debugger permission. */
export function onDebuggerPermissionChanged(listener: (granted: boolean) => void): void {
  const concerns = (p: { permissions?: string[] }) => p.permissions?.includes(DEBUGGER_PERMISSION) ?? false;
  browser.permissions.onAdded.addListener((p) => {
    if (concerns(p)) listener(true);
  });
  browser.permissions.onRemoved.addListener((p) => {
    if (concerns(p)) listener(false);
  });
}

let listening = false;
const eventListeners: CdpEventListener[] = [];
const detachListeners: DetachListener[] = [];

/**
 * Adds the event and detach listeners. Safe to call again (after a grant):
 * chrome.debugger appears only when the permission is there.
 */
export function listenToDebugger(onEvent: CdpEventListener, onDetach: DetachListener): void {
  eventListeners.push(onEvent);
  detachListeners.push(onDetach);
  ensureListening();
}

export function ensureListening(): boolean {
  const dbg = api();
  if (!dbg) return false;
  if (listening) return true;
  listening = true;
  dbg.onEvent.addListener((source, method, params) => {
    if (source.tabId === undefined) return;
    const target: CdpTarget = source.sessionId ? { tabId: source.tabId, sessionId: source.sessionId } : { tabId: source.tabId };
    if (method === 'Target.attachedToTarget') void startChild(target, (params ?? {}) as { sessionId?: string });
    for (const listener of eventListeners) {
      try {
        listener(target, method, params ?? {});
      } catch (error) {
        debug('debugger event listener failed', String(error));
      }
    }
  });
  dbg.onDetach.addListener((source, reason) => {
    if (source.tabId === undefined) return;
    for (const listener of detachListeners) listener(source.tabId, reason);
  });
  return true;
}

async function send(target: CdpTarget, method: string, params?: object): Promise<Record<string, unknown> | undefined> {
  const dbg = api();
  if (!dbg) throw new Error('chrome.debugger is not available');
  return (await dbg.sendCommand(target, method, params)) as Record<string, unknown> | undefined;
}

const NETWORK_ENABLE = { maxTotalBufferSize: MAX_TOTAL_BUFFER, maxResourceBufferSize: MAX_RESOURCE_BUFFER, maxPostDataSize: MAX_POST_DATA };
const AUTO_ATTACH = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };

/** A new iframe, worker or service worker session: watch its network, then let it run (always). */
async function startChild(parent: CdpTarget, params: { sessionId?: string }): Promise<void> {
  if (!params.sessionId) return;
  const child: CdpTarget = { tabId: parent.tabId, sessionId: params.sessionId };
  // Sent together: a session handles its commands in order, so Network is on before the target runs.
  await Promise.all([
    attempt('Network.enable (child)', () => send(child, 'Network.enable', NETWORK_ENABLE)),
    attempt('Target.setAutoAttach (child)', () => send(child, 'Target.setAutoAttach', AUTO_ATTACH)),
    attempt('Runtime.runIfWaitingForDebugger', () => send(child, 'Runtime.runIfWaitingForDebugger')),
  ]);
}

export type AttachOutcome = { ok: true } | { ok: false; error: string };

export async function attachToTab(tabId: number): Promise<AttachOutcome> {
  const dbg = api();
  if (!dbg) return { ok: false, error: 'no-permission' };
  ensureListening();
  try {
    await dbg.attach({ tabId }, PROTOCOL_VERSION);
  } catch (error) {
    return { ok: false, error: String(error) };
  }
  const target: CdpTarget = { tabId };
  await attempt('Network.enable', () => send(target, 'Network.enable', NETWORK_ENABLE));
  await attempt('Target.setAutoAttach', () => send(target, 'Target.setAutoAttach', AUTO_ATTACH));
  return { ok: true };
}

export async function detachFromTab(tabId: number): Promise<void> {
  const dbg = api();
  if (!dbg) return;
  await attempt('debugger.detach', () => dbg.detach({ tabId }));
}

/** Tabs a debugger is attached to (this extension's or another client's). */
export async function attachedTabs(): Promise<number[]> {
  const dbg = api();
  if (!dbg) return [];
  const targets = (await attempt('debugger.getTargets', () => dbg.getTargets())) ?? [];
  return targets.filter((t) => t.type === 'page' && t.attached && t.tabId !== undefined).map((t) => t.tabId as number);
}

export async function getResponseBody(target: CdpTarget, requestId: string): Promise<{ body: string; base64Encoded: boolean } | undefined> {
  const result = await attempt('Network.getResponseBody', () => send(target, 'Network.getResponseBody', { requestId }));
  if (!result || typeof result.body !== 'string') return undefined;
  return { body: result.body, base64Encoded: result.base64Encoded === true };
}

export async function getRequestPostData(target: CdpTarget, requestId: string): Promise<string | undefined> {
  const result = await attempt('Network.getRequestPostData', () => send(target, 'Network.getRequestPostData', { requestId }));
  return typeof result?.postData === 'string' ? result.postData : undefined;
}
