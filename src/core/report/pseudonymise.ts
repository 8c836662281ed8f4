/**
 * Shareable evidence: a capture with every secret value replaced by a stable
 * pseudonym, so a colleague can re-audit it without holding a live token.
 *
 * The pseudonym of a value is HMAC-SHA-256 under a random key made for this
 * export (and then forgotten), spread over the value's own shape: same length,
 * a digit for a digit, a letter of the same case for a letter, every other
 * character kept. So the same value gets the same pseudonym everywhere in one
 * export (state reuse, code forwarding, refresh rotation, verifier reuse,
 * tokens in queries, fragments and Referers still compare equal), formats
 * stay valid, and nothing can be linked across two exports. A JWT keeps its
 * header and claims (the claim checks still run) and loses its signature; an
 * unsecured JWT (`alg: none`, no signature) is kept whole: it proves nothing,
 * anyone can mint it, and its claims are what the checks read.
 *
 * Checks that need the real value (the PKCE S256 hash, signatures, at_hash,
 * c_hash, DPoP proofs) cannot be re-run on pseudonyms: their verdicts travel
 * in the HAR's `log._oauthLens` field, and `withCarriedVerdicts` puts them
 * back in place of a re-audit's, marked `carried`.
 */
import { base64url } from 'jose';
import { isCheckId, type CheckId } from '../checks/catalogue.ts';
import { SEVERITIES, type AuditResult, type Finding, type NotEvaluated, type Severity } from '../model.ts';
import { ingestHar } from '../ingest/from-har.ts';
import { collectSecrets } from './collect-secrets.ts';
import { MIN_KNOWN_SECRET } from './secret-names.ts';

/**
 * Checks whose verdict depends on a real value the pseudonyms replace: hashes
 * of secrets, and signatures (a pseudonymised JWT keeps its claims but not its
 * signature, so a JARM response or a DPoP proof no longer verifies).
 */
export const CARRIED_CHECKS: readonly CheckId[] = [
  'pkce.mismatch',
  'jwt.signature-invalid',
  'jwt.at-hash-mismatch',
  'jwt.c-hash-mismatch',
  'dpop.proof-invalid',
  'jarm.invalid',
  'dpop.ignored',
];

export interface CarriedVerdicts {
  version: 1;
  pseudonymised: true;
  /** The checks whose verdicts below replace a re-audit's. */
  checks: string[];
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}

export interface Pseudonymiser {
  /** Any JSON-like value with every secret replaced (strings anywhere, keys left alone). */
  value<T>(value: T): T;
  text(value: string): string;
}

/** A pseudonymiser for the secrets of this capture, under a fresh random key. */
export async function createPseudonymiser(result: AuditResult, key: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): Promise<Pseudonymiser> {
  const hmacKey = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const pairs: [string, string][] = [];
  const add = (secret: string, pseudonym: string): void => {
    pairs.push([secret, pseudonym]);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) pairs.push([encoded, encodeURIComponent(pseudonym)]);
    const form = encoded.replace(/%20/g, '+');
    if (form !== encoded) pairs.push([form, encodeURIComponent(pseudonym).replace(/%20/g, '+')]);
    // Longest first, so a value that contains another (a JWT and its signature) is replaced whole.
    pairs.sort((a, b) => b[0].length - a[0].length);
  };
  const text = (input: string): string => {
    let out = input;
    for (const [secret, pseudonym] of pairs) if (out.includes(secret)) out = replaceWhole(out, secret, pseudonym);
    return out;
  };
  const secrets = [...collectSecrets(result.analysis)].filter((secret) => secret.length >= MIN_KNOWN_SECRET);
  // Plain values first: a JWT's claims (a JARM response's code and state) are then pseudonymised like everywhere else.
  for (const secret of secrets) if (!isJwtShaped(secret)) add(secret, await shaped(hmacKey, secret, secret));
  for (const secret of secrets) if (isJwtShaped(secret)) add(secret, await jwtPseudonym(hmacKey, secret, text));
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return { text, value: <T>(value: T): T => walk(value) as T };
}

/** Fields of the JSON report that name things of ours (ids, places, references), never a captured value. */
const OWN_FIELDS = new Set(['check', 'severity', 'flowId', 'requestId', 'where', 'reference', 'id', 'kind', 'version', 'tool']);

