/**
 * Links for the catalogue's references. Used by the panel (every cited
 * section) and SARIF (one help link per rule).
 *
 * Turns a catalogue reference ("RFC 9700 §2.1.1; RFC 7636 §1, §4.2",
 * "OIDC §3.1.3.7 (2)") into links to the section. Only these fixed spec
 * hosts are ever linked; nothing from traffic becomes a link.
 */
export interface SpecLink {
  text: string;
  href: string;
}

const OIDC_CORE = 'https://openid.net/specs/openid-connect-core-1_0.html';
const OIDC_DISCOVERY = 'https://openid.net/specs/openid-connect-discovery-1_0.html';
/** OpenID specs use named anchors; these are the sections the catalogue cites. */
const OIDC_ANCHORS: Record<string, string> = {
  '3.1.3.7': 'IDTokenValidation',
  '3.2.2.1': 'ImplicitAuthRequest',
  '3.2.2.9': 'ImplicitTokenValidation',
  '3.3.2.11': 'HybridIDToken',
  '3.1.2.1': 'AuthRequest',
  '3.1.3.3': 'TokenResponse',
  '3.1.3.6': 'CodeIDToken',
  '5.3': 'UserInfo',
  '2': 'IDToken',
};
const DISCOVERY_ANCHORS: Record<string, string> = { '4.3': 'ProviderConfigurationValidation', '3': 'ProviderMetadata' };
/** Specs that are not RFCs, by the name the catalogue cites them with. */
const OTHER_SPECS: Record<string, string> = {
  JARM: 'https://openid.net/specs/oauth-v2-jarm-final.html',
  'FAPI 2.0 SP': 'https://openid.net/specs/fapi-security-profile-2_0-final.html',
  'OIDC RP-Initiated Logout 1.0': 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html',
  'RFC 6265bis': 'https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis',
};
/** OAuth 2.0 for Browser-Based Applications (RFC 10017 / BCP 212). */
const BBA_RFC = '10017';

function sectionHref(spec: string, section: string): string | undefined {
  const other = OTHER_SPECS[spec];
  // The OpenID specs written with xml2rfc v2 number their anchors `rfc.section.N`.
  if (other) return `${other}#${spec.startsWith('OIDC') ? 'rfc.section.' : 'section-'}${section}`;
  const rfc = /^RFC\s*(\d+)$/i.exec(spec);
  if (rfc) return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}#section-${section}`;
  if (spec === 'BBA') return `https://www.rfc-editor.org/rfc/rfc${BBA_RFC}#section-${section}`;
  if (spec === 'OIDC Discovery') return `${OIDC_DISCOVERY}#${DISCOVERY_ANCHORS[section] ?? `rfc.section.${section}`}`;
  if (spec === 'OIDC') return `${OIDC_CORE}#${OIDC_ANCHORS[section] ?? `rfc.section.${section}`}`;
  return undefined;
}

/** The document itself, for a reference that names no section. */
function specRoot(spec: string): string | undefined {
  const other = OTHER_SPECS[spec];
  if (other) return other;
  const rfc = /^RFC\s*(\d+)$/i.exec(spec);
  if (rfc) return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}`;
  if (spec === 'BBA') return `https://www.rfc-editor.org/rfc/rfc${BBA_RFC}`;
  if (spec === 'OIDC Discovery') return OIDC_DISCOVERY;
  if (spec === 'OIDC') return OIDC_CORE;
  return undefined;
}

/** One link per cited section; the text keeps the catalogue's wording. */
export function referenceLinks(reference: string): SpecLink[] {
  const links: SpecLink[] = [];
  for (const part of reference.split(';')) {
    const m = /^\s*(OIDC RP-Initiated Logout 1\.0|FAPI 2\.0 SP|JARM|RFC 6265bis|RFC\s*\d+|OIDC Discovery|OIDC|BBA)(?:\s+(.*))?$/i.exec(part.trim());
    if (!m) continue;
    const spec = m[1]!.startsWith('RFC') && !m[1]!.includes('bis') ? m[1]!.replace(/\s+/, ' ') : m[1]!;
    if (!(m[2] ?? '').includes('§')) {
      const href = specRoot(spec);
      if (href) links.push({ text: spec, href });
      continue;
    }
    for (const piece of (m[2] ?? '').split(',')) {
      const s = /§\s*([\d.]+)(\s*\([^)]*\))?/.exec(piece);
      if (!s) continue;
      const section = s[1]!.replace(/\.$/, '');
      const href = sectionHref(spec, section);
      if (href) links.push({ text: `${spec} §${section}${s[2] ?? ''}`, href });
    }
  }
  return links;
}

/** The help link for a check's reference list: the first RFC section, else the first cited section. */
export function helpUri(references: string): string {
  const links = referenceLinks(references);
  return (links.find((link) => link.text.startsWith('RFC')) ?? links[0])?.href ?? 'https://www.rfc-editor.org/rfc/rfc9700';
}
