/**
 * A token endpoint's answer, decoded: tokens, an OAuth error (RFC 6749 §5.2),
 * a refusal because of the request's Origin, or something else — each said plainly.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { header, looksLikeFormBody, parseJsonObject, parseParamString } from '../oauth/params.ts';
import type { ReplayRequest, ReplayResponse, TokenReading } from './types.ts';

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

function decodeBody(response: ReplayResponse): Record<string, unknown> | undefined {
  const json = parseJsonObject(response.bodyText);
  if (json) return json;
  const type = header(response.headers, 'content-type') ?? '';
  if (/x-www-form-urlencoded/i.test(type) || looksLikeFormBody(response.bodyText.trim())) {
    const params = parseParamString(response.bodyText.trim());
    if (Object.keys(params).length > 0) return params;
  }
  return undefined;
}

/** Words servers use when they refuse a request for its Origin (oidc-provider: "origin X not allowed for client"). */
function looksLikeOriginRefusal(text: string): boolean {
  return /\borigin\b|\bcors\b|cross-origin|(chrome|moz)-extension:/i.test(text);
}

export function readTokenResponse(response: ReplayResponse, request?: ReplayRequest): TokenReading {
  if (response.networkError !== undefined) {
    return {
      outcome: 'network-error',
      status: 0,
      issued: [],
      plain: `No answer: the request failed before the server replied (${response.networkError}).`,
    };
  }
  const body = decodeBody(response);
  const issued = TOKEN_FIELDS.filter((name) => typeof body?.[name] === 'string' && (body[name] as string) !== '');
  const status = response.status;
  if (status >= 200 && status < 300 && issued.length > 0 && typeof body?.error !== 'string') {
    return { outcome: 'tokens', status, body: body ?? {}, issued: [...issued], plain: `The server issued tokens (${issued.join(', ')}).` };
  }
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const reading: TokenReading = { outcome: 'other', status, issued: [], plain: '' };
  if (body) reading.body = body;
  if (error !== undefined) reading.error = error;
  if (description !== undefined) reading.error_description = description;

  const refusalText = `${description ?? ''} ${error === undefined ? response.bodyText.slice(0, 500) : ''}`;
  if ((status === 400 || status === 401 || status === 403) && looksLikeOriginRefusal(refusalText) && error !== 'invalid_grant') {
    reading.outcome = 'origin-refused';
    const origin = request?.appOrigin;
    reading.plain = response.originSent
      ? `The server refused the request because of its Origin, although the inspector sent the app’s origin (${origin}). ${quote(error, description)}`
      : `The server refused the request because of its Origin: the browser sent the extension’s origin, not the app’s${origin ? ` (${origin})` : ''}. This says nothing about the check itself. ${quote(error, description)}`;
    return reading;
  }
  if (error !== undefined) {
    reading.outcome = 'oauth-error';
    reading.plain = `The server refused: ${quote(error, description)} (HTTP ${status}).`;
    return reading;
  }
  reading.plain =
    status >= 200 && status < 300
      ? `HTTP ${status}, but no token and no OAuth error in the answer.`
      : `HTTP ${status} without an OAuth error in the body${response.bodyText ? '' : ' (empty body)'}.`;
  return reading;
}

function quote(error: string | undefined, description: string | undefined): string {
  if (error === undefined) return description ?? '';
  return description ? `${error} — “${description}”` : error;
}
