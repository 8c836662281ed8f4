/**
 * ID token validation as OIDC §3.1.3.7 asks of a client, applied to every ID
 * token the capture shows (token responses, implicit/hybrid callbacks), plus
 * alg and signature checks on JWT access tokens from the flow's own issuer.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
import { BODY_HINT } from '../body-hint.ts';
import type { CheckResult, Evidence, Flow } from '../model.ts';
import { authorizationParams, parLeg } from '../flows/legs.ts';
import { issuedTokensOf, placeOf, type IssuedToken } from '../oauth/issued-tokens.ts';
import { compareIssuers, issuerMatches } from '../oauth/issuer.ts';
import { createKeyResolver, type KeyResolver } from '../oauth/issuer-keys.ts';
import { looksLikeJwt, tryDecodeJwt, type DecodedJwt } from '../oauth/jwt.ts';
import { originOf } from '../oauth/params.ts';
import { isSymmetricOrNone, leftHalfHash, verifyWithKeySet } from '../oauth/verify.ts';
import type { CheckId } from './catalogue.ts';
import { emptyResult, finding, notEvaluated, type CheckContext, type CheckFamily } from './context.ts';
import { evidence } from './excerpt.ts';

const ID_TOKEN_IDS = [
  'jwt.alg-none',
  'jwt.signature-invalid',
  'jwt.iss-mismatch',
  'jwt.aud-mismatch',
  'jwt.expired',
  'nonce.mismatch',
  'jwt.at-hash-mismatch',
  'jwt.c-hash-mismatch',
] as const satisfies readonly CheckId[];

class IdTokenRun {
  readonly result: CheckResult = emptyResult();
  private readonly keys: KeyResolver;

  constructor(private readonly ctx: CheckContext) {
    this.keys = createKeyResolver(ctx.analysis, ctx.options);
  }

  private label(t: IssuedToken): string {
    return t.kind === 'id_token' ? 'ID token' : 'JWT access token';
  }

  private claim(t: IssuedToken, part: 'header' | 'payload', name: string, value: unknown): Evidence {
    return evidence(t.leg, `${t.kind}.${part}.${name}`, `${name}=${value === undefined ? '(absent)' : JSON.stringify(value)}`);
  }

  private tokenEvidence(t: IssuedToken): Evidence {
    return evidence(t.leg, placeOf(t, t.kind), this.ctx.mask(t.raw));
  }

  async flow(flow: Flow): Promise<void> {
    const tokens = issuedTokensOf(flow);
    this.unseenResponses(flow, tokens);
    for (const t of tokens) {
      if (t.kind === 'id_token') await this.idToken(flow, t);
      else await this.accessToken(flow, t);
    }
  }

  /** ID tokens in token responses the capture could not read. */
  private unseenResponses(flow: Flow, tokens: IssuedToken[]): void {
    const scope = authorizationParams(flow)?.scope ?? '';
    const expectsIdToken = scope.split(/\s+/).includes('openid') || tokens.some((t) => t.kind === 'id_token');
    if (!expectsIdToken) return;
    const unseen = flow.legs.some((l) => l.kind === 'token-request' && l.event.responseBodyState !== 'captured');
    if (!unseen) return;
    for (const id of ID_TOKEN_IDS) {
      if (id === 'jwt.c-hash-mismatch') continue;
      this.result.notEvaluated.push(notEvaluated(id, flow, `the token response body was not captured, so the ID token it carried could not be checked. ${BODY_HINT}`));
    }
  }

  private async idToken(flow: Flow, t: IssuedToken): Promise<void> {
    const decoded = tryDecodeJwt(t.raw);
    if (!decoded) {
      const reason = t.raw.split('.').length === 5 ? 'the ID token is encrypted (JWE); the inspector does not hold the client\'s decryption key.' : 'the ID token is not a decodable JWT.';
      for (const id of ID_TOKEN_IDS) this.result.notEvaluated.push(notEvaluated(id, flow, reason));
      return;
    }
    const algNone = this.algNone(flow, t, decoded);
    if (!algNone) await this.signature(flow, t, decoded);
    this.issuer(flow, t, decoded);
    this.audience(flow, t, decoded);
    this.times(flow, t, decoded);
    this.nonce(flow, t, decoded);
    await this.hashes(flow, t, decoded);
  }

  private async accessToken(flow: Flow, t: IssuedToken): Promise<void> {
    if (!looksLikeJwt(t.raw) || !flow.issuer) return;
    const decoded = tryDecodeJwt(t.raw);
    if (!decoded || !issuerMatches(flow.issuer, decoded.payload.iss, decoded.payload.tid)) return;
    if (this.algNone(flow, t, decoded)) return;
    // Microsoft Graph tokens carry a header nonce and are not meant to verify outside Graph.
    if (decoded.header.nonce !== undefined) return;
    await this.signature(flow, t, decoded);
  }

  private algNone(flow: Flow, t: IssuedToken, decoded: DecodedJwt): boolean {
    const alg = decoded.header.alg;
    if (typeof alg !== 'string' || alg.toLowerCase() !== 'none') return false;
    this.result.findings.push(
      finding('jwt.alg-none', flow, {
        message: `The ${this.label(t)} has alg "${alg}": it carries no signature, so anyone could have written its claims. A client must reject it.`,
        evidence: [this.claim(t, 'header', 'alg', alg), this.tokenEvidence(t)],
        expected: 'a signing algorithm the issuer publishes (e.g. RS256, ES256)',
        actual: `alg ${alg}`,
      }),
    );
    return true;
  }

  private async signature(flow: Flow, t: IssuedToken, decoded: DecodedJwt): Promise<void> {
    const alg = decoded.header.alg;
    const label = this.label(t);
    const skip = (reason: string) => this.result.notEvaluated.push(notEvaluated('jwt.signature-invalid', flow, `${label}: ${reason}`));
    if (typeof alg === 'string' && /^HS\d+$/i.test(alg)) {
      skip(`signed with ${alg}, a symmetric algorithm keyed with the client secret, which the inspector does not have.`);
      return;
    }
    if (isSymmetricOrNone(alg)) {
      skip('the token has no usable alg header.');
      return;
    }
    const issuer = flow.issuer;
    if (!issuer) {
      skip('the flow\'s issuer is unknown (no discovery document, callback iss or ID token iss), so its keys cannot be found.');
      return;
    }
    if (flow.issuerSource === 'id_token' && !this.issuerFitsEndpoint(flow, issuer)) {
      skip(`the issuer ${issuer} is known only from the token itself and is not the host of the authorization endpoint, so its keys would prove nothing.`);
      return;
    }
    const lookup = await this.keys.keysFor(issuer);
    if ('reason' in lookup) {
      skip(`${lookup.reason}.`);
      return;
    }
    const check = await verifyWithKeySet(t.raw, lookup.jwks);
    if (check.status === 'valid') return;
    if (check.status === 'unverifiable') {
      skip(`${check.reason}.`);
      return;
    }
    const kid = decoded.header.kid;
    this.result.findings.push(
      finding('jwt.signature-invalid', flow, {
        message: `The ${label} (alg ${String(alg)}${kid !== undefined ? `, kid ${JSON.stringify(kid)}` : ''}) does not verify against the keys of ${issuer} from ${lookup.source}: ${check.reason}. Its claims cannot be trusted.`,
        evidence: [this.claim(t, 'header', 'alg', alg), ...(kid !== undefined ? [this.claim(t, 'header', 'kid', kid)] : []), this.tokenEvidence(t)],
        expected: `a valid signature by a key in ${lookup.source}`,
        actual: check.reason,
      }),
    );
  }

  private issuerFitsEndpoint(flow: Flow, issuer: string): boolean {
    const endpoint = originOf(flow.authorizationEndpoint);
    return endpoint !== undefined && endpoint === originOf(issuer);
  }

  private issuer(flow: Flow, t: IssuedToken, decoded: DecodedJwt): void {
    const iss = decoded.payload.iss;
    const report = (message: string, expected: string) =>
      this.result.findings.push(
        finding('jwt.iss-mismatch', flow, {
          message,
          evidence: [this.claim(t, 'payload', 'iss', iss)],
          expected,
          actual: iss === undefined ? '(absent)' : String(iss),
        }),
      );
    if (typeof iss !== 'string') {
      report('The ID token has no iss claim. OIDC requires it, and a client must compare it with the issuer it started the login with.', flow.issuer ?? 'an iss claim');
      return;
    }
    if (!flow.issuer || flow.issuerSource === 'none') {
      this.result.notEvaluated.push(notEvaluated('jwt.iss-mismatch', flow, 'the flow\'s issuer is unknown, so there is nothing to compare the ID token\'s iss with.'));
      return;
    }
    if (flow.issuerSource === 'discovery' || flow.issuerSource === 'callback') {
      const comparison = compareIssuers(flow.issuer, iss, decoded.payload.tid);
      if (comparison === 'same') return;
      if (comparison === 'unresolved') {
        report(`This flow's issuer is the multi-tenant template "${flow.issuer}", but the ID token carries no usable tid to fill it in, so its iss "${iss}" cannot be validated; a client must reject it.`, flow.issuer);
        return;
      }
      const from = flow.issuerSource === 'discovery' ? 'the discovery document' : 'the callback\'s iss parameter';
      report(`The ID token's iss is "${iss}", but this flow's issuer (from ${from}) is "${flow.issuer}". A client must reject an ID token from another issuer.`, flow.issuer);
      return;
    }
    // issuerSource 'id_token': the flow's issuer is the first ID token's own iss.
    if (iss !== flow.issuer) {
      report(`The ID token's iss is "${iss}", but an earlier ID token of this flow came from "${flow.issuer}". Every ID token of a session must come from the same issuer.`, flow.issuer);
      return;
    }
    if (this.issuerFitsEndpoint(flow, iss)) return;
    const endpoint = originOf(flow.authorizationEndpoint);
    this.result.notEvaluated.push(
      notEvaluated(
        'jwt.iss-mismatch',
        flow,
        endpoint
          ? `no discovery document or callback iss was captured, so the issuer is known only from the ID token itself; its host (${originOf(iss) ?? iss}) differs from the authorization endpoint's (${endpoint}), which some providers do legitimately.`
          : 'no discovery document, callback iss or authorization request was captured: the issuer is known only from the ID token itself, with nothing independent to compare with.',
      ),
    );
  }

  private audience(flow: Flow, t: IssuedToken, decoded: DecodedJwt): void {
    const { aud, azp } = decoded.payload;
    const clientId = flow.clientId;
    if (!clientId) {
      this.result.notEvaluated.push(notEvaluated('jwt.aud-mismatch', flow, 'the flow\'s client_id is not in the capture.'));
      return;
    }
    const audiences = Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
    let problem: string | undefined;
    if (!audiences.includes(clientId)) {
      problem = aud === undefined ? 'The ID token has no aud claim' : `The ID token's aud is ${JSON.stringify(aud)}, which does not contain this client's client_id "${clientId}"`;
      problem += ': it was issued for another client, and a client must reject it.';
    } else if (audiences.length > 1 && azp === undefined) {
      problem = `The ID token has several audiences (${JSON.stringify(aud)}) and no azp claim naming the party it was issued to.`;
    } else if (azp !== undefined && azp !== clientId) {
      problem = `The ID token's azp is ${JSON.stringify(azp)}, not this client's client_id "${clientId}".`;
    }
    if (!problem) return;
    this.result.findings.push(
      finding('jwt.aud-mismatch', flow, {
        message: problem,
        evidence: [this.claim(t, 'payload', 'aud', aud), ...(azp !== undefined || audiences.length > 1 ? [this.claim(t, 'payload', 'azp', azp)] : [])],
        expected: `aud containing "${clientId}"${audiences.length > 1 ? ' and azp equal to it' : ''}`,
        actual: `aud ${JSON.stringify(aud ?? null)}${azp !== undefined ? `, azp ${JSON.stringify(azp)}` : ''}`,
      }),
    );
  }

  private times(flow: Flow, t: IssuedToken, decoded: DecodedJwt): void {
    const { exp, iat } = decoded.payload;
    const skew = this.ctx.options.clockSkewSeconds ?? 300;
    const received = Math.floor(t.leg.event.time / 1000);
    const at = new Date(received * 1000).toISOString();
    const iso = (seconds: number) => {
      const date = new Date(seconds * 1000);
      return Number.isNaN(date.getTime()) ? `${seconds} (not a valid date)` : date.toISOString();
    };
    let message: string | undefined;
    let where: 'exp' | 'iat' = 'exp';
    let expected = '';
    if (typeof exp !== 'number' || !Number.isFinite(exp)) {
      message = 'The ID token has no numeric exp claim: OIDC requires one, and without it the token never expires.';
      expected = 'a numeric exp';
    } else if (exp + skew < received) {
      message = `The ID token expired at ${iso(exp)}, before it was received at ${at} (allowing ${skew} s of clock skew). A client must reject it.`;
      expected = `exp after ${at}`;
    } else if (typeof iat === 'number' && iat - skew > received) {
      where = 'iat';
      message = `The ID token says it was issued at ${iso(iat)}, later than it was received (${at}) by more than the allowed ${skew} s of clock skew.`;
      expected = `iat no later than ${at}`;
    }
    if (!message) return;
    const value = where === 'exp' ? exp : iat;
    this.result.findings.push(
      finding('jwt.expired', flow, {
        message,
        evidence: [this.claim(t, 'payload', where, value)],
        expected,
        actual: typeof value === 'number' ? `${where} ${iso(value)}` : `${where} ${JSON.stringify(value ?? null)}`,
      }),
    );
  }

  private nonce(flow: Flow, t: IssuedToken, decoded: DecodedJwt): void {
    // OIDC §12.2: an ID token from a refresh need not carry the nonce.
    if (t.refreshed) return;
    const nonce = decoded.payload.nonce;
    const params = authorizationParams(flow);
    if (!params) {
      if (nonce !== undefined) this.result.notEvaluated.push(notEvaluated('nonce.mismatch', flow, 'the authorization request is not in this capture, so the nonce it sent is unknown.'));
      return;
    }
    const sent = params.nonce;
    if (sent === undefined) {
      const hidden = (params.request_uri !== undefined && !parLeg(flow)) || (params.request !== undefined && params.request.split('.').length !== 3);
      if (hidden) this.result.notEvaluated.push(notEvaluated('nonce.mismatch', flow, 'the authorization parameters were pushed or encrypted where the capture cannot read them, so the nonce sent is unknown.'));
      return;
    }
    if (nonce === sent) return;
    this.result.findings.push(
      finding('nonce.mismatch', flow, {
        message:
          nonce === undefined
            ? `The authorization request sent nonce "${sent}", but the ID token has no nonce claim. OIDC requires the nonce to come back; without it the token cannot be tied to this login.`
            : `The ID token's nonce is ${JSON.stringify(nonce)}, but the authorization request sent "${sent}". The token belongs to another login and may have been replayed or injected.`,
        evidence: [this.claim(t, 'payload', 'nonce', nonce)],
        expected: sent,
        actual: nonce === undefined ? '(absent)' : String(nonce),
      }),
    );
  }

  private async hashes(flow: Flow, t: IssuedToken, decoded: DecodedJwt): Promise<void> {
    const checks: Array<{ id: 'jwt.at-hash-mismatch' | 'jwt.c-hash-mismatch'; claim: 'at_hash' | 'c_hash'; value?: string; what: string; required: boolean }> = [
      { id: 'jwt.at-hash-mismatch', claim: 'at_hash', ...(t.accessToken ? { value: t.accessToken } : {}), what: 'access token', required: t.frontChannel },
      { id: 'jwt.c-hash-mismatch', claim: 'c_hash', ...(t.frontChannel && t.code ? { value: t.code } : {}), what: 'authorization code', required: t.frontChannel },
    ];
    const alg = decoded.header.alg;
    for (const { id, claim, value, what, required } of checks) {
      if (value === undefined) continue;
      const carried = decoded.payload[claim];
      if (carried === undefined) {
        if (!required) continue;
        this.result.findings.push(
          finding(id, flow, {
            message: `The ID token came from the authorization endpoint together with an ${what}, but has no ${claim} claim. OIDC requires ${claim} there: it is what binds the ${what} to the signed ID token, so a swapped ${what} would go unnoticed.`,
            evidence: [this.claim(t, 'payload', claim, undefined)],
            expected: `a ${claim} claim`,
            actual: '(absent)',
          }),
        );
        continue;
      }
      const computed = await leftHalfHash(value, alg);
      if (computed === undefined) {
        this.result.notEvaluated.push(notEvaluated(id, flow, `the ID token's alg ${JSON.stringify(alg)} names no hash function to compute ${claim} with.`));
        continue;
      }
      if (computed === carried) continue;
      this.result.findings.push(
        finding(id, flow, {
          message: `The ID token's ${claim} is ${JSON.stringify(carried)}, but the ${what} issued with it hashes to "${computed}" (left half of its ${String(alg)} hash, base64url). The ${what} is not the one the ID token was issued with.`,
          evidence: [this.claim(t, 'payload', claim, carried), evidence(t.leg, placeOf(t, claim === 'at_hash' ? 'access_token' : 'code'), this.ctx.mask(value))],
          expected: computed,
          actual: String(carried),
        }),
      );
    }
  }
}

async function run(ctx: CheckContext): Promise<CheckResult> {
  const state = new IdTokenRun(ctx);
  for (const flow of ctx.analysis.flows) await state.flow(flow);
  return state.result;
}

export const idTokenChecks: CheckFamily = {
  name: 'id-token',
  ids: ID_TOKEN_IDS,
  run,
};