/** The JSON report (made with `reveal`) with every captured secret pseudonymised as in the HAR of the same export. */
export function pseudonymiseReport<T extends object>(report: T, pseudonymiser: Pseudonymiser): T {
  const walk = (value: unknown, key?: string): unknown => {
    if (key !== undefined && OWN_FIELDS.has(key)) return value;
    if (typeof value === 'string') return pseudonymiser.text(value);
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(report) as T;
}

/** The HAR with its secrets pseudonymised and the real-value verdicts of `result` in `log._oauthLens`. */
export function pseudonymiseHar(har: unknown, result: AuditResult, pseudonymiser: Pseudonymiser): unknown {
  const out = pseudonymiser.value(har) as { log?: Record<string, unknown> };
  if (out && typeof out === 'object' && out.log && typeof out.log === 'object') {
    out.log._oauthLens = carriedVerdicts(result, pseudonymiser, requestIdMap(result, out, pseudonymiser));
  }
  return out;
}

/**
 * Request ids as a re-audit of the exported HAR will number them (a HAR
 * rebuilt from live events has other entry numbers than the capture had):
 * the n-th request with the same method and pseudonymised URL.
 */
function requestIdMap(result: AuditResult, shared: unknown, pseudonymiser: Pseudonymiser): (id: string) => string {
  const queues = new Map<string, string[]>();
  for (const event of ingestHar(shared).events) {
    const key = `${event.method} ${event.url}`;
    queues.set(key, [...(queues.get(key) ?? []), event.id]);
  }
  const ids = new Map<string, string>();
  for (const event of result.analysis.events) {
    const next = queues.get(`${event.method} ${pseudonymiser.text(event.url)}`)?.shift();
    if (next !== undefined) ids.set(event.id, next);
  }
  return (id) => {
    const hash = id.indexOf('#');
    const base = hash < 0 ? id : id.slice(0, hash);
    return (ids.get(base) ?? base) + (hash < 0 ? '' : id.slice(hash));
  };
}

export function carriedVerdicts(result: AuditResult, pseudonymiser: Pseudonymiser, mapId: (id: string) => string = (id) => id): CarriedVerdicts {
  const flowId = (id: string): string => (id.startsWith('flow-') ? `flow-${mapId(id.slice(5))}` : id);
  return {
    version: 1,
    pseudonymised: true,
    checks: [...CARRIED_CHECKS],
    findings: result.findings
      .filter((f) => CARRIED_CHECKS.includes(f.check))
      .map((f) => pseudonymiseFinding({ ...f, flowId: flowId(f.flowId), evidence: f.evidence.map((e) => ({ ...e, requestId: mapId(e.requestId) })) }, pseudonymiser)),
    notEvaluated: result.notEvaluated.filter((n) => CARRIED_CHECKS.includes(n.check)).map((n) => ({ ...n, flowId: flowId(n.flowId), reason: pseudonymiser.text(n.reason) })),
  };
}

/** Only what came from the capture is pseudonymised: ids, places and references stay as they are. */
function pseudonymiseFinding(finding: Finding, pseudonymiser: Pseudonymiser): Finding {
  const out: Finding = {
    ...finding,
    message: pseudonymiser.text(finding.message),
    evidence: finding.evidence.map((e) => ({ ...e, excerpt: pseudonymiser.text(e.excerpt) })),
  };
  if (finding.expected !== undefined) out.expected = pseudonymiser.text(finding.expected);
  if (finding.actual !== undefined) out.actual = pseudonymiser.text(finding.actual);
  return out;
}

/** The `_oauthLens` verdicts of a pseudonymised HAR, if it is one (checked field by field: the file is untrusted). */
export function readCarriedVerdicts(har: unknown): CarriedVerdicts | undefined {
  const block = (har as { log?: { _oauthLens?: unknown } } | null)?.log?._oauthLens as Partial<CarriedVerdicts> | undefined;
  if (!block || typeof block !== 'object' || block.version !== 1 || block.pseudonymised !== true) return undefined;
  if (!Array.isArray(block.checks) || !Array.isArray(block.findings) || !Array.isArray(block.notEvaluated)) return undefined;
  const checks = block.checks.filter((c): c is string => typeof c === 'string');
  const findings = block.findings.filter(isFinding).filter((f) => checks.includes(f.check));
  const notEvaluated = block.notEvaluated.filter((n): n is NotEvaluated => typeof n?.check === 'string' && typeof n.flowId === 'string' && typeof n.reason === 'string');
  return { version: 1, pseudonymised: true, checks, findings, notEvaluated };
}

/** A re-audit of a pseudonymised capture, with the original verdicts of the carried checks in place of its own. */
export function withCarriedVerdicts(result: AuditResult, carried: CarriedVerdicts | undefined): AuditResult {
  if (!carried) return result;
  const fresh = (check: string): boolean => !carried.checks.includes(check);
  return {
    ...result,
    findings: [...result.findings.filter((f) => fresh(f.check)), ...carried.findings.map((f): Finding => ({ ...f, carried: true }))],
    notEvaluated: [...result.notEvaluated.filter((n) => fresh(n.check)), ...carried.notEvaluated],
  };
}

function isFinding(value: unknown): value is Finding {
  const f = value as Partial<Finding> | null;
  return (
    typeof f === 'object' && f !== null && typeof f.check === 'string' && isCheckId(f.check) && SEVERITIES.includes(f.severity as Severity) && typeof f.flowId === 'string' &&
    typeof f.message === 'string' && typeof f.reference === 'string' && Array.isArray(f.evidence) &&
    f.evidence.every((e) => typeof e?.requestId === 'string' && typeof e.where === 'string' && typeof e.excerpt === 'string')
  );
}

const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}$/;

