// @vitest-environment jsdom
/**
 * Traffic is attacker-controlled. Markup in parameters, claims, messages and
 * headers must show as text; nothing from traffic becomes a link or runs.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/panel/components/App.tsx';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { staticSource } from '../../src/panel/sources/static-source.ts';
import { event, finding, flow, jwt, leg, result, T0 } from './fixtures.ts';

const IMG = '<img src=x onerror="globalThis.__pwned=1">';
const SCRIPT = '<script>globalThis.__pwned=2</script>';
const JS_URL = 'javascript:globalThis.__pwned=3';

function hostileFlow() {
  const auth = event(`GET https://evil.example/authorize?response_type=code&client_id=${encodeURIComponent(SCRIPT)}&redirect_uri=${encodeURIComponent(JS_URL)}&state=${encodeURIComponent(IMG)}`, {
    status: 302,
    location: `${JS_URL}?error=access_denied&error_description=${encodeURIComponent(IMG)}`,
    responseHeaders: { Location: JS_URL, 'X-Note': IMG },
  });
  const cb = event(`GET https://app.example/cb?error=access_denied&error_description=${encodeURIComponent(IMG)}&state=x`);
  const idToken = jwt({ iss: JS_URL, sub: SCRIPT, name: IMG, website: JS_URL }, { alg: 'none', kid: IMG });
  const tok = event('POST https://evil.example/token', {
    type: 'fetch',
    form: { grant_type: 'authorization_code', code: IMG, redirect_uri: JS_URL },
    // JS_URL is not put in a secret role: a value held as a token is masked wherever it appears (issue 9).
    json: { access_token: 'at-hostile-0123456789', id_token: idToken, error_description: IMG },
  });
  const f = flow('authorization_code', [leg('authorization-request', auth), leg('callback', cb), leg('token-request', tok)], {
    issuer: JS_URL,
    clientId: SCRIPT,
    redirectUri: JS_URL,
  });
  f.observability.notes.push(IMG);
  const findings = [
    { ...finding('state.weak', f, 'medium', `state ${IMG} is odd`, [{ requestId: auth.id, where: `url.query.${IMG}`, excerpt: SCRIPT }]), expected: JS_URL, actual: IMG },
  ];
  return { f, findings };
}

function assertInert(container: Element) {
  expect(container.querySelector('img, script, iframe, object, embed')).toBeNull();
  expect(container.querySelector('[onerror], [onclick], [onload]')).toBeNull();
  for (const a of container.querySelectorAll('a')) {
    expect(a.getAttribute('href')).toMatch(/^https:\/\/(www\.rfc-editor\.org|openid\.net)\//);
  }
  expect(container.innerHTML).not.toContain('href="javascript:');
  expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
}

beforeEach(() => {
  delete (globalThis as { __pwned?: number }).__pwned;
});
afterEach(cleanup);

describe('hostile values', () => {
  it('renders markup from parameters, claims, headers and messages as text, on every leg', () => {
    const { f, findings } = hostileFlow();
    const { container } = render(<FlowDetail flow={f} findings={findings} notEvaluated={[]} now={T0} />);
    expect(container.textContent).toContain(IMG);
    expect(container.textContent).toContain(SCRIPT);
    assertInert(container);
    for (const button of screen.getAllByRole('button', { name: /request|Callback/ })) {
      fireEvent.click(button);
      for (const reveal of screen.queryAllByRole('button', { name: /^Reveal/ })) fireEvent.click(reveal);
      assertInert(container);
    }
    // The decoded ID token's claims, revealed, are still text.
    expect(container.querySelector('tr[data-claim="name"]')!.textContent).toContain(IMG);
    expect(container.querySelector('tr[data-claim="website"]')!.textContent).toContain(JS_URL);
  });

  it('shows a javascript: URL as text, never as a link, in the whole app', async () => {
    const { f, findings } = hostileFlow();
    const events = f.legs.map((l) => l.event);
    const { container } = render(<App source={staticSource('hostile', events)} auditFn={async () => result([f], findings)} now={T0} />);
    await screen.findByText(SCRIPT, { selector: '.flow-row .c' });
    expect(container.textContent).toContain(JS_URL);
    assertInert(container);
  });
});
