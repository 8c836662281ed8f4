/** Builders for the variant table rows (variant-rows.ts, variant-rows-modern.ts). */
import type { Variant } from './variants.ts';
import type { TenantName } from './flawed-clients.ts';

export type Row = Partial<Variant> & Pick<Variant, 'name' | 'description' | 'expect'>;

export const CODE = ['authorization_code'];

export function op(row: Row): Variant {
  return {
    as: 'op',
    clientId: 'lens-spa',
    responseType: 'code',
    scope: 'openid profile',
    pkce: 'S256',
    state: 'random',
    nonce: true,
    mode: 'redirect',
    flows: 1,
    kinds: CODE,
    ...row,
  };
}

export function flawed(as: TenantName, clientId: string, row: Row): Variant {
  return op({ as, clientId, scope: 'openid profile', ...row });
}

export const OAUTH_ONLY = { scope: 'profile', nonce: false } as const;
export const HYBRID: Partial<Variant> = { responseType: 'code id_token', responseMode: 'form_post', kinds: ['hybrid'] };

