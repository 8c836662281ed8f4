import { describe, expect, it } from 'vitest';
import {
  ATTACH_IDLE_MS,
  AttachPolicy,
  NAVIGATION_GRACE_MS,
  RETRY_HELD_MS,
  SITE_MEMORY_MS,
  triggerOf,
  type OAuthRequest,
} from '../../src/background/attach-policy.ts';

const APP = 'https://app.example.test';
const AS = 'https://as.example.test';
const T0 = 1_800_000_000_000;

const authorize: OAuthRequest = {
  tabId: 7,
  method: 'GET',
  url: `${AS}/auth?response_type=code&client_id=spa&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&state=s1`,
  initiator: APP,
};
const tokenPost = (tabId: number): OAuthRequest => ({
  tabId,
  method: 'POST',
  url: `${AS}/token`,
  initiator: APP,
  requestBody: { formData: { grant_type: ['authorization_code'], code: ['c0de-c0de'] } },
});

function granted(): AttachPolicy {
  const policy = new AttachPolicy();
  policy.granted = true;
  return policy;
}

describe('triggerOf: which request starts OAuth activity in a tab', () => {
  it.each([
    { description: 'authorization request', request: authorize, expected: 'authorization' },
    { description: 'GitHub-style authorization request (no response_type)', request: { ...authorize, url: `${AS}/login/oauth/authorize?client_id=x&redirect_uri=${APP}/cb&state=s` }, expected: 'authorization' },
    { description: 'PAR-based authorization request', request: { ...authorize, url: `${AS}/auth?client_id=x&request_uri=urn:x` }, expected: 'authorization' },
    { description: 'token request (form)', request: tokenPost(7), expected: 'token' },
    { description: 'token request (raw JSON body)', request: { ...tokenPost(7), requestBody: { text: '{"grant_type":"refresh_token","refresh_token":"r"}' } }, expected: 'token' },
    { description: 'GitHub-style token request (no grant_type)', request: { ...tokenPost(7), requestBody: { formData: { client_id: ['gh'], code: ['abc'] } } }, expected: 'token' },
    { description: 'PAR', request: { ...tokenPost(7), url: `${AS}/par`, requestBody: { formData: { client_id: ['spa'], response_type: ['code'] } } }, expected: 'par' },
    { description: 'discovery fetch', request: { ...authorize, url: `${AS}/.well-known/openid-configuration` }, expected: 'metadata' },
    { description: 'a page with ?state= only', request: { ...authorize, url: `${APP}/list?state=open` }, expected: undefined },
    { description: 'a callback (a later leg, not a trigger)', request: { ...authorize, url: `${APP}/cb?code=abc&state=s1` }, expected: undefined },
    { description: 'a GET whose query says grant_type', request: { ...authorize, url: `${APP}/x?grant_type=password` }, expected: undefined },
    { description: 'an image', request: { ...authorize, url: `${APP}/logo.png` }, expected: undefined },
  ])('$description', ({ request, expected }) => {
    expect(triggerOf(request)).toBe(expected);
  });
});

