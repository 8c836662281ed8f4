import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/checks/context.ts';
import { tokenChecks } from '../../../src/core/checks/token.ts';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const OTHER_VERIFIER = 'x'.repeat(43);
const Y_VERIFIER = 'y'.repeat(43);
const Y_CHALLENGE = createHash('sha256').update(Y_VERIFIER).digest('base64url');
const CB = 'https%3A%2F%2Fapp.test%2Fcb';

function authorize(extra: string, state = 'st-0123456789abcdef', code = 'c1'): string {
  return `GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${CB}&state=${state}${extra} -> 302 https://app.test/cb?code=${code}&state=${state}
    GET https://app.test/cb?code=${code}&state=${state} -> 200`;
}

async function run(events: RequestEvent[]) {
  return tokenChecks.run(createContext(analyze(events)));
}

interface Row {
  description: string;
  capture: RequestEvent[];
  expected: Array<[string, string?]>;
  notEvaluated?: string[];
}

const S256 = `&code_challenge=${CHALLENGE}&code_challenge_method=S256`;
const TOKENS = '{"access_token":"at-1","token_type":"Bearer","expires_in":3600}';

const rows: Row[] = [
  {
    description: 'a clean code + S256 flow gives nothing',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&redirect_uri=${CB}&code_verifier=${VERIFIER} -> 200 ${TOKENS}
    `,
    expected: [],
  },
  {
    description: 'verifier missing and tokens issued: critical',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&redirect_uri=${CB} -> 200 ${TOKENS}
    `,
    expected: [['pkce.verifier-missing', 'critical']],
  },
  {
    description: 'verifier missing, server refused: high',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app -> 400 {"error":"invalid_grant"}
    `,
    expected: [['pkce.verifier-missing', 'high']],
  },
  {
    description: 'verifier missing, response body not captured: base severity',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app -> 200
    `,
    expected: [['pkce.verifier-missing', 'high']],
  },
  {
    description: 'server-side exchange: verifier-missing is not evaluated, never raised',
    capture: capture`
      ${authorize(S256)}
    `,
    expected: [],
    notEvaluated: ['pkce.verifier-missing', 'pkce.mismatch'],
  },
  {
    description: 'a short verifier is malformed (and S256 of it still matches its challenge)',
    capture: capture`
      ${authorize('&code_challenge=abc&code_challenge_method=plain')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=abc -> 200 ${TOKENS}
    `,
    expected: [['pkce.verifier-malformed', 'medium']],
  },
  {
    description: 'a verifier with a forbidden character is malformed',
    capture: capture`
      ${authorize('&code_challenge=abc&code_challenge_method=plain')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${'a'.repeat(42)}%2B -> 400 {"error":"invalid_grant"}
    `,
    expected: [['pkce.verifier-malformed'], ['pkce.mismatch', 'high']],
  },
  {
    description: 'S256 mismatch with tokens issued: critical',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${OTHER_VERIFIER} -> 200 ${TOKENS}
    `,
    expected: [['pkce.mismatch', 'critical']],
  },
  {
    description: 'S256 mismatch, body not captured: high',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${OTHER_VERIFIER} -> 200
    `,
    expected: [['pkce.mismatch', 'high']],
  },
  {
    description: 'a hex-encoded S256 challenge is a mismatch, and the message says why',
    capture: capture`
      ${authorize(`&code_challenge=${createHash('sha256').update(VERIFIER).digest('hex')}&code_challenge_method=S256`)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 400 {"error":"invalid_grant"}
    `,
    expected: [['pkce.mismatch', 'high']],
  },
  {
    description: 'plain: the verifier equals the challenge',
    capture: capture`
      ${authorize(`&code_challenge=${VERIFIER}&code_challenge_method=plain`)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 ${TOKENS}
    `,
    expected: [],
  },
  {
    description: 'PAR: the challenge pushed in the PAR body is the one compared',
    capture: capture`
      POST https://as.test/par response_type=code&client_id=app&state=st-0123456789abcdef&redirect_uri=${CB}&code_challenge=${CHALLENGE}&code_challenge_method=S256 -> 201 {"request_uri":"urn:ietf:params:oauth:request_uri:r1","expires_in":60}
      GET https://as.test/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ar1 -> 302 https://app.test/cb?code=c1&state=st-0123456789abcdef
      GET https://app.test/cb?code=c1&state=st-0123456789abcdef -> 200
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${OTHER_VERIFIER} -> 200 ${TOKENS}
    `,
    expected: [['pkce.mismatch', 'critical']],
  },
  {
    description: 'downgrade: no challenge, a verifier, tokens issued',
    capture: capture`
      ${authorize('')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 ${TOKENS}
    `,
    expected: [['pkce.downgrade-accepted', 'critical']],
  },
  {
    description: 'no downgrade when the server refused the verifier',
    capture: capture`
      ${authorize('')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 400 {"error":"invalid_grant"}
    `,
    expected: [],
  },
  {
    description: 'downgrade with the response unseen is not evaluated',
    capture: capture`
      ${authorize('')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200
    `,
    expected: [],
    notEvaluated: ['pkce.downgrade-accepted'],
  },
  {
    description: 'the same verifier in two flows',
    capture: capture`
      ${authorize(S256, 'st-aaaaaaaaaaaaaaaa', 'c1')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 ${TOKENS}
      ${authorize(S256, 'st-bbbbbbbbbbbbbbbb', 'c2')}
      POST https://as.test/token grant_type=authorization_code&code=c2&client_id=app&code_verifier=${VERIFIER} -> 200 {"access_token":"at-2"}
    `,
    expected: [['pkce.verifier-reused', 'medium']],
  },
  {
    description: 'two flows with fresh verifiers are not reuse',
    capture: capture`
      ${authorize(S256, 'st-aaaaaaaaaaaaaaaa', 'c1')}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 ${TOKENS}
      ${authorize(`&code_challenge=${Y_CHALLENGE}&code_challenge_method=S256`, 'st-bbbbbbbbbbbbbbbb', 'c2')}
      POST https://as.test/token grant_type=authorization_code&code=c2&client_id=app&code_verifier=${Y_VERIFIER} -> 200 {"access_token":"at-2"}
    `,
    expected: [],
  },
  {
    description: 'a public client refreshed and got the same refresh token',
    capture: capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 {"access_token":"at-1","refresh_token":"rt-1"}
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"at-2","refresh_token":"rt-1"}
    `,
    expected: [['refresh.not-rotated', 'medium']],
  },
  {
    description: 'a public client refreshed and got no refresh token back',
    capture: capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"at-2"}
    `,
    expected: [['refresh.not-rotated']],
  },
  {
    description: 'a rotated refresh token is fine',
    capture: capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"at-2","refresh_token":"rt-2"}
    `,
    expected: [],
  },
  {
    description: 'a confidential client need not rotate',
    capture: capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app&client_secret=s3cret -> 200 {"access_token":"at-2"}
    `,
    expected: [],
  },
  {
    description: 'a DPoP-bound refresh need not rotate',
    capture: capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"at-2","token_type":"DPoP"}
        > DPoP: eyJhbGciOiJFUzI1NiJ9.e30.sig
    `,
    expected: [],
  },
  {
    description: 'refresh with the response unseen is not evaluated',
    capture: capture`
      POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200
    `,
    expected: [],
    notEvaluated: ['refresh.not-rotated'],
  },
];

describe('token checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const result = await run(row.capture);
      const got = result.findings.map((f) => [f.check, f.severity]);
      expect(got.map(([id]) => id)).toEqual(row.expected.map(([id]) => id));
      row.expected.forEach(([, severity], i) => {
        if (severity) expect(got[i]?.[1]).toBe(severity);
      });
      if (row.notEvaluated) expect(result.notEvaluated.map((n) => n.check)).toEqual(row.notEvaluated);
    });
  }

  it('masks the verifier in evidence and names the values in the message', async () => {
    const result = await run(capture`
      ${authorize(S256)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${OTHER_VERIFIER} -> 200 ${TOKENS}
    `);
    const [mismatch] = result.findings;
    expect(mismatch?.message).toContain(CHALLENGE);
    expect(JSON.stringify(mismatch?.evidence)).not.toContain(OTHER_VERIFIER);
    expect(mismatch?.evidence.map((e) => e.where)).toEqual(['url.query.code_challenge', 'body.code_verifier']);
  });

  it('says when a challenge is the hash in hex', async () => {
    const result = await run(capture`
      ${authorize(`&code_challenge=${createHash('sha256').update(VERIFIER).digest('hex')}&code_challenge_method=S256`)}
      POST https://as.test/token grant_type=authorization_code&code=c1&client_id=app&code_verifier=${VERIFIER} -> 200 ${TOKENS}
    `);
    expect(result.findings.map((f) => [f.check, f.severity])).toEqual([['pkce.mismatch', 'critical']]);
    expect(result.findings[0]?.message).toContain('written in hex instead of base64url');
  });
});
