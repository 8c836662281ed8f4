// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { JwtView } from '../../src/panel/components/JwtView.tsx';
import { LegDetail } from '../../src/panel/components/LegDetail.tsx';
import { jwtsInLeg, signatureStatus } from '../../src/panel/jwt.ts';
import { describeTimeClaim } from '../../src/panel/time-format.ts';
import { codeFlow, finding, jwt, T0 } from './fixtures.ts';

afterEach(cleanup);
const noProblem = { state: 'no-problem-reported', text: 'the engine reported no signature problem' } as const;

describe('JWT view', () => {
  const nowSec = Math.floor(T0 / 1000);
  const token = jwt({ iss: 'https://as.example', aud: 'spa', sub: 'alice', iat: nowSec - 600, exp: nowSec - 180, nonce: 'n1' });

  it('decodes header and payload and says when the token expired', () => {
    render(<JwtView where="response.id_token" token={token} signature={noProblem} now={T0} />);
    expect(document.querySelector('caption')!.textContent).toBe('Header');
    expect(document.querySelector('tr[data-claim="alg"]')!.textContent).toContain('RS256');
    expect(document.querySelector('tr[data-claim="sub"]')!.textContent).toContain('alice');
    expect(document.querySelector('tr[data-claim="exp"]')!.textContent).toContain('expired 3 min ago');
    expect(document.querySelector('tr[data-claim="iat"]')!.textContent).toContain('issued 10 min ago');
  });

  it('keeps the raw token masked until revealed', () => {
    render(<JwtView where="response.id_token" token={token} signature={noProblem} now={T0} />);
    const value = document.querySelector('.token [data-masked]')!;
    expect(value.getAttribute('data-masked')).toBe('true');
    expect(value.textContent).not.toContain(token);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal response.id_token token' }));
    expect(document.querySelector('.token [data-masked]')!.textContent).toBe(token);
  });

  it('reports an undecodable token instead of throwing', () => {
    render(<JwtView where="query.id_token" token="eyJub3Q.json.x" signature={noProblem} now={T0} />);
    expect(screen.getByText(/Could not decode/)).toBeTruthy();
  });

  it('repeats the engine on the signature, and never claims "valid" on its own', () => {
    const flow = codeFlow();
    const leg = flow.legs[2]!;
    const bad = finding('jwt.signature-invalid', flow, 'critical', 'bad sig', [{ requestId: leg.id, where: 'id_token.signature', excerpt: 'x' }]);
    expect(signatureStatus(leg.id, [bad], [], flow.id).state).toBe('invalid');
    expect(signatureStatus(leg.id, [], [{ check: 'jwt.signature-invalid', flowId: flow.id, reason: 'no JWKS' }], flow.id)).toEqual({
      state: 'not-evaluated',
      text: 'signature not evaluated: no JWKS',
    });
    render(<LegDetail flow={flow} leg={leg} findings={[bad]} notEvaluated={[]} now={T0} />);
    expect(document.querySelector('[data-signature]')!.getAttribute('data-signature')).toBe('invalid');
  });

  it('finds every JWT of a leg: response, parameters, bearer header', () => {
    const flow = codeFlow();
    const leg = { ...flow.legs[2]!, event: { ...flow.legs[2]!.event, requestHeaders: [{ name: 'Authorization', value: `Bearer ${token}` }] } };
    expect(jwtsInLeg(leg).map((j) => j.where)).toEqual(['response.id_token', 'header.authorization']);
  });

  const claims = [
    { claim: 'exp', at: -180, expected: 'expired 3 min ago' },
    { claim: 'exp', at: 3600, expected: 'expires in 1 h' },
    { claim: 'nbf', at: 30, expected: 'not valid yet (in 30 s)' },
    { claim: 'iat', at: 7200, expected: 'issued in the future (in 2 h)' },
    { claim: 'auth_time', at: -86400 * 3, expected: 'signed in 3 days ago' },
  ];
  for (const row of claims) {
    it(`describes ${row.claim} ${row.at}s from now as "${row.expected}"`, () => {
      expect(describeTimeClaim(row.claim, nowSec + row.at, T0)).toBe(row.expected);
    });
  }
});