describe('AttachPolicy', () => {
  it('never attaches without the permission, nor for traffic that is not OAuth', () => {
    const policy = new AttachPolicy();
    expect(policy.request(authorize, T0)).toBe(false);
    expect(policy.status(7, T0)).toBe('no-permission');
    const withPermission = granted();
    for (let i = 0; i < 500; i++) {
      expect(withPermission.request({ tabId: 9, method: 'GET', url: `${APP}/asset-${i}.js?state=${i}`, initiator: APP }, T0 + i)).toBe(false);
    }
    expect(withPermission.navigation(9, `${APP}/`, T0)).toBe(false);
    expect(withPermission.state.sites).toEqual({});
  });

  it('attaches on the first OAuth leg, once', () => {
    const policy = granted();
    expect(policy.request(authorize, T0)).toBe(true);
    policy.attached(7, T0);
    expect(policy.request(tokenPost(7), T0 + 10)).toBe(false);
    expect(policy.status(7, T0)).toBe('reading');
  });

  it('remembers the client, redirect and AS sites, and attaches a later navigation to them before the login starts', () => {
    const policy = granted();
    policy.request(authorize, T0);
    expect(Object.keys(policy.state.sites).sort()).toEqual([APP, AS]);
    // Another tab (or the same one after detaching) opens the app: attach before its page loads.
    expect(policy.navigation(8, `${APP}/`, T0 + 1_000)).toBe(true);
    expect(policy.navigation(8, 'https://news.example.test/', T0 + 1_000)).toBe(false);
    expect(policy.navigation(8, `${APP}/`, T0 + SITE_MEMORY_MS + 1)).toBe(false);
  });

  it('stays while the flows go on, and lets go when they stop', () => {
    const policy = granted();
    policy.request(authorize, T0);
    policy.attached(7, T0);
    policy.request(tokenPost(7), T0 + ATTACH_IDLE_MS - 1);
    expect(policy.idleTabs(T0 + ATTACH_IDLE_MS + 10)).toEqual([]);
    // A later leg on the flow's sites (an API call with the token) counts too.
    policy.request({ tabId: 7, method: 'GET', url: `${APP}/api/me?access_token=x`, initiator: APP }, T0 + 2 * ATTACH_IDLE_MS - 2);
    expect(policy.idleTabs(T0 + 2 * ATTACH_IDLE_MS)).toEqual([]);
    expect(policy.idleTabs(T0 + 3 * ATTACH_IDLE_MS)).toEqual([7]);
  });

  it('lets go soon of a tab attached on navigation where no flow came', () => {
    const policy = granted();
    policy.request(authorize, T0);
    policy.attached(8, T0 + 10);
    expect(policy.idleTabs(T0 + NAVIGATION_GRACE_MS)).toEqual([]);
    expect(policy.idleTabs(T0 + NAVIGATION_GRACE_MS + 11)).toEqual([8]);
  });

  it('retries a tab another debugger holds, not at once, and says why meanwhile', () => {
    const policy = granted();
    expect(policy.request(authorize, T0)).toBe(true);
    policy.attachFailed(7, 'Error: Another debugger is already attached to the tab with id: 7.', T0);
    expect(policy.status(7, T0 + 1)).toBe('held-by-other');
    expect(policy.request(authorize, T0 + 1)).toBe(false);
    expect(policy.navigation(7, `${APP}/`, T0 + RETRY_HELD_MS)).toBe(true);
  });

  it('a failure for another reason (a chrome:// page) is not remembered as held', () => {
    const policy = granted();
    policy.attachFailed(7, 'Error: Cannot access a chrome:// URL', T0);
    expect(policy.status(7, T0)).toBe('not-attached');
  });

  it('stops everywhere when the user closes the debugging bar, until they resume', () => {
    const policy = granted();
    policy.request(authorize, T0);
    policy.attached(7, T0);
    policy.attached(8, T0);
    policy.detached(7, 'canceled_by_user');
    expect(policy.attachedTabs()).toEqual([]);
    expect(policy.status(8, T0)).toBe('paused');
    expect(policy.request({ ...authorize, tabId: 9 }, T0 + 1)).toBe(false);
    expect(policy.navigation(9, `${APP}/`, T0 + 1)).toBe(false);
    policy.resume();
    expect(policy.navigation(9, `${APP}/`, T0 + 2)).toBe(true);
  });

  it('a closed tab is forgotten; service-worker requests (tab -1) never attach', () => {
    const policy = granted();
    expect(policy.request(tokenPost(-1), T0)).toBe(false);
    expect(Object.keys(policy.state.sites)).toContain(AS);
    policy.attached(7, T0);
    policy.detached(7, 'target_closed');
    expect(policy.state.tabs).toEqual({});
  });

  it('after a worker restart, attaches again where a flow was under way (state is plain data)', () => {
    const before = granted();
    before.request(authorize, T0);
    before.attached(7, T0);
    before.request(tokenPost(7), T0 + 5);
    before.attached(8, T0 - 2 * ATTACH_IDLE_MS);
    const restarted = new AttachPolicy(structuredClone(before.state));
    restarted.granted = true;
    expect(restarted.toRestore(T0 + 1_000, [])).toEqual([7]);
    // Still attached (the browser kept the session): nothing to do.
    const kept = new AttachPolicy(structuredClone(before.state));
    kept.granted = true;
    expect(kept.toRestore(T0 + 1_000, [7])).toEqual([]);
  });
});
