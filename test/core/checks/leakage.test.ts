import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/flows/analyze.ts';
import { leakageChecks } from '../../../src/core/checks/leakage.ts';
import { createContext } from '../../../src/core/checks/context.ts';
import type { AuditOptions, CheckResult, RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';

const CH = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const V = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ST = 'af0ifjsldkjXk3Xa9wPq7r';
const CODE = 'SplxlOBeZQQYbYS6WxSbIA';
const AT = 'at-0123456789abcdef';
const RT = 'rt-fedcba9876543210';
const RU = 'https%3A%2F%2Fapp.test%2Fcb';
const AUTH = `https://as.test/authorize?response_type=code&client_id=app&redirect_uri=${RU}&state=${ST}&code_challenge=${CH}&code_challenge_method=S256`;
const TOKEN_BODY = `grant_type=authorization_code&code=${CODE}&redirect_uri=${RU}&client_id=app&code_verifier=${V}`;
const TOKEN_RESPONSE = `{"access_token":"${AT}","refresh_token":"${RT}","token_type":"Bearer"}`;
const IMPLICIT = `https://as.test/authorize?response_type=token&client_id=spa&redirect_uri=${RU}&state=${ST}`;

async function run(events: RequestEvent[], options: AuditOptions = {}): Promise<CheckResult> {
  return leakageChecks.run(createContext(analyze(events), options));
}

interface Row {
  description: string;
  capture: RequestEvent[];
  expected: string[];
  notEvaluated?: string[];
  options?: AuditOptions;
}

const clean = capture`
  GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
  GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
    < Referrer-Policy: no-referrer
  [fetch] POST https://as.test/token ${TOKEN_BODY} -> 200 ${TOKEN_RESPONSE}
    < Cache-Control: no-store
  [fetch] GET https://api.test/me -> 200
    > Authorization: Bearer ${AT}
`;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const rows: Row[] = [
  { description: 'a clean code + PKCE flow', capture: clean, expected: [], options: { storageMatches: [] } },
  // leak.token-in-fragment
  {
    description: 'implicit: access token in the Location fragment',
    capture: capture`
      GET ${IMPLICIT} -> 302 https://app.test/cb#access_token=${AT}&token_type=Bearer&state=${ST}
      GET https://app.test/cb -> 200
    `,
    expected: ['leak.token-in-fragment'],
  },
  {
    description: 'code in the fragment (response_mode=fragment) carries no token',
    capture: capture`
      GET ${AUTH}&response_mode=fragment -> 302 https://app.test/cb#code=${CODE}&state=${ST}
      GET https://app.test/cb -> 200
      [fetch] POST https://as.test/token ${TOKEN_BODY} -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
    `,
    expected: [],
  },
  // leak.token-in-query
  {
    description: 'access token delivered in the callback query',
    capture: capture`
      GET ${IMPLICIT}&response_mode=query -> 302 https://app.test/cb?access_token=${AT}&token_type=Bearer&state=${ST}
      GET https://app.test/cb?access_token=${AT}&token_type=Bearer&state=${ST} -> 200
        < Referrer-Policy: no-referrer
    `,
    expected: ['leak.token-in-query'],
  },
  {
    description: 'API call with ?access_token= of an issued token',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: no-referrer
      [fetch] POST https://as.test/token ${TOKEN_BODY} -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
      [fetch] GET https://api.test/me?access_token=${AT} -> 200
    `,
    expected: ['leak.token-in-query'],
  },
  {
    description: 'a public map token in a tile URL is not one of ours',
    capture: capture`[image] GET https://tiles.test/v4/1/2/3.png?access_token=pk.eyJ1IjoibWFwcyJ9.public -> 200`,
    expected: [],
  },
  // leak.referrer
  {
    description: 'callback page leaks the code to a third-party script host',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: unsafe-url
      [script] GET https://cdn.tracker.test/t.js -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
    `,
    expected: ['leak.referrer:critical', 'leak.referrer-policy:low'],
  },
  {
    description: 'same-origin subresources of the callback page: low (the code lands in the client\'s own server and CDN logs)',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: strict-origin-when-cross-origin
      [script] GET https://app.test/main.js -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
    `,
    expected: ['leak.referrer:low'],
  },
  {
    description: 'the token request to the AS with a full Referer: the AS issued the code',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: same-origin
      [fetch] POST https://as.test/token ${TOKEN_BODY} -> 200 ${TOKEN_RESPONSE}
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
        < Cache-Control: no-store
    `,
    expected: [],
  },
  // leak.referrer-policy
  {
    description: 'callback page without Referrer-Policy',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Content-Type: text/html
    `,
    expected: ['leak.referrer-policy'],
  },
  {
    description: 'several policies: the last valid one wins (unsafe-url)',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: no-referrer, unsafe-url
    `,
    expected: ['leak.referrer-policy'],
  },
  {
    description: 'several policies: the last valid one wins (an unknown token is skipped)',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: no-referrer-when-downgrade
        < Referrer-Policy: strict-origin, made-up-policy
    `,
    expected: [],
  },
  {
    description: 'a server-side callback answered with a redirect renders no page',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 302 https://app.test/home
    `,
    expected: [],
    notEvaluated: ['leak.token-cacheable', 'leak.credentials-in-query'],
  },
  {
    description: 'callback response headers not captured',
    capture: capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
      [fetch] POST https://as.test/token ${TOKEN_BODY} -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
    `,
    expected: [],
    notEvaluated: ['leak.referrer-policy', 'leak.token-in-storage'],
  },
  {
    description: 'silent-renew error callback carries no code',
    capture: capture`
      [sub_frame] GET ${AUTH}&prompt=none -> 302 https://app.test/cb?error=login_required&state=${ST}
      [sub_frame] GET https://app.test/cb?error=login_required&state=${ST} -> 200
    `,
    expected: [],
  },
  // leak.token-cacheable
  {
    description: 'token response without Cache-Control',
    capture: capture`
      [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app -> 200 ${TOKEN_RESPONSE}
        < Content-Type: application/json
    `,
    expected: ['leak.token-cacheable'],
  },
  {
    description: 'token response with Cache-Control: no-cache, private (no no-store)',
    capture: capture`
      [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-cache, private
    `,
    expected: ['leak.token-cacheable'],
  },
  {
    description: 'token response with no-store among other directives',
    capture: capture`
      [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: private, No-Store, max-age=0
    `,
    expected: [],
  },
  {
    description: 'an error response issues no token',
    capture: capture`
      [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app -> 400 {"error":"invalid_grant"}
        < Content-Type: application/json
    `,
    expected: [],
  },
  {
    description: 'token response headers not seen',
    capture: capture`[fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app -> 200 ${TOKEN_RESPONSE}`,
    expected: [],
    notEvaluated: ['leak.token-cacheable', 'leak.token-in-storage'],
  },
  // leak.client-secret-in-browser
  {
    description: 'page script posts client_secret',
    capture: capture`
      [fetch] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app&client_secret=s3cr3t-value-0123 -> 200 ${TOKEN_RESPONSE}
        > Origin: https://app.test
        < Cache-Control: no-store
    `,
    expected: ['leak.client-secret-in-browser'],
  },
  {
    description: 'page script uses HTTP Basic with a secret',
    capture: capture`
      [xhr] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT} -> 200 ${TOKEN_RESPONSE}
        > Authorization: Basic ${btoa('app:s3cr3t-value-0123')}
        < Cache-Control: no-store
    `,
    expected: ['leak.client-secret-in-browser'],
  },
  {
    description: 'HTTP Basic with an empty secret (public client) ships nothing',
    capture: capture`
      [xhr] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT} -> 200 ${TOKEN_RESPONSE}
        > Authorization: Basic ${btoa('app:')}
        < Cache-Control: no-store
    `,
    expected: [],
  },
  {
    description: 'a browser extension (not a web origin) is not page script',
    capture: capture`
      [other] POST https://as.test/token grant_type=refresh_token&refresh_token=${RT}&client_id=app&client_secret=s3cr3t-value-0123 -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
    `,
    expected: [],
  },
  // leak.credentials-in-query
  {
    description: 'code and verifier in the token request URL',
    capture: capture`
      [fetch] POST https://as.test/token?code=${CODE}&code_verifier=${V} grant_type=authorization_code&client_id=app -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
    `,
    expected: ['leak.credentials-in-query'],
  },
  {
    description: 'token request by GET',
    capture: capture`
      [fetch] GET https://as.test/token?grant_type=client_credentials&client_id=app -> 200 ${TOKEN_RESPONSE}
        < Cache-Control: no-store
    `,
    expected: ['leak.credentials-in-query'],
  },
  // leak.token-in-storage
  {
    description: 'the refresh token in localStorage',
    capture: clean,
    options: { storageMatches: [{ storage: 'localStorage', key: 'oidc.user', tokenHash: sha256(RT), origin: 'https://app.test' }] },
    expected: ['leak.token-in-storage'],
  },
  {
    description: 'a storage hash of no observed token',
    capture: clean,
    options: { storageMatches: [{ storage: 'sessionStorage', key: 'x', tokenHash: sha256('something else') }] },
    expected: [],
  },
  {
    description: 'no storage scan (CLI): not evaluated',
    capture: clean,
    expected: [],
    notEvaluated: ['leak.token-in-storage'],
  },
];

describe('leakage checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const result = await run(row.capture, row.options);
      const severityIds = new Set(row.expected.filter((e) => e.includes(':')).map((e) => e.split(':')[0]));
      expect(result.findings.map((f) => (severityIds.has(f.check) ? `${f.check}:${f.severity}` : f.check)).sort()).toEqual([...row.expected].sort());
      if (row.notEvaluated) expect(result.notEvaluated.map((n) => n.check).sort()).toEqual([...row.notEvaluated].sort());
    });
  }

  it('a page loading many third-party resources gives one leak.referrer per origin', async () => {
    const result = await run(capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: unsafe-url
      [image] GET https://cdn.tracker.test/a.gif -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
      [image] GET https://cdn.tracker.test/b.gif -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
      [script] GET https://ads.test/x.js -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
    `);
    const referrer = result.findings.filter((f) => f.check === 'leak.referrer');
    expect(referrer.map((f) => f.evidence[1]?.excerpt)).toEqual(['https://cdn.tracker.test/a.gif', 'https://ads.test/x.js']);
    expect(referrer[0]?.message).toContain('1 more request to https://cdn.tracker.test');
  });

  it('leak.token-in-storage is reported on the flow that issued the token', async () => {
    const result = await run(clean, { storageMatches: [{ storage: 'localStorage', key: 'at', tokenHash: sha256(AT) }] });
    expect(result.findings.map((f) => [f.check, f.flowId])).toEqual([['leak.token-in-storage', 'flow-r1']]);
  });

  it('never shows an unmasked code, token or secret', async () => {
    const result = await run(capture`
      GET ${AUTH} -> 302 https://app.test/cb?code=${CODE}&state=${ST}
      GET https://app.test/cb?code=${CODE}&state=${ST} -> 200
        < Referrer-Policy: unsafe-url
      [image] GET https://cdn.tracker.test/p.gif -> 200
        > Referer: https://app.test/cb?code=${CODE}&state=${ST}
      [fetch] POST https://as.test/token?code=${CODE} ${TOKEN_BODY}&client_secret=s3cr3t-value-0123 -> 200 ${TOKEN_RESPONSE}
      [fetch] GET https://api.test/me?access_token=${AT} -> 200
    `);
    expect(result.findings.map((f) => f.check).sort()).toEqual(['leak.client-secret-in-browser', 'leak.credentials-in-query', 'leak.referrer', 'leak.referrer-policy', 'leak.token-in-query']);
    const text = JSON.stringify(result.findings);
    for (const secret of [CODE, AT, RT, 's3cr3t-value-0123']) expect(text).not.toContain(secret);
  });
});
