/**
 * The modern half of the demo page script (client-script.ts is the other and
 * calls these): request objects, pushed authorization requests, ES256 client
 * assertions, JARM responses, RP-initiated logout and the BFF session. Plain
 * browser JS on WebCrypto; the two strings run as one script.
 */
export const CLIENT_SCRIPT_MODERN = String.raw`
const PAR_KEY = 'oauth-lens-demo:par';
const dec = new TextDecoder();
function b64urlJson(o) { return b64url(enc.encode(JSON.stringify(o))); }
function fromB64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A compact JWS signed with an ES256 private JWK (WebCrypto's ECDSA signature is JOSE's r||s). */
async function signEs256(jwk, header, payload) {
  const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const input = b64urlJson(Object.assign({ alg: 'ES256', kid: jwk.kid }, header)) + '.' + b64urlJson(payload);
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, enc.encode(input));
  return input + '.' + b64url(new Uint8Array(sig));
}

/** private_key_jwt (RFC 7523): an assertion the AS verifies with the client's registered key. */
async function clientAssertion(p) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await signEs256(cfg.keys.fapi, { typ: 'JWT' }, { iss: p.clientId, sub: p.clientId, aud: p.issuer, jti: rand(16), iat: now, exp: now + 60 });
  return { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt };
}

/** RFC 9101: every parameter in the object; client_id, response_type and scope also outside. */
async function requestObject(V, p, q) {
  const claims = Object.fromEntries(q);
  let jwt;
  if (V.requestObject === 'none') jwt = b64urlJson({ alg: 'none', typ: 'oauth-authz-req+jwt' }) + '.' + b64urlJson(claims) + '.';
  else {
    const now = Math.floor(Date.now() / 1000);
    Object.assign(claims, { iss: p.clientId, aud: p.issuer, iat: now, nbf: now, exp: now + 300, jti: rand(16) });
    jwt = await signEs256(cfg.keys.jar, { typ: 'oauth-authz-req+jwt' }, claims);
  }
  const outer = new URLSearchParams();
  for (const k of ['client_id', 'response_type', 'scope']) outer.set(k, q.get(k));
  outer.set('request', jwt);
  return outer;
}

/** RFC 9126: push the parameters, then send only client_id and request_uri through the browser. */
async function pushAuthorization(V, meta, p, q) {
  const body = new URLSearchParams(q);
  if ((V.token || {}).auth === 'private_key_jwt') for (const [k, v] of Object.entries(await clientAssertion(p))) body.set(k, v);
  const res = await fetch(meta.pushed_authorization_request_endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const out = await res.json();
  log('pushed authorization request ' + res.status);
  if (!out.request_uri) throw new Error('PAR refused: ' + (out.error || res.status));
  return out.request_uri;
}

/** The authorization request URL, after request objects and PAR; the second login of par: 'reuse' replays the first request_uri. */
async function authorizationUrl(V, meta, p, q) {
  const at = (params) => meta.authorization_endpoint + '?' + params;
  if (V.par === 'reuse' && p.seq > 1) {
    const first = JSON.parse(localStorage.getItem(PAR_KEY));
    Object.assign(p, first.secrets);
    return at(new URLSearchParams({ client_id: p.clientId, request_uri: first.uri }));
  }
  if (V.requestObject) q = await requestObject(V, p, q);
  if (!V.par) return at(q);
  const uri = await pushAuthorization(V, meta, p, q);
  if (V.par === 'reuse') localStorage.setItem(PAR_KEY, JSON.stringify({ uri, secrets: { state: p.state, nonce: p.nonce, verifier: p.verifier } }));
  return at(new URLSearchParams({ client_id: p.clientId, request_uri: uri }));
}

/** JARM: the parameters inside response=<JWT> (this demo client does not verify it: the inspector does). */
function unwrapJarm(params) {
  const jwt = params.get('response');
  if (!jwt) return params;
  const claims = JSON.parse(dec.decode(fromB64url(jwt.split('.')[1] || '')));
  return new URLSearchParams(Object.entries(claims).filter(([, v]) => typeof v === 'string'));
}

/** OIDC RP-Initiated Logout 1.0: GET with the parameters in the URL, or a form POST. */
async function logout(p, tokens, post) {
  if (!p.endSession || !tokens.id_token) throw new Error('no end_session_endpoint or ID token');
  const q = { id_token_hint: tokens.id_token, post_logout_redirect_uri: cfg.origin + '/logged-out', state: rand(16), client_id: p.clientId };
  await settle();
  if (!post) return location.assign(p.endSession + '?' + new URLSearchParams(q));
  const form = document.createElement('form');
  form.method = 'post';
  form.action = p.endSession;
  for (const [k, v] of Object.entries(q)) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = k; input.value = v;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}

async function bffMe() {
  const res = await fetch('/bff/api/me');
  if (!res.ok) return failed('bff session refused: ' + res.status);
  done('signed in (backend-for-frontend)');
}
`;
