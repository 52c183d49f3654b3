import { createPublicKey, verify } from 'node:crypto';
import type { z } from 'zod';
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

export type SignatureProblem = 'malformed' | 'unknown_key' | 'bad_signature';

/**
 * A compact JWS the server signed (a certificate, a configuration document), its payload read
 * with `schema` and its EdDSA signature checked with the key its header names, no network.
 */
export function verifyServerJws<T>(jws: string, jwks: Jwks, schema: z.ZodType<T>): { ok: true; kid: string; payload: T } | { ok: false; problem: SignatureProblem } {
  const parts = jws.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  let protectedHeader: JwsHeader | null;
  let content: T;
  try {
    protectedHeader = acceptedJwsHeader(decode(header));
    const parsed = schema.safeParse(decode(payload));
    if (!parsed.success) return { ok: false, problem: 'malformed' };
    content = parsed.data;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (!protectedHeader) return { ok: false, problem: 'malformed' };
  const jwk = jwks.keys.find((k) => k.kid === protectedHeader.kid);
  if (!jwk) return { ok: false, problem: 'unknown_key' };
  if (!signedBy(jwk, `${header}.${payload}`, signature)) return { ok: false, problem: 'bad_signature' };
  return { ok: true, kid: jwk.kid, payload: content };
}

/**
 * Whether claims license an installation of `product`: a certificate of that product, or of the
 * edition it upgrades to (`lic.upgradeOf`: a Business app licensed as Enterprise after a conversion).
 */
export const licensesProduct = (claims: Pick<CertificateClaims, 'aud' | 'lic'>, product: string) => claims.aud === product || (claims.lic.upgradeOf ?? []).includes(product);

/**
 * Verifies a certificate with the server's public keys alone, no network: the EdDSA signature by
 * the key its header names, then that it is not past `exp` and is for this product (or its
 * upgrade) and installation.
 */
export function verifyCertificate(certificate: string, jwks: Jwks, expect: Expectations = {}): Verification {
  const verified = verifyServerJws(certificate, jwks, certificateClaimsSchema);
  if (!verified.ok) return verified;
  const claims = verified.payload;
  if ((expect.now ?? new Date()).getTime() >= claims.exp * 1000) return { ok: false, problem: 'expired' };
  if (expect.product !== undefined && !licensesProduct(claims, expect.product)) return { ok: false, problem: 'wrong_product' };
  if (expect.installationId !== undefined && claims.sub !== expect.installationId) return { ok: false, problem: 'wrong_installation' };
  return { ok: true, kid: verified.kid, claims };
}

/** Whether the product may run under these claims: a verified certificate whose license is active or in grace. */
export const isLicensed = (claims: CertificateClaims) => RUNNABLE_STATES.includes(claims.lic.state);
