/**
 * How the panel talks to the worker about active checks. The components take
 * an `ActiveClient` so they render in tests without the extension; the real
 * one is loaded lazily (it pulls in the browser glue).
 */
import type { ActiveRunRequest, ActiveRunResponse, ActiveSendRequest, ActiveSendResponse } from '../../core/protocol/active.ts';

export interface ActiveClient {
  /** Asks for the optional permissions; call from the click handler (a user gesture). */
  requestPermissions(): Promise<boolean>;
  run(request: ActiveRunRequest): Promise<ActiveRunResponse>;
  send(request: ActiveSendRequest): Promise<ActiveSendResponse>;
  /** Progress lines of a running check; returns the unsubscribe. */
  onProgress(listener: (flowId: string, check: string, text: string) => void): () => void;
}

let real: Promise<ActiveClient> | undefined;

export function extensionClient(): Promise<ActiveClient> {
  real ??= import('./extension-client.ts').then((m) => m.createExtensionClient());
  return real;
}
