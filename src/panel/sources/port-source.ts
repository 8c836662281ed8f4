/**
 * The panel's only browser glue for events: a long-lived port to the worker
 * (`PANEL_PORT`), re-opened when the worker stops (MV3 workers are stopped
 * whenever the browser likes; see shared/TOOLCHAIN.md, "The MV3 worker lifecycle").
 */
import browser from 'webextension-polyfill';
import { PANEL_PORT, type PanelToWorker, type WorkerToPanel } from '../../background/protocol.ts';
import type { FlowSource, Snapshot } from '../flow-source.ts';

const RECONNECT_MS = 250;

export function portSource(tabId: number): FlowSource {
  const listeners = new Set<(s: Snapshot) => void>();
  let last: Snapshot | undefined;
  let port: browser.Runtime.Port | undefined;
  let closed = false;

  const send = (message: PanelToWorker) => port?.postMessage(message);

  function connect(): void {
    if (closed) return;
    port = browser.runtime.connect({ name: PANEL_PORT });
    port.onMessage.addListener((raw: unknown) => {
      const message = raw as WorkerToPanel;
      if (message?.type !== 'snapshot' || message.tabId !== tabId) return;
      last = { events: message.events, dropped: message.dropped };
      for (const l of listeners) l(last);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      setTimeout(connect, RECONNECT_MS);
    });
    send({ type: 'subscribe', tabId });
  }

  return {
    label: `tab ${tabId}`,
    live: true,
    subscribe(listener) {
      listeners.add(listener);
      if (!port) connect();
      else if (last) listener(last);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          closed = true;
          port?.disconnect();
        }
      };
    },
    clear() {
      send({ type: 'clear', tabId });
    },
  };
}
