// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/core/checks/catalogue.ts';
import { FindingCard } from '../../src/panel/components/FindingCard.tsx';
import { FlowDetail } from '../../src/panel/components/FlowDetail.tsx';
import { explainCheck, hasExplanation, referenceLinks } from '../../src/panel/explain/index.ts';
import { codeFlow, finding, T0 } from './fixtures.ts';

afterEach(cleanup);

describe('finding', () => {
  const flow = codeFlow();
  const auth = flow.legs[0]!;
  const f = {
    ...finding('state.weak', flow, 'medium', 'state "1234" is short and sequential', [{ requestId: auth.id, where: 'url.query.state', excerpt: '1234' }]),
    reference: 'RFC 6749 §10.10, §10.12',
    expected: '≥ 128 bits of randomness',
    actual: '4 digits',
  };

  it('carries its check id as data-check, with severity, message and highlighted evidence', () => {
    render(<FindingCard finding={f} />);
    const card = document.querySelector('[data-check="state.weak"]')!;
    expect(card.getAttribute('data-severity')).toBe('medium');
    expect(card.textContent).toContain('state "1234" is short and sequential');
    expect(card.querySelector('mark')!.textContent).toBe('1234');
    expect(card.querySelector('.where')!.textContent).toBe('url.query.state');
    expect(card.textContent).toContain('4 digits');
  });

  it('teaches: why it matters, how to fix, and links the RFC sections', () => {
    render(<FindingCard finding={f} />);
    expect(screen.getByText('Why it matters').nextElementSibling!.textContent).toBe(explainCheck('state.weak').why);
    expect(screen.getByText('How to fix').nextElementSibling!.textContent).toContain('cryptographic random');
    const links = [...document.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]);
    expect(links).toEqual([
      ['RFC 6749 §10.10', 'https://www.rfc-editor.org/rfc/rfc6749#section-10.10', 'noopener noreferrer'],
      ['RFC 6749 §10.12', 'https://www.rfc-editor.org/rfc/rfc6749#section-10.12', 'noopener noreferrer'],
    ]);
  });

  it('shows the leg its evidence came from', () => {
    const tokenFinding = finding('leak.token-cacheable', flow, 'medium', 'no no-store', [{ requestId: flow.legs[2]!.id, where: 'header.cache-control', excerpt: 'private' }]);
    render(<FlowDetail flow={flow} findings={[tokenFinding]} notEvaluated={[]} now={T0} />);
    fireEvent.click(screen.getByRole('button', { name: 'show leg' }));
    expect(document.querySelector('[data-leg]')!.getAttribute('data-leg')).toBe(flow.legs[2]!.id);
  });

  it('has teaching text for every check in the catalogue', () => {
    const missing = CATALOGUE.map((c) => c.id).filter((id) => !hasExplanation(id));
    expect(missing).toEqual([]);
    for (const c of CATALOGUE) {
      const text = explainCheck(c.id);
      const sentences = text.why.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length, c.id).toBeGreaterThanOrEqual(2);
      expect(sentences.length, c.id).toBeLessThanOrEqual(3);
      expect(referenceLinks(c.reference).length, c.id).toBeGreaterThan(0);
    }
  });
});

describe('reference links', () => {
  const table = [
    { input: 'RFC 9700 §2.1.1; RFC 7636 §1', expected: ['https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1', 'https://www.rfc-editor.org/rfc/rfc7636#section-1'] },
    { input: 'OIDC §3.1.3.7 (2)', expected: ['https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation'] },
    { input: 'RFC 8414 §3.3; OIDC Discovery §4.3', expected: ['https://www.rfc-editor.org/rfc/rfc8414#section-3.3', 'https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation'] },
    { input: 'BBA §8; RFC 9700 §4.15', expected: ['https://www.rfc-editor.org/rfc/rfc10017#section-8', 'https://www.rfc-editor.org/rfc/rfc9700#section-4.15'] },
    { input: 'JARM §4.4', expected: ['https://openid.net/specs/oauth-v2-jarm-final.html#section-4.4'] },
    { input: 'RFC 9126 §2.2; FAPI 2.0 SP §5.3.2.2', expected: ['https://www.rfc-editor.org/rfc/rfc9126#section-2.2', 'https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2.2'] },
    { input: 'OIDC RP-Initiated Logout 1.0 §2, §4', expected: ['https://openid.net/specs/openid-connect-rpinitiated-1_0.html#rfc.section.2', 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html#rfc.section.4'] },
    { input: 'BBA §6.1 (BFF); RFC 6265bis §4.1.3', expected: ['https://www.rfc-editor.org/rfc/rfc10017#section-6.1', 'https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3'] },
    { input: 'javascript:alert(1) §1', expected: [] },
  ];
  for (const row of table) {
    it(`links ${row.input}`, () => {
      expect(referenceLinks(row.input).map((l) => l.href)).toEqual(row.expected);
    });
  }
});
