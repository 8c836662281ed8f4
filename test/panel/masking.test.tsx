// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CurlCopy } from '../../src/panel/components/CurlCopy.tsx';
import { LegDetail } from '../../src/panel/components/LegDetail.tsx';
import { SecretValue } from '../../src/panel/components/SecretValue.tsx';
import { shellQuote, toCurl } from '../../src/panel/curl.ts';
import { eventsToHar } from '../../src/panel/har-export.ts';
import { codeFlow, event, T0, VERIFIER } from './fixtures.ts';

afterEach(cleanup);

describe('masking and reveal', () => {
  it('masks a secret until its own toggle reveals it, and hides it again', () => {
    render(<SecretValue value="SplxlOBeZQQYbYS6WxSbIA" secret label="code" />);
    expect(document.querySelector('.value')!.textContent).toBe('Spl…bIA');
    const toggle = screen.getByRole('button', { name: 'Reveal code' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(document.querySelector('.value')!.textContent).toBe('SplxlOBeZQQYbYS6WxSbIA');
    fireEvent.click(screen.getByRole('button', { name: 'Hide code' }));
    expect(document.querySelector('.value')!.textContent).toBe('Spl…bIA');
  });

  it('masks code, verifier, tokens and the secret parts of URLs in a leg; each value has its own toggle', () => {
    const flow = codeFlow();
    render(<LegDetail flow={flow} leg={flow.legs[2]!} findings={[]} notEvaluated={[]} now={T0} />);
    const detail = document.querySelector('.leg-detail')!;
    const text = detail.textContent!;
    for (const secret of [VERIFIER, 'SplxlOBeZQQYbYS6WxSbIA', 'SlAV32hkKGaccessTokenValue1234', 'tGzv3JOkF0XG5Qx2TlKWIA']) expect(text).not.toContain(secret);
    const verifierRow = detail.querySelector('tr[data-param="code_verifier"]') as HTMLElement;
    fireEvent.click(within(verifierRow).getByRole('button', { name: 'Reveal code_verifier' }));
    expect(verifierRow.textContent).toContain(VERIFIER);
    expect(detail.querySelector('tr[data-param="code"]')!.textContent).not.toContain('SplxlOBeZQQYbYS6WxSbIA');
    expect(detail.querySelector('tr[data-param="client_id"]')!.textContent).toContain('spa-client');
  });

  it('copies a leg as cURL, masked unless "include secrets" is ticked', () => {
    const flow = codeFlow();
    const e = flow.legs[2]!.event;
    render(<CurlCopy event={e} />);
    const pre = () => document.querySelector('.curl-text')!.textContent!;
    expect(pre()).toMatch(/^curl -X 'POST' 'https:\/\/as\.example\/token'/);
    expect(pre()).not.toContain(VERIFIER);
    expect(pre()).toContain('grant_type=authorization_code');
    fireEvent.click(screen.getByLabelText(/include secrets/));
    expect(pre()).toContain(VERIFIER);
  });

  it('quotes cURL arguments so nothing from traffic is interpreted by the shell', () => {
    expect(shellQuote("a'b $(rm -rf /) `x`")).toBe(`'a'\\''b $(rm -rf /) \`x\`'`);
    const e = event("GET https://as.example/authorize?state=';id;$(id)'", { requestHeaders: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } });
    const cmd = toCurl(e);
    expect(cmd).toContain(`'Authorization: Bearer abcd…wxyz'`);
    expect(cmd).toContain(`state='\\'';id;$(id)'\\'''`);
  });

  it('exports HAR masked by default: no secret of the capture survives anywhere in it', () => {
    const flow = codeFlow();
    const events = flow.legs.map((l) => l.event);
    const masked = JSON.stringify(eventsToHar(events));
    for (const secret of [VERIFIER, 'SplxlOBeZQQYbYS6WxSbIA', 'SlAV32hkKGaccessTokenValue1234', 'tGzv3JOkF0XG5Qx2TlKWIA']) expect(masked).not.toContain(secret);
    expect(masked).toContain('spa-client');
    const revealed = JSON.stringify(eventsToHar(events, true));
    expect(revealed).toContain(VERIFIER);
  });
});
