/** Example captures loadable with one click, for teaching without a live site. */
export interface Example {
  id: string;
  title: string;
  description: string;
  /** A HAR object, loaded on demand so the panel's first paint does not pay for it. */
  load: () => Promise<object>;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'clean-code-pkce',
    title: 'Clean: code + PKCE',
    description: 'A public client done right: PKCE S256, state, nonce, iss, no-store.',
    load: async () => (await import('./clean-code-pkce.ts')).cleanCodePkce,
  },
  {
    id: 'unsafe-implicit',
    title: 'Unsafe: implicit, leaks',
    description: 'Implicit flow, weak state, no nonce, token in fragment and query, Referer leak, expired ID token.',
    load: async () => (await import('./unsafe-implicit.ts')).unsafeImplicit,
  },
];
