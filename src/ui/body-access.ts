/**
 * The popup's and the panel's handle on Chrome's "Read token responses"
 * (the optional debugger permission): the worker says what it can read for a
 * tab; the permission request runs here, in the page, inside the user's click.
 */
import { BODY_RESUME_MESSAGE, BODY_STATUS_MESSAGE, type BodyStatus, type BodyStatusRequest } from '../core/protocol/worker-panel.ts';
import { canRequestPermissions, requestDebuggerPermission } from '../platform/debugger.ts';
import { openExtensionPage } from '../platform/tabs.ts';
import { sendMessage } from '../platform/messaging.ts';
import type { BodyAccess } from './ReadBodies.tsx';

export function bodyAccess(tabId: number): BodyAccess {
  return {
    async status() {
      const request: BodyStatusRequest = { type: BODY_STATUS_MESSAGE, tabId };
      return sendMessage<BodyStatus>(request);
    },
    request() {
      // A DevTools panel may lack the permissions API: the popup page, opened as a tab, asks instead.
      if (!canRequestPermissions()) return openExtensionPage(`src/popup/popup.html?tabId=${tabId}`).then(() => false);
      return requestDebuggerPermission();
    },
    async resume() {
      await sendMessage({ type: BODY_RESUME_MESSAGE });
    },
  };
}
