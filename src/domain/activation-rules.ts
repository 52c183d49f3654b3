import { licenseTypeRule, type LicensingParams, type Product } from './catalog.js';
import { addDays } from './clock.js';
import { AppError } from './errors.js';
import type { KeyKind } from './seat-pool.js';

/**
 * The rules an online activation passes, in the order PROTOCOL.md gives their codes. Each rule is
 * a small function that returns its refusal code or null, so the order is one list and each rule
 * is tested on its own. What needs the database under a lock (the seat, the binding) comes after.
 */
export type ActivationRefusal =
  | 'key_not_registered'
  | 'product_mismatch'
  | 'license_type_mismatch'
  | 'sign_in_required'
  | 'subscription_suspended'
  | 'subscription_expired'
  | 'key_expired'
  | 'installation_blacklisted';

export interface ItemFacts {
  id: string;
  productCode: string;
  licenseType: string | null;
}

export interface ActivationFacts {
  now: Date;
  request: { product: string; licenseType: string | null };
  key: { kind: KeyKind; itemId: string | null; expiresAt: Date | null };
  subscription: { accountId: string | null; status: 'active' | 'suspended'; expiresAt: Date };
  items: readonly ItemFacts[];
  /** The requested product's rules; undefined when the catalog has no such product. */
  params: Pick<LicensingParams, 'expiryGraceDays'> | undefined;
  /** The product's license type rules; left out, every type is required and activates with keys. */
  typeRules?: TypeRules | undefined;
  blacklisted: boolean;
}

type TypeRules = Pick<Product, 'licenseTypeRules' | 'licenseTypeRequired'>;
type ItemChoice = Pick<ActivationFacts, 'request' | 'key' | 'items'>;

/** The items the key may activate the requested product from: any of the subscription's for the primary key, its own for a sublicense. */
function productItems(f: ItemChoice): ItemFacts[] {
  return f.items.filter((i) => i.productCode === f.request.product && (f.key.kind === 'primary' || i.id === f.key.itemId));
}

/**
 * The product an activation is licensed as: the one the installation names, or the edition that
 * product upgrades to when the key holds that instead (a subscription converted from Business to
 * Enterprise, or an Enterprise key in a Business app). One app runs both editions; the license
 * says which, so an app that still names the old edition is not refused for it.
 */
export function licensedEdition(f: ItemChoice, upgradeTo: string | null): string {
  if (upgradeTo === null || productItems(f).length > 0) return f.request.product;
  return productItems({ ...f, request: { ...f.request, product: upgradeTo } }).length > 0 ? upgradeTo : f.request.product;
}

/**
 * The item a key activation takes its seat from: the one of the license type the installation
 * asks for, or, where the product's types are optional and the installation names none, an item
 * of a type whose seats keys may take too (Enterprise's SSO seats), untyped items first. Seats of
 * a type taken only by signing in are never a key's.
 */
function keyItems(f: ActivationFacts): ItemFacts[] {
  const rules: TypeRules = f.typeRules ?? { licenseTypeRules: {}, licenseTypeRequired: true };
  const keyMay = (i: ItemFacts) => licenseTypeRule(rules, i.licenseType).keyActivation;
  const candidates = productItems(f).filter((i) => i.licenseType === f.request.licenseType || (f.request.licenseType === null && !rules.licenseTypeRequired));
  return candidates.filter(keyMay).sort((a, b) => Number(a.licenseType !== f.request.licenseType) - Number(b.licenseType !== f.request.licenseType));
}

const matchingItem = (f: ActivationFacts) => keyItems(f)[0];
const signInOnly = (f: ActivationFacts) => {
  const rules = f.typeRules;
  return rules !== undefined && productItems(f).some((i) => !licenseTypeRule(rules, i.licenseType).keyActivation);
};

type Rule = (f: ActivationFacts) => ActivationRefusal | null;

// The guides register a subscription into an account before any installation activates with it.
const registered: Rule = (f) => (f.subscription.accountId === null ? 'key_not_registered' : null);
const productInSubscription: Rule = (f) => (f.params && productItems(f).length > 0 ? null : 'product_mismatch');
const licenseTypeMatches: Rule = (f) => (matchingItem(f) ? null : signInOnly(f) ? 'sign_in_required' : 'license_type_mismatch');
const notSuspended: Rule = (f) => (f.subscription.status === 'suspended' ? 'subscription_suspended' : null);
const subscriptionRunning: Rule = (f) =>
  addDays(f.subscription.expiresAt, f.params?.expiryGraceDays ?? 0) <= f.now ? 'subscription_expired' : null;
const keyRunning: Rule = (f) => (f.key.expiresAt && f.key.expiresAt <= f.now ? 'key_expired' : null);
const notBlacklisted: Rule = (f) => (f.blacklisted ? 'installation_blacklisted' : null);

export const ACTIVATION_RULES: readonly Rule[] = [
  registered,
  productInSubscription,
  licenseTypeMatches,
  notSuspended,
  subscriptionRunning,
  keyRunning,
  notBlacklisted,
];

/** The first refusal, or the subscription item the installation takes its license from. */
export function checkActivation(f: ActivationFacts): { ok: true; item: ItemFacts } | { ok: false; code: ActivationRefusal } {
  for (const rule of ACTIVATION_RULES) {
    const code = rule(f);
    if (code) return { ok: false, code };
  }
  return { ok: true, item: matchingItem(f)! };
}

export interface BindingFacts {
  /** Another fingerprint is active on the key. */
  otherActive: boolean;
  /** Another fingerprint was ever activated on the key (and is now deactivated). */
  otherBefore: boolean;
  movesUsed: number;
  maxMoves: number | null;
}

/**
 * A key bound to one installation (a farm, a proxy): a second machine is refused while the first
 * is active; once it is deactivated, a new machine is a move, counted against the product's limit.
 * The same machine coming back is not a move.
 */
export function checkBinding(f: BindingFacts): { ok: true; move: boolean } | { ok: false; code: 'key_bound_to_other_installation' | 'move_limit_reached' } {
  if (f.otherActive) return { ok: false, code: 'key_bound_to_other_installation' };
  if (!f.otherBefore) return { ok: true, move: false };
  if (f.maxMoves !== null && f.movesUsed >= f.maxMoves) return { ok: false, code: 'move_limit_reached' };
  return { ok: true, move: true };
}

/** Every refusal of a license to an installation: the activation rules, then the key's binding and its seats. */
export type Refusal = ActivationRefusal | 'key_bound_to_other_installation' | 'move_limit_reached' | 'quota_exhausted';

const refusalMessages: Record<Refusal, string> = {
  key_not_registered: 'This license key is not registered yet: register it in the customer portal first',
  product_mismatch: 'This license key is not for this product',
  license_type_mismatch: 'This license key is not for this license type',
  sign_in_required: 'The seats of this subscription are taken by signing in with the company account, not with a license key: activate with single sign-on',
  subscription_suspended: 'The subscription of this license key is suspended',
  subscription_expired: 'The subscription of this license key has expired',
  key_expired: 'This license key has expired',
  installation_blacklisted: 'This machine is blacklisted for this license key',
  key_bound_to_other_installation: 'This license key is in use by another installation; deactivate it there first',
  move_limit_reached: 'This license key has moved to other installations as often as allowed',
  quota_exhausted: 'All seats of this license key are in use',
};

/** The refusal as the installation is answered: its code, the message a person reads, and what it names. */
export const refusal = (code: Refusal, details: Record<string, unknown> = {}) => new AppError(code, refusalMessages[code], details);
