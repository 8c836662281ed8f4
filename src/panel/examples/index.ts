/**
 * Example captures loadable with one click, for teaching without a live site:
 * three real captures of the demo (test/fixtures/har, recorded in Chromium
 * against oidc-provider) and two hand-written ones that show many warnings.
 * Each is a separate chunk, loaded on demand.
 */
export interface Example {
  id: string;
  title: string;
  description: string;
  /** The HAR text. */
  load: () => Promise<string>;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'clean',
    title: 'Real: clean code + PKCE',
    description: 'A single-page app signing in at oidc-provider: PKCE S256, state, nonce, iss, token request from page script.',
    load: async () => (await import('../../../test/fixtures/har/clean.har?raw')).default,
  },
  {
    id: 'confidential',
    title: 'Real: confidential client',
    description: 'A server-side web app: the browser never sees the token exchange, and the panel says so.',
    load: async () => (await import('../../../test/fixtures/har/confidential.har?raw')).default,
  },
  {
    id: 'implicit',
    title: 'Real: implicit flow',
    description: 'The deprecated implicit flow: the access token comes back in the URL fragment.',
    load: async () => (await import('../../../test/fixtures/har/implicit.har?raw')).default,
  },
  {
    id: 'clean-code-pkce',
    title: 'Written: clean code + PKCE',
    description: 'A public client done right: PKCE S256, state, nonce, iss, no-store.',
    load: async () => JSON.stringify((await import('./clean-code-pkce.ts')).cleanCodePkce),
  },
  {
    id: 'unsafe-implicit',
    title: 'Written: unsafe, many leaks',
    description: 'Implicit flow, weak state, no nonce, token in fragment and query, Referer leak, expired ID token, markup in an error.',
    load: async () => JSON.stringify((await import('./unsafe-implicit.ts')).unsafeImplicit),
  },
];
