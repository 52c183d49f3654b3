/** The protected header of a JWS Keyline signs: certificates and offline files alike. */
export interface JwsHeader {
  alg: 'EdDSA';
  kid?: string;
}

/**
 * The header, when it is one Keyline accepts: EdDSA (RFC 8037), a `kid` that is text when there is
 * one, and no `crit`. A recipient must refuse a JWS whose `crit` names an extension it does not
 * understand (RFC 7515 §4.1.11); Keyline understands none, so any `crit`, well-formed or not, is
 * refused rather than the extension it asks for being silently ignored.
 */
export function acceptedJwsHeader(header: unknown): JwsHeader | null {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return null;
  const h = header as Record<string, unknown>;
  if (h['alg'] !== 'EdDSA' || (h['kid'] !== undefined && typeof h['kid'] !== 'string') || 'crit' in h) return null;
  return h as unknown as JwsHeader;
}
