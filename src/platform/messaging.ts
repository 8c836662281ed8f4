/** runtime messages and ports between the worker, the devtools page, the panel and the popup. */
import type { Runtime } from 'webextension-polyfill';
import { attempt, browser } from './browser.ts';

/** Answers one-off messages; return undefined to leave a message to other listeners. */
export function onMessage(handler: (message: unknown) => Promise<unknown> | undefined): void {
  browser.runtime.onMessage.addListener((message: unknown) => handler(message));
}

export async function sendMessage<T>(message: unknown): Promise<T | undefined> {
  return (await attempt('runtime.sendMessage', () => browser.runtime.sendMessage(message))) as T | undefined;
}

export interface Port {
  name: string;
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onDisconnect(listener: () => void): void;
  disconnect(): void;
}

function wrapPort(port: Runtime.Port): Port {
  return {
    name: port.name,
    post(message) {
      try {
        port.postMessage(message);
      } catch {
        // The other side went away; its onDisconnect cleans up.
      }
    },
    onMessage: (listener) => port.onMessage.addListener((message: unknown) => listener(message)),
    onDisconnect: (listener) => port.onDisconnect.addListener(() => listener()),
    disconnect: () => port.disconnect(),
  };
}

export function onConnect(name: string, listener: (port: Port) => void): void {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === name) listener(wrapPort(port));
  });
}

export function connect(name: string): Port {
  return wrapPort(browser.runtime.connect({ name }));
}
