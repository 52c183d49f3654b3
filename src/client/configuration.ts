import type { CertificateClaims } from '../domain/certificate.js';
import { configurationDocumentSchema, type ConfigurationDocument, type Jwks, type ProfileDelivery } from '../domain/licensing-protocol.js';
import { configurationHash } from '../domain/payloads.js';
import { licensesProduct, verifyServerJws, type SignatureProblem } from './certificate.js';

export type ConfigurationProblem = SignatureProblem | 'wrong_installation' | 'wrong_product' | 'not_current' | 'hash_mismatch';

/**
 * Verifies a configuration document with the server's public keys alone: its signature, that it
 * is for this installation and product, that its payloads are what its hash says, and that it is
 * the configuration the (verified) certificate names, so an old document cannot pass for the
 * current one. A document of an earlier edition stays good under its upgrade's certificate: a
 * conversion changes the edition, not what the configuration delivers, so it is not sent again.
 */
export function verifyConfiguration(
  delivery: Pick<ProfileDelivery, 'document'>,
  jwks: Jwks,
  claims: Pick<CertificateClaims, 'sub' | 'aud' | 'lic'>,
): { ok: true; document: ConfigurationDocument } | { ok: false; problem: ConfigurationProblem } {
  const verified = verifyServerJws(delivery.document, jwks, configurationDocumentSchema);
  if (!verified.ok) return verified;
  const document = verified.payload;
  if (document.sub !== claims.sub) return { ok: false, problem: 'wrong_installation' };
  if (!licensesProduct(claims, document.aud)) return { ok: false, problem: 'wrong_product' };
  if (configurationHash(document.payloads) !== document.hash) return { ok: false, problem: 'hash_mismatch' };
  if (document.hash !== claims.lic.profile?.hash) return { ok: false, problem: 'not_current' };
  return { ok: true, document };
}
