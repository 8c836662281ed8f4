/**
 * What counts as a secret, by name: the one rule every report, export and
 * panel view uses (through redact.ts) and that the collection of a capture's
 * secret values uses too.
 *
 * Names are normalised before matching: case, `_`, `-`, `.`, brackets and
 * spaces do not count, so `accessToken` = `access_token` = `ACCESS-TOKEN`
 * and `user[password]` is a password field.
 */

/** Lower case, letters and digits only. */
export function normaliseName(name: string): string {
  let out = '';
  const lower = name.length > 128 ? name.slice(0, 128).toLowerCase() : name.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += lower[i];
  }
  return out;
}

/** Parameter, JSON field and claim names (normalised) whose values are secrets. */
const SECRET_EXACT: ReadonlySet<string> = new Set([
  'code',
  'authorizationcode',
  'devicecode',
  'usercode',
  'codeverifier',
  'assertion',
  'clientassertion',
  'samlresponse',
  'idtokenhint',
  'otp',
  'totp',
  'key',
  /** A JAR request object: a signed JWT that may carry secrets. */
  'request',
  /** A JARM response (JARM §4.3): a JWT that carries the code or the tokens. */
  'response',
  'sessionid',
]);

/** Normalised names ending so are secrets: `access_token`, `refreshToken`, `clientSecret`, `x-api-key`. */
const SECRET_SUFFIXES = ['token', 'secret', 'apikey', 'privatekey'];

/** Password fields are masked whole: `password`, `passwd`, `pwd`, `pass`, `j_password`, `newPassword`, `passphrase`. */
const PASSWORD_EXACT: ReadonlySet<string> = new Set(['pass', 'pwd', 'pin', 'passcode', 'userpass', 'userpwd']);
const PASSWORD_PARTS = ['password', 'passwd', 'passphrase'];

export function isPasswordName(name: string): boolean {
  const n = normaliseName(name);
  return PASSWORD_EXACT.has(n) || n.endsWith('pwd') || PASSWORD_PARTS.some((part) => n.includes(part));
}

/** Whether a parameter, form field, JSON field or claim of this name holds a secret. */
export function isSecretName(name: string): boolean {
  const n = normaliseName(name);
  if (n === '') return false;
  return SECRET_EXACT.has(n) || SECRET_SUFFIXES.some((suffix) => n.endsWith(suffix)) || isPasswordName(name);
}

/** Header name parts that make a header a credential (`X-Access-Token`, `Authorization`, `Cookie`, `X-Session-Id`…). */
const SECRET_HEADER_PARTS = ['token', 'secret', 'key', 'auth', 'session', 'cookie', 'password', 'credential'];
/**
 * Challenges the server sends (`WWW-Authenticate: Bearer error="invalid_token"`)
 * name a scheme and an error, not a credential; masking them would hide why a request failed.
 */
const NOT_SECRET_HEADERS: ReadonlySet<string> = new Set(['wwwauthenticate', 'proxyauthenticate']);

export function isSecretHeader(name: string): boolean {
  const n = normaliseName(name);
  if (NOT_SECRET_HEADERS.has(n)) return false;
  return n === 'dpop' || SECRET_HEADER_PARTS.some((part) => n.includes(part));
}

/** Shorter observed values are masked where their name says so, but not searched for everywhere. */
export const MIN_KNOWN_SECRET = 8;
