/**
 * A live tab: a long-lived port to the worker (`PANEL_PORT`), re-opened when
 * the worker stops (MV3 workers stop whenever the browser likes; see
 * shared/TOOLCHAIN.md, "The MV3 worker lifecycle"). The port itself comes from
 * src/platform, the only folder that touches the extension API.
 */
import { PANEL_PORT, type PanelToWorker, type WorkerToPanel } from '../../core/protocol/worker-panel.ts';
import { connect, type Port } from '../../platform/messaging.ts';
import type { FlowSource, Snapshot } from '../flow-source.ts';

const RECONNECT_MS = 250;

export function portSource(tabId: number, open: (name: string) => Port = connect): FlowSource {
  const listeners = new Set<(s: Snapshot) => void>();
  let last: Snapshot | undefined;
  let port: Port | undefined;
  let closed = false;

  const send = (message: PanelToWorker) => port?.post(message);

  function start(): void {
    if (closed) return;
    const current = open(PANEL_PORT);
    port = current;
    current.onMessage((raw) => {
      const message = raw as WorkerToPanel;
      if (message?.type !== 'snapshot' || message.tabId !== tabId) return;
      last = { events: message.events, dropped: message.dropped, ...(message.notice ? { notice: message.notice } : {}) };
      for (const l of listeners) l(last);
    });
    current.onDisconnect(() => {
      if (port === current) port = undefined;
      setTimeout(start, RECONNECT_MS);
    });
    send({ type: 'subscribe', tabId });
  }

  return {
    label: `tab ${tabId}`,
    live: true,
    subscribe(listener) {
      listeners.add(listener);
      closed = false;
      if (!port) start();
      else if (last) listener(last);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          closed = true;
          port?.disconnect();
          port = undefined;
        }
      };
    },
    clear() {
      last = { events: [], dropped: 0 };
      send({ type: 'clear', tabId });
      for (const l of listeners) l(last);
    },
  };
}