/**
 * Replaces the value where it stands as a value of its own: not where it is
 * part of a longer word (a short secret such as `implicit` inside the client_id
 * `lens-implicit`, which also sits base64-encoded in an ID token's `aud`).
 * A percent-escape before it (`%3D`) or after it (`%26`) is a boundary.
 */
export function replaceWhole(text: string, value: string, replacement: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
    const before = text.slice(Math.max(0, at - 3), at);
    const after = text.charAt(at + value.length);
    const boundedBefore = before === '' || !TOKEN_CHAR.test(before.charAt(before.length - 1)) || PERCENT_ESCAPE.test(before);
    const boundedAfter = after === '' || !TOKEN_CHAR.test(after) || after === '%';
    if (!boundedBefore || !boundedAfter) continue;
    out += text.slice(from, at) + replacement;
    from = at + value.length;
  }
  return out + text.slice(from);
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** HMAC bytes spread over the value's shape; a JWT keeps header and claims, its signature is replaced. */
function isJwtShaped(value: string): boolean {
  return value.startsWith('eyJ') && value.split('.').length === 3;
}

/**
 * A JWT keeps its header and claims (what the checks read) with every secret
 * among the claims pseudonymised, and loses its signature.
 */
async function jwtPseudonym(key: CryptoKey, secret: string, text: (value: string) => string): Promise<string> {
  const [header = '', payload = '', signature = ''] = secret.split('.');
  let claims = payload;
  try {
    const decoded: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    claims = base64url.encode(JSON.stringify(walkStrings(decoded, text)));
  } catch {
    claims = await shaped(key, `${secret}\u0000claims`, payload);
  }
  return `${header}.${claims}.${await shaped(key, secret, signature)}`;
}

function walkStrings(value: unknown, text: (value: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return text(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => walkStrings(item, text, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkStrings(v, text, depth + 1)]));
}

async function shaped(key: CryptoKey, secret: string, shape: string): Promise<string> {
  const bytes: number[] = [];
  for (let block = 0; bytes.length < shape.length; block++) {
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${block}\u0000${secret}`));
    bytes.push(...new Uint8Array(mac));
  }
  let out = '';
  for (let i = 0; i < shape.length; i++) {
    const ch = shape[i]!;
    const set = DIGITS.includes(ch) ? DIGITS : LOWER.includes(ch) ? LOWER : UPPER.includes(ch) ? UPPER : undefined;
    out += set ? set[bytes[i]! % set.length] : ch;
  }
  return out;
}
