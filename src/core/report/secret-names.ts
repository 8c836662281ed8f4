/** What counts as a secret, by name: shared by redaction and by the collection of a capture's secrets. */

/** Parameter, JSON field and claim names whose values are secrets. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'code',
  'access_token',
  'id_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'password',
  'passwd',
  'assertion',
  'client_assertion',
  'token',
  'device_code',
  'user_code',
  'id_token_hint',
  // A JARM response (JARM §4.3): a JWT that carries the code or the tokens.
  'response',
  'logout_token',
  'subject_token',
  'actor_token',
  'otp',
  'api_key',
  'apikey',
  'secret',
]);

/** Headers whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'dpop',
  'x-api-key',
  'x-auth-token',
  'x-amz-security-token',
]);

/** Shorter observed values are masked where their name says so, but not searched for everywhere. */
export const MIN_KNOWN_SECRET = 8;
