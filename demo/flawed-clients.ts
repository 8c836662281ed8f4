/**
 * Tenants (provider shapes) and clients of the deliberately flawed
 * authorization server. Each flaw is switched on per client, so one server
 * serves the clean and the broken variants side by side.
 *
 * Endpoint paths imitate real providers on purpose: the engine must recognise
 * flows by their parameters, never by a conventional path.
 */

export type TenantName = 'google' | 'ms' | 'github' | 'keycloak' | 'keycloak-broken' | 'okta';

export interface Tenant {
  name: TenantName;
  /** What the tokens and the callback `iss` say. */
  issuer: string;
  /** What the discovery document says (differs for `keycloak-broken`). */
  advertisedIssuer: string;
  discovery?: string;
  authorize: string;
  /** Where the login form posts. */
  login: string;
  token: string;
  jwks?: string;
  userinfo?: string;
  /** Pushed authorization requests (RFC 9126). */
  par?: string;
  /** RP-initiated logout (GET or POST). */
  endSession?: string;
  /** Advertises and sends RFC 9207 `iss`. */
  issParameter: boolean;
  oidc: boolean;
}

export type Flaw =
  | 'ignore-pkce' // no PKCE checks at all (missing, wrong, or downgraded verifier all pass)
  | 'code-reuse' // a code can be redeemed again
  | 'prefix-redirect' // redirect_uri matched by prefix at /authorize
  | 'redirect-unchecked-at-token' // token request redirect_uri not compared
  | 'no-rotate' // refresh returns the same refresh token
  | 'old-refresh-accepted' // rotates, but the old refresh token still works
  | 'no-cache-control' // token response without Cache-Control: no-store
  | 'login-307' // login form POST answered with 307 to the client
  | 'iss-omit' // advertises iss parameter support but omits it
  | 'iss-wrong' // sends a wrong iss in the callback
  | 'state-mangle' // callback state differs from the request's
  | 'state-omit-on-error' // error callbacks drop state
  | 'allow-no-nonce' // id_token response types without nonce accepted
  | 'password-grant' // grant_type=password accepted
  | 'get-token' // token requests by GET (query parameters) accepted
  | 'id-alg-none'
  | 'id-bad-signature'
  | 'id-wrong-iss'
  | 'id-wrong-aud'
  | 'id-expired'
  | 'id-wrong-nonce'
  | 'id-wrong-at-hash'
  | 'id-wrong-c-hash'
  // --- modern flows (PAR, JAR, JARM, DPoP, the AS's own pages) ---
  | 'dpop-ignore' // takes no notice of a DPoP proof: token_type Bearer, nothing bound
  | 'dpop-type-without-proof' // says token_type DPoP even when the request sent no proof
  | 'dpop-replay' // accepts a proof whose jti it has already seen
  | 'dpop-refresh-unbound' // a DPoP-bound refresh token works without a proof, or with another key's
  | 'jarm-bad-aud' // JARM responses name another audience
  | 'par-long-lived' // PAR request_uri valid for an hour (expires_in 3600)
  | 'par-reusable' // a PAR request_uri can be used more than once
  | 'request-unsigned' // request objects with alg none accepted
  | 'authorize-cors' // the authorization endpoint answers with Access-Control-Allow-Origin: *
  | 'no-frame-protection'; // login page without frame-ancestors / X-Frame-Options

export interface FlawedClient {
  id: string;
  tenant: TenantName;
  secret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  flaws: ReadonlySet<Flaw>;
}

export const TENANT_MS = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface Origins {
  /** `https://<name>.example.test:PORT` */
  https(name: string): string;
  /** `http://<name>.example.test:HTTP_PORT` */
  http(name: string): string;
}

export function tenants(o: Origins): Tenant[] {
  const accounts = o.https('accounts');
  const login = o.https('login');
  const sso = o.https('sso');
  const github = o.https('github');
  const okta = `${o.https('okta')}/oauth2/default`;
  const ms = `${login}/${TENANT_MS}`;
  return [
    {
      name: 'google',
      issuer: accounts,
      advertisedIssuer: accounts,
      discovery: `${accounts}/.well-known/openid-configuration`,
      authorize: `${accounts}/o/oauth2/v2/auth`,
      login: `${accounts}/signin/v2/challenge/pwd`,
      token: `${o.https('oauth2')}/token`,
      jwks: `${accounts}/oauth2/v3/certs`,
      userinfo: `${o.https('openidconnect')}/v1/userinfo`,
      par: `${accounts}/o/oauth2/v2/par`,
      endSession: `${accounts}/o/oauth2/v2/logout`,
      issParameter: true,
      oidc: true,
    },
    {
      name: 'ms',
      issuer: `${ms}/v2.0`,
      advertisedIssuer: `${ms}/v2.0`,
      discovery: `${ms}/v2.0/.well-known/openid-configuration`,
      authorize: `${ms}/oauth2/v2.0/authorize`,
      login: `${ms}/login`,
      token: `${ms}/oauth2/v2.0/token`,
      jwks: `${ms}/discovery/v2.0/keys`,
      userinfo: `${o.https('graph')}/oidc/userinfo`,
      par: `${ms}/oauth2/v2.0/par`,
      endSession: `${ms}/oauth2/v2.0/logout`,
      issParameter: true,
      oidc: true,
    },
    {
      name: 'github',
      issuer: github,
      advertisedIssuer: github,
      authorize: `${github}/login/oauth/authorize`,
      login: `${github}/session`,
      token: `${github}/login/oauth/access_token`,
      issParameter: false,
      oidc: false,
    },
    keycloak('keycloak', `${sso}/realms/demo`, `${sso}/realms/demo`),
    // Okta-shaped, OIDC, and (like many deployments) no RFC 9207 iss at all.
    {
      name: 'okta',
      issuer: okta,
      advertisedIssuer: okta,
      discovery: `${okta}/.well-known/openid-configuration`,
      authorize: `${okta}/v1/authorize`,
      login: `${okta}/v1/login`,
      token: `${okta}/v1/token`,
      jwks: `${okta}/v1/keys`,
      userinfo: `${okta}/v1/userinfo`,
      issParameter: false,
      oidc: true,
    },
    // A classic reverse-proxy mistake: the realm advertises its issuer without the port.
    keycloak('keycloak-broken', `${sso}/realms/broken`, `https://sso.example.test/realms/broken`, false),
  ];
}

