import type { CertificateClaims } from '../../domain/certificate.js';
import { DEFAULT_PROFILE, type InstallationConfiguration, type KeyProfile } from '../../domain/configuration-profile.js';
import type { ProfileDelivery } from '../../domain/licensing-protocol.js';
import { configurationHash, effectiveConfiguration, type Payload } from '../../domain/payloads.js';
import { signConfigurationDocument, type Signer } from './signing.js';

/** The group policy over a key's profile (capability 10); what it carries besides its payloads joins it here. */
export interface ConfigurationPolicy {
  payloads: readonly Payload[];
}

/**
 * The configuration an installation runs with: its key's profile (the built-in Default without
 * one) under the policy of its user group, by the one precedence rule (effectiveConfiguration).
 * Every certificate, check-in answer and offline file takes it from here, so they always agree.
 */
export function installationConfiguration(profile: KeyProfile | null, policy: ConfigurationPolicy | null): InstallationConfiguration {
  const base = profile ?? DEFAULT_PROFILE;
  const payloads = effectiveConfiguration(base.payloads, policy?.payloads ?? null);
  return { id: base.id, name: base.name, version: base.version, hash: configurationHash(payloads), payloads };
}

/** The configuration as an installation receives it: what it names, and the document signed for this installation. */
export function deliverConfiguration(signer: Signer, claims: Pick<CertificateClaims, 'sub' | 'aud' | 'iat'>, c: InstallationConfiguration): ProfileDelivery {
  const document = signConfigurationDocument(signer, {
    kind: 'configuration',
    sub: claims.sub,
    aud: claims.aud,
    id: c.id,
    name: c.name,
    version: c.version,
    hash: c.hash,
    payloads: c.payloads,
    iat: claims.iat,
  });
  return { id: c.id, name: c.name, version: c.version, hash: c.hash, document };
}
