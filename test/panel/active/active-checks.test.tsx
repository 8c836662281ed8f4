// @vitest-environment jsdom
/**
 * <ActiveChecks>: nothing is sent before the dialog's confirm button; the
 * dialog says exactly what will be sent, that the app's tokens may be
 * revoked, and to test only what one may; the verdict shows as such.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { Flow } from '../../../src/core/model.ts';
import { judgeCodeReuse, readTokenResponse } from '../../../src/core/replay/index.ts';
import { ActiveChecks } from '../../../src/panel/active/ActiveChecks.tsx';
import type { ActiveClient } from '../../../src/panel/active/client.ts';
import { capture } from '../../support/flow-builder.ts';

afterEach(cleanup);

const flow = analyze(capture`
  GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=s1&code_challenge=ch&code_challenge_method=S256 -> 302 https://app.test/cb?code=secretcode123&state=s1
  GET https://app.test/cb?code=secretcode123&state=s1 -> 200
  [fetch] POST https://as.test/token grant_type=authorization_code&code=secretcode123&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&client_id=app&code_verifier=v1 -> 200 {"access_token":"at1"}
    > Origin: https://app.test
`).flows[0] as Flow;

function fakeClient(): ActiveClient & { run: ReturnType<typeof vi.fn>; send: ReturnType<typeof vi.fn> } {
  const run = vi.fn(async ({ plan }) => {
    const response = { status: 200, headers: [], bodyText: '{"access_token":"again"}', sentAt: 1 };
    const step = { id: 'replay', label: 'replay', request: plan.steps[0].request, response, reading: readTokenResponse(response), eventId: 'lens-1' };
    return { ok: true as const, results: [judgeCodeReuse(flow, step, [])], events: [] };
  });
  const send = vi.fn(async ({ request }) => {
    const response = { status: 400, headers: [], bodyText: '{"error":"invalid_grant","error_description":"code is invalid"}', sentAt: 1 };
    return { ok: true as const, response, reading: readTokenResponse(response, request), event: {} as never };
  });
  return { requestPermissions: vi.fn(async () => true), run, send, onProgress: () => () => undefined };
}

describe('ActiveChecks', () => {
  it('lists the five checks; what cannot run says why', async () => {
    render(<ActiveChecks flow={flow} client={fakeClient()} />);
    await waitFor(() => expect(document.querySelectorAll('.active-list li[data-active-check]')).toHaveLength(5));
    // No refresh in this flow, and its tokens are Bearer tokens.
    expect(document.querySelector('li[data-active-check="refresh.reuse-accepted"] [data-unavailable]')?.textContent).toMatch(/did not refresh/);
    expect(document.querySelector('li[data-active-check="dpop.refresh-unbound"] [data-unavailable]')?.textContent).toMatch(/not DPoP-bound/);
  });

  it('Run… opens the dialog and sends nothing; confirm sends once; the finding shows', async () => {
    const client = fakeClient();
    render(<ActiveChecks flow={flow} client={client} />);
    await waitFor(() => expect(document.querySelector('li[data-active-check="code.reuse-accepted"] button')).toBeTruthy());
    fireEvent.click(document.querySelector('li[data-active-check="code.reuse-accepted"] button') as Element);
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toMatch(/Only test systems you are allowed to test/);
    expect(dialog.textContent).toMatch(/revoke the tokens the app holds/);
    expect(dialog.textContent).toMatch(/POST\s*https:\/\/as\.test\/token/);
    expect(dialog.textContent).toMatch(/https:\/\/app\.test/); // the Origin it will carry
    expect(dialog.textContent).not.toContain('secretcode123'); // masked until revealed
    expect(client.run).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('Cancel'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.run).not.toHaveBeenCalled();

    fireEvent.click(document.querySelector('li[data-active-check="code.reuse-accepted"] button') as Element);
    fireEvent.click((await screen.findByRole('dialog')).querySelector('[data-action="confirm"]') as Element);
    await waitFor(() => expect(document.querySelector('.active-result')?.getAttribute('data-verdict')).toBe('finding'));
    expect(client.run).toHaveBeenCalledTimes(1);
    expect(client.requestPermissions).toHaveBeenCalledTimes(1);
    expect(document.querySelector('.active-result .finding[data-check="code.reuse-accepted"]')).toBeTruthy();
  });

  it('the PKCE dialog shows the fresh code as a placeholder, the verifiers masked, and the new tab', async () => {
    render(<ActiveChecks flow={flow} client={fakeClient()} />);
    await waitFor(() => expect(document.querySelector('li[data-active-check="pkce.not-enforced"] button')).toBeTruthy());
    fireEvent.click(document.querySelector('li[data-active-check="pkce.not-enforced"] button') as Element);
    const dialog = await screen.findByRole('dialog');
    expect(dialog.querySelectorAll('ol.active-plan > li')).toHaveLength(5);
    expect(dialog.textContent).toContain('(the fresh code, caught in the new tab)');
    expect(dialog.textContent).toMatch(/in a new tab/);
    expect(dialog.textContent).toMatch(/Send 5 requests/);
  });

  it('a refused permission sends nothing and says so', async () => {
    const client = { ...fakeClient(), requestPermissions: vi.fn(async () => false) };
    render(<ActiveChecks flow={flow} client={client} />);
    await waitFor(() => expect(document.querySelector('li[data-active-check="code.reuse-accepted"] button')).toBeTruthy());
    fireEvent.click(document.querySelector('li[data-active-check="code.reuse-accepted"] button') as Element);
    fireEvent.click((await screen.findByRole('dialog')).querySelector('[data-action="confirm"]') as Element);
    await screen.findByRole('alert');
    expect(client.run).not.toHaveBeenCalled();
  });

  it('edit and resend: change a field, confirm, and read the decoded answer', async () => {
    const client = fakeClient();
    render(<ActiveChecks flow={flow} client={client} />);
    fireEvent.input(screen.getByLabelText('value of code'), { target: { value: 'made-up-code' } });
    fireEvent.click(screen.getByText('Send…'));
    expect(client.send).not.toHaveBeenCalled();
    const confirm = document.querySelector('.edit-resend [data-action="confirm"]') as Element;
    fireEvent.click(confirm);
    await waitFor(() => expect(document.querySelector('.edit-resend .active-answer')?.getAttribute('data-outcome')).toBe('oauth-error'));
    expect(client.send).toHaveBeenCalledTimes(1);
    expect(client.send.mock.calls[0]?.[0].request.fields).toContainEqual(['code', 'made-up-code']);
    expect(document.querySelector('.edit-resend')?.textContent).toMatch(/invalid_grant — “code is invalid”/);
  });
});
