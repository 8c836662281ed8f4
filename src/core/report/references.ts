/**
 * Links for the catalogue's references ("RFC 9700 §2.1.1; RFC 7636 §1",
 * "OIDC §3.1.3.7 (9)"): the first reference that names a published document.
 */

const DOCUMENTS: Record<string, string> = {
  OIDC: 'https://openid.net/specs/openid-connect-core-1_0.html',
  'OIDC Discovery': 'https://openid.net/specs/openid-connect-discovery-1_0.html',
  BBA: 'https://datatracker.ietf.org/doc/draft-ietf-oauth-browser-based-apps/',
};

/** One reference ("RFC 9700 §2.1.1") as a URL, or undefined when it names nothing known. */
export function referenceUrl(reference: string): string | undefined {
  const rfc = /^RFC\s*(\d+)(?:\s*§\s*(\d+(?:\.\d+)*))?/i.exec(reference.trim());
  if (rfc) {
    const base = `https://www.rfc-editor.org/rfc/rfc${rfc[1]}`;
    return rfc[2] ? `${base}#section-${rfc[2]}` : base;
  }
  const named = /^(OIDC Discovery|OIDC|BBA)\b/.exec(reference.trim());
  return named ? DOCUMENTS[named[1]!] : undefined;
}

/** The help link for a check's reference list: the first RFC section, else the first known document. */
export function helpUri(references: string): string {
  const parts = references.split(';').map((part) => part.trim());
  for (const part of parts) if (/^RFC/i.test(part)) return referenceUrl(part)!;
  for (const part of parts) {
    const url = referenceUrl(part);
    if (url) return url;
  }
  return 'https://www.rfc-editor.org/rfc/rfc9700';
}
