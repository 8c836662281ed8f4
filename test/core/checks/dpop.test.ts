import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/checks/context.ts';
import { dpopChecks } from '../../../src/core/checks/dpop.ts';
import { analyze } from '../../../src/core/flows/analyze.ts';
import type { RequestEvent } from '../../../src/core/model.ts';
import { capture } from '../../support/flow-builder.ts';

const NOW = 1_700_000_000;
const client = await generateKeyPair('ES256', { extractable: true });
const other = await generateKeyPair('ES256');
const PUBLIC_JWK = await exportJWK(client.publicKey);
const PRIVATE_JWK = await exportJWK(client.privateKey);
const AT = 'dpop-bound-access-token-0123456789';
const ATH = createHash('sha256').update(AT).digest('base64url');

interface ProofOptions {
  typ?: string;
  alg?: string;
  jwk?: JWK | null;
  key?: CryptoKey;
}

async function proof(claims: JWTPayload, options: ProofOptions = {}): Promise<string> {
  const body = { jti: `j-${Math.random()}`, iat: NOW, ...claims };
  const alg = options.alg ?? 'ES256';
  const header: Record<string, unknown> = { alg, typ: options.typ ?? 'dpop+jwt' };
  if (options.jwk !== null) header.jwk = options.jwk ?? PUBLIC_JWK;
  if (alg === 'none') {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc(header)}.${enc(body)}.`;
  }
  if (alg === 'HS256') {
    return new SignJWT(body).setProtectedHeader({ ...header, alg } as { alg: string }).sign(new TextEncoder().encode('k'.repeat(32)));
  }
  return new SignJWT(body).setProtectedHeader(header as { alg: string }).sign(options.key ?? client.privateKey);
}

const TOKEN_REQ = { htm: 'POST', htu: 'https://as.test/token' };
const API = { htm: 'GET', htu: 'https://api.test/me', ath: ATH };

function tokenRequest(dpop: string): RequestEvent[] {
  return capture`
    POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"${AT}","token_type":"DPoP","refresh_token":"rt-2"}
      > DPoP: ${dpop}
  `;
}

function apiCall(dpop: string, url = 'https://api.test/me?x=1'): RequestEvent[] {
  return capture`
    POST https://as.test/token grant_type=refresh_token&refresh_token=rt-1&client_id=app -> 200 {"access_token":"${AT}","token_type":"DPoP","refresh_token":"rt-2"}
    [fetch] GET ${url} -> 200
      > Authorization: DPoP ${AT}
      > DPoP: ${dpop}
  `;
}

const rows: Array<{ description: string; capture: RequestEvent[]; expected: string[]; where?: string[] }> = [
  { description: 'a valid proof on a token request', capture: tokenRequest(await proof(TOKEN_REQ)), expected: [] },
  { description: 'a valid proof on an API call (query ignored, ath matches)', capture: apiCall(await proof(API)), expected: [] },
  { description: 'htu differing only by default port and host case', capture: tokenRequest(await proof({ htm: 'POST', htu: 'https://AS.test:443/token' })), expected: [] },
  { description: 'wrong typ', capture: tokenRequest(await proof(TOKEN_REQ, { typ: 'JWT' })), expected: ['dpop.proof-invalid'], where: ['dpop.header.typ'] },
  { description: 'alg none', capture: tokenRequest(await proof(TOKEN_REQ, { alg: 'none' })), expected: ['dpop.proof-invalid'], where: ['dpop.header.alg'] },
  { description: 'HMAC alg', capture: tokenRequest(await proof(TOKEN_REQ, { alg: 'HS256' })), expected: ['dpop.proof-invalid'], where: ['dpop.header.alg'] },
  { description: 'no jwk', capture: tokenRequest(await proof(TOKEN_REQ, { jwk: null })), expected: ['dpop.proof-invalid'], where: ['dpop.header.jwk'] },
  { description: 'a private key in jwk', capture: tokenRequest(await proof(TOKEN_REQ, { jwk: PRIVATE_JWK })), expected: ['dpop.proof-invalid'], where: ['dpop.header.jwk'] },
  { description: 'signed by another key than its jwk', capture: tokenRequest(await proof(TOKEN_REQ, { key: other.privateKey })), expected: ['dpop.proof-invalid'], where: ['dpop.signature'] },
  { description: 'htm differs', capture: tokenRequest(await proof({ ...TOKEN_REQ, htm: 'GET' })), expected: ['dpop.proof-invalid'], where: ['dpop.payload.htm'] },
  { description: 'htu differs', capture: tokenRequest(await proof({ ...TOKEN_REQ, htu: 'https://as.test/other' })), expected: ['dpop.proof-invalid'], where: ['dpop.payload.htu'] },
  { description: 'no iat', capture: tokenRequest(await proof({ ...TOKEN_REQ, iat: undefined })), expected: ['dpop.proof-invalid'], where: ['dpop.payload.iat'] },
  { description: 'ath of another token', capture: apiCall(await proof({ ...API, ath: 'x'.repeat(43) })), expected: ['dpop.proof-invalid'], where: ['dpop.payload.ath'] },
  { description: 'no ath with a DPoP access token', capture: apiCall(await proof({ ...API, ath: undefined })), expected: ['dpop.proof-invalid'], where: ['dpop.payload.ath'] },
  { description: 'several problems make one finding', capture: tokenRequest(await proof({ htm: 'GET', htu: 'https://as.test/x' }, { typ: 'jwt' })), expected: ['dpop.proof-invalid'], where: ['dpop.header.typ', 'dpop.payload.htm', 'dpop.payload.htu'] },
];

describe('DPoP checks', () => {
  for (const row of rows) {
    it(row.description, async () => {
      const { findings } = await dpopChecks.run(createContext(analyze(row.capture)));
      expect(findings.map((f) => f.check)).toEqual(row.expected);
      if (row.where) expect(findings[0]?.evidence.map((e) => e.where)).toEqual(['header.dpop', ...row.where]);
    });
  }

  it('attributes a proof to the flow holding its request, else to *', async () => {
    const bad = await proof({ ...API, htm: 'PUT' });
    const inFlow = await dpopChecks.run(createContext(analyze(apiCall(bad))));
    const analysis = analyze(apiCall(bad));
    expect(inFlow.findings[0]?.flowId).toBe(analysis.flows[0]?.id);
    expect(analysis.flows[0]?.legs.map((l) => l.kind)).toEqual(['token-request', 'api']);
    const alone = await dpopChecks.run(
      createContext(
        analyze(capture`
          [fetch] GET https://api.test/me -> 200
            > Authorization: DPoP unknown-token
            > DPoP: ${bad}
        `),
      ),
    );
    expect(alone.findings.map((f) => [f.check, f.flowId])).toEqual([['dpop.proof-invalid', '*']]);
  });

  it('never shows a private key value or the whole proof', async () => {
    const leaked = await proof(TOKEN_REQ, { jwk: PRIVATE_JWK });
    const { findings } = await dpopChecks.run(createContext(analyze(tokenRequest(leaked))));
    const text = JSON.stringify(findings);
    expect(text).not.toContain(String(PRIVATE_JWK.d));
    expect(text).not.toContain(leaked);
    expect(findings[0]?.message).toContain('private key members (d)');
  });
});