function keycloak(name: TenantName, realm: string, advertised: string, iss = true): Tenant {
  const oidc = `${realm}/protocol/openid-connect`;
  return {
    name,
    issuer: realm,
    advertisedIssuer: advertised,
    discovery: `${realm}/.well-known/openid-configuration`,
    authorize: `${oidc}/auth`,
    login: `${realm}/login-actions/authenticate`,
    token: `${oidc}/token`,
    jwks: `${oidc}/certs`,
    userinfo: `${oidc}/userinfo`,
    par: `${oidc}/ext/par/request`,
    endSession: `${oidc}/logout`,
    issParameter: iss,
    oidc: true,
  };
}

export const CLIENT_SECRET_IN_PAGE = 'kc-spa-secret-shipped-to-every-browser-0001';

const TABLE: Array<[id: string, tenant: TenantName, flaws: Flaw[], secret?: string]> = [
  // google-web takes no notice of DPoP (dpop-invalid sends it a broken proof).
  ['google-web', 'google', ['dpop-ignore']],
  ['google-legacy', 'google', ['ignore-pkce', 'code-reuse']],
  ['ms-spa', 'ms', []],
  ['ms-legacy', 'ms', ['ignore-pkce', 'code-reuse', 'prefix-redirect', 'old-refresh-accepted']],
  ['ms-idt-none', 'ms', ['id-alg-none']],
  ['ms-idt-badsig', 'ms', ['id-bad-signature']],
  ['ms-idt-iss', 'ms', ['id-wrong-iss']],
  ['ms-idt-aud', 'ms', ['id-wrong-aud']],
  ['ms-idt-expired', 'ms', ['id-expired']],
  ['ms-idt-nonce', 'ms', ['id-wrong-nonce']],
  ['ms-idt-athash', 'ms', ['id-wrong-at-hash']],
  ['ms-hybrid', 'ms', []],
  ['ms-hybrid-chash', 'ms', ['id-wrong-c-hash']],
  ['ms-hybrid-nononce', 'ms', ['allow-no-nonce']],
  ['gh-app', 'github', []],
  ['kc-spa', 'keycloak', []],
  ['kc-secret', 'keycloak', [], CLIENT_SECRET_IN_PAGE],
  ['kc-password', 'keycloak', ['password-grant']],
  ['kc-cacheable', 'keycloak', ['no-cache-control']],
  ['kc-307', 'keycloak', ['login-307']],
  ['kc-noiss', 'keycloak', ['iss-omit']],
  ['kc-badiss', 'keycloak', ['iss-wrong']],
  ['kc-norotate', 'keycloak', ['no-rotate']],
  ['kc-get-token', 'keycloak', ['get-token']],
  ['kc-loose-redirect', 'keycloak', ['redirect-unchecked-at-token']],
  ['kc-state-mangle', 'keycloak', ['state-mangle']],
  ['kc-cancel-nostate', 'keycloak', ['state-omit-on-error']],
  ['kc-broken-spa', 'keycloak-broken', []],
  // --- modern flows ---
  ['okta-spa', 'okta', []],
  ['okta-fapi-broken', 'okta', ['login-307']],
  ['ms-dpop-ignore', 'ms', ['dpop-ignore']],
  ['ms-dpop-type', 'ms', ['dpop-type-without-proof']],
  ['ms-dpop-replay', 'ms', ['dpop-replay']],
  ['ms-dpop-refresh', 'ms', ['dpop-refresh-unbound']],
  ['ms-jarm', 'ms', []],
  ['ms-jarm-aud', 'ms', ['jarm-bad-aud']],
  ['kc-par', 'keycloak', []],
  ['kc-par-long', 'keycloak', ['par-long-lived']],
  ['kc-par-reuse', 'keycloak', ['par-reusable']],
  ['kc-jar-none', 'keycloak', ['request-unsigned']],
  ['kc-cors', 'keycloak', ['authorize-cors']],
  ['kc-frameable', 'keycloak', ['no-frame-protection']],
];

/** The flaws of a flawed-AS client (empty for unknown ids, e.g. oidc-provider clients). */
export function clientFlaws(id: string): ReadonlySet<Flaw> {
  return new Set(TABLE.find((row) => row[0] === id)?.[2] ?? []);
}

export function flawedClients(o: Origins): FlawedClient[] {
  const app = o.https('app');
  const redirects = [`${app}/callback`, `${app}/popup-callback`, `${app}/silent-callback`, `${o.http('insecure')}/callback`];
  // Where RP-initiated logout may send the browser back to.
  const postLogout = [`${app}/logged-out`];
  return TABLE.map(([id, tenant, flaws, secret]) => {
    const client: FlawedClient = { id, tenant, redirectUris: redirects, postLogoutRedirectUris: postLogout, flaws: new Set(flaws) };
    if (secret !== undefined) client.secret = secret;
    return client;
  });
}
