import type { Product } from './catalog.js';
import type { Payload } from './payloads.js';

/**
 * Account configuration laid over a key's profile (capability 10, Enterprise). Today that is the
 * policy of the user group the key is bound to; golden images (one per architecture) are to join
 * as another kind, delivered the same way. The kinds are listed lowest precedence first: a later
 * kind's settings override an earlier one's (effectiveConfiguration).
 */
export const POLICY_KINDS = ['group_policy'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** A policy over a key's profile as an installation's context reads it: only one of the installation's product. */
export interface KeyPolicy {
  kind: PolicyKind;
  id: string;
  name: string;
  version: number;
  payloads: Payload[];
}

/** How certificates, configuration documents and the portal name a policy an installation runs with. */
export type PolicyRef = Omit<KeyPolicy, 'payloads'>;

/** The policies in the order they apply: by kind, lowest precedence first, then by id so the order never depends on how they were read. */
export function inPrecedence(policies: readonly KeyPolicy[]): KeyPolicy[] {
  const rank = (p: KeyPolicy) => POLICY_KINDS.indexOf(p.kind);
  return [...policies].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The catalog features (`features` of a product) that the Enterprise management needs. */
export type ManagementFeature = 'user_groups' | 'policies';

export const hasFeature = (product: Pick<Product, 'features'>, feature: ManagementFeature) => product.features.includes(feature);
