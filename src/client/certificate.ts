import { createPublicKey, verify } from 'node:crypto';
import { RUNNABLE_STATES, type CertificateClaims } from '../domain/certificate.js';
import { acceptedJwsHeader, type JwsHeader } from '../domain/jws.js';
import { certificateClaimsSchema, type Jwks } from '../domain/licensing-protocol.js';

export type CertificateProblem = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'wrong_product' | 'wrong_installation';

export type Verification = { ok: true; kid: string; claims: CertificateClaims } | { ok: false; problem: CertificateProblem };

export interface Expectations {
  now?: Date;
  product?: string;
  installationId?: string;
}

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function signedBy(jwk: Jwks['keys'][number], data: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    return verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64url'));
  } catch {
    // A key that is not a valid Ed25519 point verifies nothing.
    return false;
  }
}

/**
 * Verifies a certificate with the server's public keys alone, no network: the EdDSA signature by
 * the key its header names, then that it is not past `exp` and is for this product and installation.
 */
export function verifyCertificate(certificate: string, jwks: Jwks, expect: Expectations = {}): Verification {
  const parts = certificate.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  let protectedHeader: JwsHeader | null;
  let claims: CertificateClaims;
  try {
    protectedHeader = acceptedJwsHeader(decode(header));
    const parsed = certificateClaimsSchema.safeParse(decode(payload));
    if (!parsed.success) return { ok: false, problem: 'malformed' };
    claims = parsed.data;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (!protectedHeader) return { ok: false, problem: 'malformed' };
  const jwk = jwks.keys.find((k) => k.kid === protectedHeader.kid);
  if (!jwk) return { ok: false, problem: 'unknown_key' };
  if (!signedBy(jwk, `${header}.${payload}`, signature)) return { ok: false, problem: 'bad_signature' };
  if ((expect.now ?? new Date()).getTime() >= claims.exp * 1000) return { ok: false, problem: 'expired' };
  if (expect.product !== undefined && claims.aud !== expect.product) return { ok: false, problem: 'wrong_product' };
  if (expect.installationId !== undefined && claims.sub !== expect.installationId) return { ok: false, problem: 'wrong_installation' };
  return { ok: true, kid: jwk.kid, claims };
}

/** Whether the product may run under these claims: a verified certificate whose license is active or in grace. */
export const isLicensed = (claims: CertificateClaims) => RUNNABLE_STATES.includes(claims.lic.state);
