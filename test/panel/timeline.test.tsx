// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { timelineRows } from '../../src/panel/timeline-model.ts';
import { codeFlow, finding, result, serverSideFlow, T0 } from './fixtures.ts';

afterEach(cleanup);

describe('timeline', () => {
  it('draws each leg as an arrow between lanes, labelled with what travelled', () => {
    const flow = codeFlow();
    const rows = timelineRows(flow, []);
    expect(rows.map((r) => [r.request.label, r.request.from, r.request.to])).toEqual([
      ['Authorization request', 'browser', 'as'],
      ['Callback to redirect_uri', 'browser', 'client'],
      ['Token request', 'client', 'as'],
    ]);
    expect(rows[0]!.request.detail).toContain('PKCE S256');
    expect(rows[0]!.response).toMatchObject({ from: 'as', to: 'browser', label: '302 redirect' });
    expect(rows[2]!.response?.label).toBe('200 access_token, id_token, refresh_token');
  });

  it('pins warnings to the leg they concern', () => {
    const flow = codeFlow();
    const tokenLeg = flow.legs[2]!;
    const f = finding('leak.token-cacheable', flow, 'medium', 'no no-store', [{ requestId: tokenLeg.id, where: 'header.cache-control', excerpt: 'private' }]);
    render(<FlowDetail flow={flow} findings={[f]} notEvaluated={[]} now={T0} />);
    const legs = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-leg-id'));
    expect(legs).toHaveLength(3);
    expect(within(legs[2]!).getByText('medium · leak.token-cacheable')).toBeTruthy();
    expect(within(legs[0]!).queryByText(/leak.token-cacheable/)).toBeNull();
  });

  it('draws a server-side token exchange as a dashed leg instead of leaving it out', () => {
    const flow = serverSideFlow();
    render(<FlowDetail flow={flow} findings={[]} notEvaluated={[]} now={T0} />);
    const unseen = document.querySelector('[data-unseen="true"]')!;
    expect(unseen).toBeTruthy();
    expect(unseen.textContent).toContain('Token request (server-side, not observable)');
    expect(unseen.querySelector('.arrow.dashed')).toBeTruthy();
    expect(within(unseen as HTMLElement).getByRole('button').hasAttribute('disabled')).toBe(true);
    expect(screen.getAllByText('token exchange not observable: server-side client').length).toBeGreaterThan(0);
  });

  it('shows the selected leg with its decoded parameters', () => {
    const flow = codeFlow();
    render(<FlowDetail flow={flow} findings={[]} notEvaluated={[]} now={T0} />);
    expect(document.querySelector('[data-leg]')!.getAttribute('data-leg')).toBe(flow.legs[0]!.id);
    expect(document.querySelector('tr[data-param="code_challenge_method"]')!.textContent).toContain('S256');
    fireEvent.click(screen.getByRole('button', { name: /^Token request/ }));
    expect(document.querySelector('[data-leg]')!.getAttribute('data-leg')).toBe(flow.legs[2]!.id);
    expect(document.querySelector('tr[data-param="grant_type"]')!.textContent).toContain('authorization_code');
  });

  it('explains how the flow works and marks which steps are on screen', () => {
    render(<FlowDetail flow={codeFlow()} findings={[]} notEvaluated={[]} now={T0} />);
    const explainer = document.querySelector('.explainer')!;
    expect(explainer.textContent).toContain('Authorization code flow with PKCE');
    expect(explainer.querySelectorAll('li.seen').length).toBe(3);
    expect(explainer.querySelector('a')!.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1');
  });

  it('lists the checks the engine could not evaluate', () => {
    const flow = codeFlow();
    const r = result([flow], [], [{ check: 'jwt.signature-invalid', flowId: flow.id, reason: 'no JWKS in the capture' }]);
    render(<FlowDetail flow={flow} findings={[]} notEvaluated={r.notEvaluated} now={T0} />);
    expect(document.querySelector('[data-not-evaluated="jwt.signature-invalid"]')!.textContent).toContain('no JWKS in the capture');
  });
});

describe('pinning across a redirect chain', () => {
  it('pins a warning to the hop it names, not to every hop sharing the browser requestId', () => {
    const flow = codeFlow();
    // The callback is hop 1 of the authorization request's redirect chain.
    const [auth, cb] = flow.legs;
    cb!.event.requestId = auth!.event.requestId;
    cb!.event.hop = 1;
    const f = finding('state.weak', flow, 'medium', 'weak', [{ requestId: auth!.id, where: 'url.query.state', excerpt: 'x' }]);
    const rows = timelineRows(flow, [f]);
    expect(rows.map((r) => r.findings.length)).toEqual([1, 0, 0]);
  });
});

describe('warnings about the flow as a whole', () => {
  it('pins a warning whose evidence is on no leg (a tracker that got the Referer) above the legs, and focuses its card on click', () => {
    const flow = codeFlow();
    const f = finding('leak.referrer', flow, 'critical', 'code in Referer', [{ requestId: 'pixel-1', where: 'header.referer', excerpt: 'https://app.example/cb?code=Spl…bIA' }]);
    render(<FlowDetail flow={flow} findings={[f]} notEvaluated={[]} now={T0} />);
    const pin = screen.getByRole('list', { name: 'Warnings about the flow as a whole' });
    fireEvent.click(within(pin).getByText('critical · leak.referrer'));
    expect(document.activeElement?.getAttribute('data-check')).toBe('leak.referrer');
    expect(screen.queryByRole('button', { name: 'show leg' })).toBeNull();
  });
});

describe('active checks', () => {
  it('are offered under the flow only inside the extension (the worker sends them)', async () => {
    const flow = codeFlow();
    const { unmount } = render(<FlowDetail flow={flow} findings={[]} notEvaluated={[]} now={T0} />);
    expect(screen.queryByRole('region', { name: 'Active checks' })).toBeNull();
    unmount();
    render(<FlowDetail flow={flow} findings={[]} notEvaluated={[]} now={T0} activeChecks />);
    expect(await screen.findByRole('region', { name: 'Active checks' })).toBeTruthy();
  });
});
