/** Tabs, navigation, the toolbar badge and keeping the worker alive. */
import { attempt, browser } from './browser.ts';

export function onTabRemoved(listener: (tabId: number) => void): void {
  browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
}

/** A tab or window opened by another tab (window.open, target=_blank): `sourceTabId` is the opener. */
export function onCreatedNavigationTarget(listener: (details: { tabId: number; sourceTabId: number }) => void): void {
  browser.webNavigation.onCreatedNavigationTarget.addListener((details) =>
    listener({ tabId: details.tabId, sourceTabId: details.sourceTabId }),
  );
}

/** The tab that opened this one, if the browser knows it. */
export async function openerOf(tabId: number): Promise<number | undefined> {
  const tab = await attempt('tabs.get', () => browser.tabs.get(tabId));
  return tab?.openerTabId;
}

export async function allTabs(): Promise<{ id?: number; url?: string }[]> {
  return (await attempt('tabs.query', () => browser.tabs.query({}))) ?? [];
}

export async function activeTabId(): Promise<number | undefined> {
  const tabs = await attempt('tabs.query', () => browser.tabs.query({ active: true, currentWindow: true }));
  return tabs?.[0]?.id;
}

export async function openExtensionPage(path: string): Promise<void> {
  await attempt('tabs.create', () => browser.tabs.create({ url: browser.runtime.getURL(path) }));
}

export function extensionVersion(): string {
  return browser.runtime.getManifest().version;
}

export function extensionUrl(path: string): string {
  return browser.runtime.getURL(path);
}

export async function setBadge(tabId: number, count: number): Promise<void> {
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  if (!action) return;
  await attempt('action.setBadgeText', () => action.setBadgeText({ tabId, text: count > 0 ? String(count) : '' }));
  if (count > 0) await attempt('action.setBadgeBackgroundColor', () => action.setBadgeBackgroundColor({ tabId, color: '#b3261e' }));
}

let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

/**
 * While a flow is under way the worker stays up, so the per-tab header
 * listeners (added at run time, which Chrome forgets when it stops the worker)
 * stay registered. Any extension API call resets Chrome's 30 s idle timer.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle#idle-shutdown
 */
export function keepAlive(on: boolean): void {
  if (on && !keepAliveTimer) {
    keepAliveTimer = setInterval(() => void attempt('runtime.getPlatformInfo', () => browser.runtime.getPlatformInfo()), 20_000);
  } else if (!on && keepAliveTimer) {
    clearInterval(keepAliveTimer);
    keepAliveTimer = undefined;
  }
}

/** A frame of a tab starts a navigation (before its request is sent). */
export function onBeforeNavigate(listener: (details: { tabId: number; frameId: number; url: string }) => void): void {
  browser.webNavigation.onBeforeNavigate.addListener((details) => listener({ tabId: details.tabId, frameId: details.frameId, url: details.url }));
}
