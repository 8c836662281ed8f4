/**
 * Hostile-input benchmark (issue 9): the audit of a capture shaped by an
 * attacker must cost at most twice the audit of a benign capture of the same
 * byte size. Both captures are the same requests; in the benign one each
 * hostile payload ({tenantid} runs, `a=&a=…<`, `eyJ` runs, deep JSON, a
 * 100 KB URL, Object.prototype names, terminal escapes) is replaced by
 * ordinary text of the same length. Timed: ingest-free audit + JSON and text
 * reports, best of 5 (a shared machine disturbs the others).
 * Before the fix of issue 9 the {tenantid} request alone froze the engine (over 120 s).
 * Prints one `##bench {json}` line for scripts/bench.mjs.
 */
import { performance } from 'node:perf_hooks';
import { audit } from '../../src/core/audit.ts';
import { toJsonReport } from '../../src/core/report/json.ts';
import { toTextReport } from '../../src/core/report/text.ts';

const gc = globalThis.gc ?? (() => {});
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload) => `${b64({ alg: 'none' })}.${b64(payload)}.`;
let seq = 0;
const event = (url, extra = {}) => {
  seq += 1;
  return { id: `e${seq}`, requestId: `e${seq}`, hop: 0, seq, time: 1_700_000_000_000 + seq * 1000, tabId: 1, method: 'GET', url, type: 'fetch', responseBodyState: 'unavailable', ...extra };
};
const post = (url, body, response) =>
  event(url, { method: 'POST', requestBody: { text: body, mimeType: 'application/x-www-form-urlencoded' }, status: 200, responseBody: { text: response, mimeType: 'application/json' }, responseBodyState: 'captured' });

/** The same capture, with `pick(hostile, benign)` choosing each payload; both have the same length. */
function capture(hostile) {
  seq = 0;
  const same = (evil, length = evil.length) => (hostile ? evil : 'a'.repeat(length));
  const state = 'kT3x9PqLw2ZcV8bN4mR6yH1d';
  const events = [
    event(`https://as.example/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=${state}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`, { type: 'main_frame', status: 302, redirectUrl: `https://app.example/cb?code=good-code-Qx81JzT0a9Lw2u&state=${state}` }),
    post('https://as.example/token', 'grant_type=authorization_code&code=good-code-Qx81JzT0a9Lw2u&client_id=app&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', '{"access_token":"good-access-token-7YhNc2pL0sVq","token_type":"Bearer"}'),
  ];
  for (let round = 0; round < 20; round++) {
    const iss = `https://x.example/${same('{tenantid}'.repeat(12))}/Z`;
    events.push(event(`https://app.example/cb?id_token=${jwt({ iss, aud: 'c', sub: 's' })}&state=s1&iss=https://x.example/${'a'.repeat(200)}`));
    events.push(post('https://as.example/token', `grant_type=authorization_code&code=c${round}xxxxxxxx&${same('constructor')}=1&${same('__proto__')}=2`, same(`a=${'&a='.repeat(28)}<`)));
    events.push(event(`https://app.example/cb?code=c${round}yyyyyyyy&state=s&x=${same('eyJ'.repeat(33_000))}`));
    events.push(event(`https://as.example/authorize?response_type=code&client_id=app&state=s&${same('a'.repeat(100_000).replace(/a/g, (c, i) => (i % 2 ? '=' : 'a')))}`, { type: 'main_frame' }));
    events.push(post('https://as.example/token', 'grant_type=authorization_code&code=deepxxxxxxxx', `{"access_token":"at-deep-0123456789","x":${hostile ? `${'['.repeat(5_000)}${']'.repeat(5_000)}` : `"${'a'.repeat(9_998)}"`}}`));
    events.push(event(`https://app.example/cb?code=c${round}zzzzzzzz&state=s&iss=${same(encodeURIComponent('\u001b]0;pwned\u0007\u202E'.repeat(50)))}`));
  }
  return events;
}

async function time(events) {
  const times = [];
  for (let run = 0; run < 5; run++) {
    gc();
    const start = performance.now();
    const result = await audit(events);
    JSON.stringify(toJsonReport(result));
    toTextReport(result, { color: true });
    times.push(performance.now() - start);
  }
  return Math.min(...times);
}

const hostile = capture(true);
const benign = capture(false);
const hostileBytes = JSON.stringify(hostile).length;
const benignBytes = JSON.stringify(benign).length;
const benignMs = await time(benign);
const hostileMs = await time(hostile);
const ratio = hostileMs / benignMs;
console.log('hostile');
console.log(`  audit + reports of a hostile capture (${(hostileBytes / 1e6).toFixed(1)} MB) / a benign one (${(benignBytes / 1e6).toFixed(1)} MB)  ${hostileMs.toFixed(0)} ms / ${benignMs.toFixed(0)} ms  ratio ${ratio.toFixed(2)} (goal ≤ 2) ${ratio <= 2 ? 'ok' : 'OVER'}`);
console.log(`##bench ${JSON.stringify({ name: 'hostile capture / benign capture of the same size', value: ratio, goal: 2, detail: `${hostileMs.toFixed(0)} ms vs ${benignMs.toFixed(0)} ms, ${(hostileBytes / 1e6).toFixed(1)} MB each` })}`);
