/** The ActiveClient of the extension pages: runtime messages to the worker, permissions through platform/. */
import { ACTIVE_PROGRESS_MESSAGE, ACTIVE_RUN_MESSAGE, ACTIVE_SEND_MESSAGE, type ActiveProgress, type ActiveRunResponse, type ActiveSendResponse } from '../../core/protocol/active.ts';
import { requestActivePermissions } from '../../platform/active/permissions.ts';
import { onMessage, sendMessage } from '../../platform/messaging.ts';
import type { ActiveClient } from './client.ts';

type Listener = (flowId: string, check: string, text: string) => void;
const listeners = new Set<Listener>();
let listening = false;

export function createExtensionClient(): ActiveClient {
  return {
    requestPermissions: () => requestActivePermissions(),
    async run(request) {
      return (await sendMessage<ActiveRunResponse>({ ...request, type: ACTIVE_RUN_MESSAGE })) ?? { ok: false, error: 'the extension’s worker did not answer' };
    },
    async send(request) {
      return (await sendMessage<ActiveSendResponse>({ ...request, type: ACTIVE_SEND_MESSAGE })) ?? { ok: false, error: 'the extension’s worker did not answer' };
    },
    onProgress(listener) {
      if (!listening) {
        listening = true;
        onMessage((message) => {
          const m = message as Partial<ActiveProgress>;
          if (m?.type === ACTIVE_PROGRESS_MESSAGE) for (const l of listeners) l(String(m.flowId), String(m.check), String(m.text));
          return undefined;
        });
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
