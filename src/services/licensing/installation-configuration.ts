import type { CertificateClaims } from '../../domain/certificate.js';
import { inPrecedence } from '../../domain/configuration-policy.js';
import { DEFAULT_PROFILE, type InstallationConfiguration, type KeyConfiguration } from '../../domain/configuration-profile.js';
import type { ProfileDelivery } from '../../domain/licensing-protocol.js';
import { configurationHash, effectiveConfiguration } from '../../domain/payloads.js';
import { signConfigurationDocument, type Signer } from './signing.js';

/**
 * The configuration an installation runs with: its key's profile (the built-in Default without
 * one) under the policies laid over it, by the one precedence rule (effectiveConfiguration).
 * Every certificate, check-in answer and offline file takes it from here, so they always agree.
 */
export function installationConfiguration({ profile, policies }: KeyConfiguration): InstallationConfiguration {
  const base = profile ?? DEFAULT_PROFILE;
  const ordered = inPrecedence(policies);
  const payloads = effectiveConfiguration(
    base.payloads,
    ordered.map((p) => p.payloads),
  );
  return {
    id: base.id,
    name: base.name,
    version: base.version,
    policies: ordered.map(({ kind, id, name, version }) => ({ kind, id, name, version })),
    hash: configurationHash(payloads),
    payloads,
  };
}

/** The configuration as an installation receives it: what it names, and the document signed for this installation. */
export function deliverConfiguration(signer: Signer, claims: Pick<CertificateClaims, 'sub' | 'aud' | 'iat'>, c: InstallationConfiguration): ProfileDelivery {
  // The policies are named only when there are any, so an installation without them sees what it always did.
  const policies = c.policies.length > 0 ? { policies: c.policies } : {};
  const document = signConfigurationDocument(signer, {
    kind: 'configuration',
    sub: claims.sub,
    aud: claims.aud,
    id: c.id,
    name: c.name,
    version: c.version,
    ...policies,
    hash: c.hash,
    payloads: c.payloads,
    iat: claims.iat,
  });
  return { id: c.id, name: c.name, version: c.version, ...policies, hash: c.hash, document };
}
