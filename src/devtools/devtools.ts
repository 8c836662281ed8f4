/**
 * The devtools page: creates the panel, and — whether or not our panel is the
 * one on screen — forwards token response bodies to the worker, since Chrome's
 * webRequest never shows them.
 */
import { createPanel, inspectedTabId, onRequestFinished } from '../platform/devtools.ts';
import { sendMessage } from '../platform/messaging.ts';
import { RESPONSE_BODY_MESSAGE, type ResponseBodyMessage } from '../background/protocol.ts';
import { looksLikeTokenRequest } from './token-request.ts';

void createPanel('OAuth Lens', 'icons/icon-32.png', 'src/panel/panel.html');

const tabId = inspectedTabId();

onRequestFinished((request) => {
  if (!looksLikeTokenRequest(request.method, request.requestBodyText)) return;
  void request.getContent().then((body) => {
    if (body === undefined) return;
    const message: ResponseBodyMessage = {
      type: RESPONSE_BODY_MESSAGE,
      tabId,
      url: request.url,
      method: request.method,
      status: request.status,
      startedAt: request.startedAt,
      body,
      ...(request.mimeType ? { mimeType: request.mimeType } : {}),
    };
    return sendMessage(message);
  });
});
