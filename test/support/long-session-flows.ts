/**
 * A complete authorization-code login with PKCE, as webRequest reports it:
 * the authorization request navigation, its 302 to the callback (code and
 * state), the callback page's own subresources (their Referer carries the
 * code), the token request (from the page, or from the site's service worker
 * with tabId -1), a userinfo call with the access token, and later a refresh.
 * Token responses arrive as the debugger reads them (Chrome, permission granted).
 */
import { RESPONSE_BODY_MESSAGE } from '../../src/core/protocol/worker-panel.ts';
import { request, waitTicks, type Actor, type Traffic } from './long-session-traffic.ts';

export interface FlowPlan {
  /** Flow number: picks its client and authorization server. */
  n: number;
  tabId: number;
  /** The token requests come from the site's service worker (tabId -1). */
  serviceWorkerToken: boolean;
  userinfo: boolean;
  /** Called with the refresh request, to run later in the session. */
  refreshLater?: (actor: Actor) => void;
}

/** The flow's state (how the test finds it again among the analysed flows), and its actor. */
export function oauthFlow(traffic: Traffic, plan: FlowPlan): { state: string; actor: Actor } {
  const app = `https://app${plan.n % 12}.example.test`;
  const as = `https://login${plan.n % 5}.example.test`;
  const clientId = `client-${plan.n % 12}`;
  const redirectUri = `${app}/callback`;
  const state = traffic.token(`st${plan.n}-`);
  const code = traffic.token(`code${plan.n}-`);
  const authorize = `${as}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    code_challenge: traffic.token('ch') + traffic.token(''),
    code_challenge_method: 'S256',
  })}`;
  const callback = `${redirectUri}?code=${code}&state=${state}`;
  const tokenTab = plan.serviceWorkerToken ? -1 : plan.tabId;

  function tokenRequest(form: Record<string, string>, response: Record<string, unknown>): Actor {
    const url = `${as}/token`;
    return request(traffic, {
      url,
      method: 'POST',
      type: 'xmlhttprequest',
      tabId: tokenTab,
      initiator: app,
      form,
      headers: [{ name: 'Origin', value: app }],
      body: (startedAt) => ({
        type: RESPONSE_BODY_MESSAGE,
        tabId: tokenTab,
        url,
        method: 'POST',
        status: 200,
        startedAt,
        requestBody: new URLSearchParams(form).toString(),
        body: JSON.stringify(response),
        mimeType: 'application/json',
      }),
    });
  }

  function* login(): Actor {
    const tabId = plan.tabId;
    yield* request(traffic, { url: authorize, tabId, type: 'main_frame', initiator: app, redirectTo: callback });
    // The callback page's own scripts and styles: same origin, so their Referer is the whole callback URL.
    for (const asset of ['app.js', 'app.css']) {
      yield* request(traffic, { url: `${app}/static/${asset}`, tabId, type: asset.endsWith('.js') ? 'script' : 'stylesheet', initiator: app, headers: [{ name: 'Referer', value: callback }] });
    }
    yield* waitTicks(traffic.int(20));
    const access = traffic.token('at-');
    const refresh = traffic.token('rt-');
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: traffic.token('v') + traffic.token('') };
    yield* tokenRequest(exchange, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh, scope: 'openid profile email' });
    if (plan.userinfo) {
      yield* waitTicks(traffic.int(20));
      yield* request(traffic, { url: `${as}/userinfo`, tabId, type: 'xmlhttprequest', initiator: app, headers: [{ name: 'Authorization', value: `Bearer ${access}` }] });
    }
    plan.refreshLater?.(tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId }, { access_token: traffic.token('at-'), token_type: 'Bearer', expires_in: 3600 }));
  }
  return { state, actor: login() };
}
