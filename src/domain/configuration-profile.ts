import { DEFAULT_PROFILE_NAME } from './default-profile.js';
import { invalidInput, type InputIssue } from './errors.js';
import { checkPayload, configurationHash, effectiveConfiguration, type EffectiveConfiguration, type Payload, type PayloadType } from './payloads.js';

/**
 * Configuration profiles (capability 9): a named set of payloads of one product, assigned per
 * license key. A key with no profile uses the built-in Default, which is no row: it has no
 * payloads, never changes, and is the same for every account.
 */
export const DEFAULT_PROFILE = { id: null, name: DEFAULT_PROFILE_NAME, version: 1, payloads: [] as Payload[] } as const;

/** What a profile delivers to an installation that has no group policy, as its hash says. */
export function profileHash(payloads: readonly Payload[]): string {
  return configurationHash(effectiveConfiguration(payloads, null));
}

/**
 * A profile's payloads as the request sent them, each checked against its product's types, or
 * every problem at its place in the request (`payloads.<n>.settings.<key>`), so a form can mark
 * the field. A type appears once in a profile: two would leave which one applies to chance.
 */
export function checkProfilePayloads(types: readonly PayloadType[], payloads: readonly { type: string; enabled: boolean; settings: unknown }[]): Payload[] {
  const issues: InputIssue[] = [];
  const kept: Payload[] = [];
  const seen = new Set<string>();
  payloads.forEach((payload, n) => {
    if (seen.has(payload.type)) {
      issues.push({ path: `payloads.${n}.type`, message: 'is already in this profile: a payload type appears once' });
      return;
    }
    seen.add(payload.type);
    const verdict = checkPayload(types, payload);
    if (verdict.ok) kept.push(verdict.payload);
    else issues.push({ path: ['payloads', n, ...verdict.path].join('.'), message: verdict.message });
  });
  if (issues.length > 0) throw invalidInput(issues);
  return kept;
}

/** A profile's version counts what it delivers: a change to that is a new version, a rename or a change to a disabled payload is not. */
export function nextVersion(current: { version: number; contentHash: string }, newHash: string): number {
  return newHash === current.contentHash ? current.version : current.version + 1;
}

/** A key's profile as an installation's context reads it: only when it is of the installation's product. */
export interface KeyProfile {
  id: string;
  name: string;
  version: number;
  payloads: Payload[];
}

/** The configuration an installation runs with, as certificates, check-ins and offline files name it. */
export interface InstallationConfiguration {
  /** null for the built-in Default. */
  id: string | null;
  name: string;
  version: number;
  hash: string;
  payloads: EffectiveConfiguration;
}

/** What an installation has applied, as the portal shows it beside the key's profile. */
export type AppliedState = 'current' | 'earlier' | 'not_reported';

export function appliedState(appliedHash: string | null, current: Pick<InstallationConfiguration, 'hash'>): AppliedState {
  if (appliedHash === null) return 'not_reported';
  return appliedHash === current.hash ? 'current' : 'earlier';
}
