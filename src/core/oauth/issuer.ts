/**
 * When two issuers are the same: the one rule, used by `iss.mismatch`,
 * `jwt.iss-mismatch` and `metadata.issuer-mismatch` alike.
 *
 * Issuers compare as exact strings (no normalisation: RFC 9207 §2.4, OIDC
 * Core §3.1.3.7 (2)). Two documented exceptions:
 *  - Microsoft's multi-tenant discovery (`/common`, `/organizations`) publishes
 *    the template `https://login.microsoftonline.com/{tenantid}/v2.0`; the
 *    token's `tid` claim fills it in, literally, as text (never as a pattern);
 *    https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-issuer
 *  - Google's ID tokens may say `accounts.google.com` without the scheme;
 *    https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
 * Nothing here builds a regular expression from a captured value.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
import { safeUrl, trimTrailing } from './params.ts';

export const TENANT_PLACEHOLDER = '{tenantid}';

/** `same`, `different`, or `unresolved`: a template issuer with no usable `tid` to fill it in. */
export type IssuerComparison = 'same' | 'different' | 'unresolved';

const GOOGLE = 'https://accounts.google.com';

export function isIssuerTemplate(issuer: string): boolean {
  return issuer.includes(TENANT_PLACEHOLDER);
}

/** A tenant id fit to stand in a URL path segment: non-empty, no delimiter. */
function usableTenant(tid: unknown): tid is string {
  if (typeof tid !== 'string' || tid === '' || tid.length > 256) return false;
  for (const c of tid) if (c === '/' || c === '?' || c === '#' || c === '{' || c === '}') return false;
  return true;
}

/** The template with every `{tenantid}` replaced, as text, by `tid`; undefined when `tid` cannot fill it. */
export function resolveIssuerTemplate(template: string, tid: unknown): string | undefined {
  if (!isIssuerTemplate(template)) return template;
  return usableTenant(tid) ? template.split(TENANT_PLACEHOLDER).join(tid) : undefined;
}

/**
 * Compares the issuer a client expects (discovery document, flow) with the
 * one a response or token names. `tid` is the token's tenant claim, if any.
 */
export function compareIssuers(expected: string, actual: unknown, tid?: unknown): IssuerComparison {
  if (typeof actual !== 'string') return 'different';
  if (expected === actual) return 'same';
  if (expected === GOOGLE && actual === 'accounts.google.com') return 'same';
  if (!isIssuerTemplate(expected)) return 'different';
  const resolved = resolveIssuerTemplate(expected, tid);
  if (resolved === undefined) return 'unresolved';
  return resolved === actual ? 'same' : 'different';
}

/** True only when the issuers are the same (an unresolved template is not). */
export function issuerMatches(expected: string, actual: unknown, tid?: unknown): boolean {
  return compareIssuers(expected, actual, tid) === 'same';
}

/** Where a discovery document for the issuer may live (RFC 8414 §3.1, OIDC Discovery §4). */
export function wellKnownUrls(issuer: string): string[] {
  const url = safeUrl(issuer);
  if (!url || url.search || url.hash) return [];
  const path = trimTrailing(url.pathname, '/');
  return [
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/**
 * A discovery document fetched from a multi-tenant alias (`/common/…`), on the
 * issuer's own origin, or publishing a template issuer: its issuer stands for
 * a tenant, not for the URL it came from.
 */
export function isMultiTenantDocument(issuer: string, fetched: URL): boolean {
  if (isIssuerTemplate(issuer)) return true;
  if (safeUrl(issuer)?.origin !== fetched.origin) return false;
  return fetched.pathname.split('/').some((segment) => TENANT_ALIASES.has(segment));
}
