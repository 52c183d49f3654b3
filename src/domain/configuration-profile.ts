import type { KeyPolicy, PolicyRef } from './configuration-policy.js';
import { DEFAULT_PROFILE_NAME } from './default-profile.js';
import type { EffectiveConfiguration, Payload } from './payloads.js';

/**
 * Configuration profiles (capability 9): a named set of payloads of one product, assigned per
 * license key. A key with no profile uses the built-in Default, which is no row: it has no
 * payloads, never changes, and is the same for every account. A profile is checked, hashed and
 * versioned as every payload set is (payload-sets.ts).
 */
export const DEFAULT_PROFILE = { id: null, name: DEFAULT_PROFILE_NAME, version: 1, payloads: [] as Payload[] } as const;

/** A key's profile as an installation's context reads it: only when it is of the installation's product. */
export interface KeyProfile {
  id: string;
  name: string;
  version: number;
  payloads: Payload[];
}

/** What a key configures for its installations of one product: its profile (null: Default) and the policies over it. */
export interface KeyConfiguration {
  profile: KeyProfile | null;
  policies: KeyPolicy[];
}

/** A trial's, or a key's with nothing assigned: the built-in Default alone. */
export const NO_KEY_CONFIGURATION: KeyConfiguration = { profile: null, policies: [] };

/** The configuration an installation runs with, as certificates, check-ins and offline files name it. */
export interface InstallationConfiguration {
  /** The key's profile: null for the built-in Default. */
  id: string | null;
  name: string;
  version: number;
  /** The policies laid over the profile, in the order they apply (empty for most installations). */
  policies: PolicyRef[];
  /** The hash of the effective payloads: what tells an installation whether it has the current configuration. */
  hash: string;
  payloads: EffectiveConfiguration;
}

/** What an installation has applied, as the portal shows it beside the key's profile. */
export type AppliedState = 'current' | 'earlier' | 'not_reported';

export function appliedState(appliedHash: string | null, current: Pick<InstallationConfiguration, 'hash'>): AppliedState {
  if (appliedHash === null) return 'not_reported';
  return appliedHash === current.hash ? 'current' : 'earlier';
}
