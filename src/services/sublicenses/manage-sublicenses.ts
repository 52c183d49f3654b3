import { deactivateLeastRecentlySeen } from '../../data/repositories/installation-release.js';
import { deleteKey, insertLicenseKey, listKeysOfSubscription, lockKey, updateKey, type KeyRecord } from '../../data/repositories/license-keys.js';
import { findProduct } from '../../data/repositories/products.js';
import { adjustReserved, findSubscription, lockItem } from '../../data/repositories/subscriptions.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { licenseTypeRule, type Product } from '../../domain/catalog.js';
import { AppError, notFound } from '../../domain/errors.js';
import { checkQuota, excessAfterQuotaChange, poolOfItem, replaceKey, type PoolState, type QuotaRefusal } from '../../domain/seat-pool.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { generateLicenseKey } from '../licensing/key-material.js';
import { itemPoolOf, reportedUseOf } from '../licensing/item-pool.js';
import { seatsOfItem, type ItemSeats } from '../subscriptions/subscription-view.js';
import { runTransaction } from '../../data/transactions.js';
import { findGroupOfKey, isGroupNameConflict, isGroupNameTaken, renameGroupOfKey } from '../../data/repositories/user-groups.js';
import { savingUniqueName } from '../unique-names.js';

export interface SublicenseInput {
  name: string;
  kind: 'dynamic' | 'reserved';
  quota: number;
  /** null: the key expires with its subscription and follows its renewals. */
  expiresAt: Date | null;
}

/**
 * What a change to a sublicense answers with: the seats of its product after it, computed from
 * the rows the change read (the subscription gives the dates of keys that renew with it).
 */
export interface SublicenseChange {
  subscription: Subscription;
  seats: ItemSeats;
}

const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

/** Says how many seats are left, so the person can pick a quota that fits. */
function quotaMessage({ problem, seatsLeft, maxQuota }: QuotaRefusal): string {
  switch (problem) {
    case 'quota_not_positive':
      return 'A key needs a quota of at least 1';
    case 'dynamic_exceeds_total':
      return `A dynamic key cannot be capped above the ${seats(maxQuota)} the subscription has`;
    case 'reserved_exceeds_total':
    case 'reserved_exceeds_free': {
      const left = seatsLeft === 0 ? 'No seats are left on this subscription' : `Only ${seats(seatsLeft)} ${seatsLeft === 1 ? 'is' : 'are'} left on this subscription`;
      // Editing a reserved key: its own seats count on top of the free ones.
      return maxQuota > seatsLeft ? `${left}; this key can have a quota of at most ${maxQuota}` : left;
    }
  }
}

function refuseQuota(refusal: QuotaRefusal): never {
  if (refusal.problem === 'quota_not_positive') throw new AppError('validation_failed', quotaMessage(refusal), { field: 'quota' });
  throw new AppError('quota_exceeds_pool', quotaMessage(refusal), { field: 'quota', reason: refusal.problem, seatsLeft: refusal.seatsLeft, maxQuota: refusal.maxQuota });
}

function checkExpiry(expiresAt: Date | null, now: Date): void {
  if (expiresAt && expiresAt <= now) throw new AppError('validation_failed', 'A custom expiration date must be in the future', { field: 'expiresAt' });
}

async function subscriptionOfAccount(trx: Executor, accountId: string, subscriptionId: string): Promise<Subscription> {
  const subscription = await findSubscription(trx, subscriptionId);
  if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
  return subscription;
}

async function productOf(trx: Executor, item: SubscriptionItem): Promise<Product> {
  const product = await findProduct(trx, item.product_code);
  if (!product) throw new Error(`subscription item ${item.id} names unknown product ${item.product_code}`);
  return product;
}

interface LockedSublicense {
  subscription: Subscription;
  key: LicenseKey;
  item: SubscriptionItem;
  product: Product;
  keys: KeyRecord[];
  pool: PoolState;
}

/**
 * The sublicense being changed, with its item, locked key first then item like every seat change,
 * and the subscription's keys and the product's pool as they stand under those locks.
 */
async function lockSublicense(trx: InTransaction, accountId: string, subscriptionId: string, keyId: string): Promise<LockedSublicense> {
  const subscription = await subscriptionOfAccount(trx, accountId, subscriptionId);
  const key = await lockKey(trx, keyId);
  if (!key || key.subscription_id !== subscriptionId || key.kind === 'primary' || !key.item_id) throw notFound('License key');
  const item = await lockItem(trx, key.item_id);
  if (!item) throw notFound('License key');
  const product = await productOf(trx, item);
  const keys = await listKeysOfSubscription(trx, subscriptionId);
  return { subscription, key, item, product, keys, pool: await itemPoolOf(trx, item, keys, product) };
}

/**
 * The seats once the sublicense changed to `changed` or was deleted (null), `deactivated` of its
 * own installations with it; every other key holds what it held.
 */
function seatsAfter({ item, keys, pool, key }: LockedSublicense, changed: LicenseKey | null, deactivated: number): ItemSeats {
  const before = pool.keys.find((k) => k.id === key.id)!;
  const records = keys.flatMap((k) => (k.id !== key.id ? [k] : changed ? [{ ...changed, profile_name: k.profile_name }] : []));
  return seatsOfItem(item, records, replaceKey(pool, key.id, changed && { ...before, quota: changed.quota, used: before.used - deactivated }));
}

/**
 * Creates an additional key for one product of a subscription, for any licensing model: a key of
 * a product bound to one installation per key activates its own farm or proxy, licensed for its
 * share of the pool (seat-pool.ts).
 */
export async function createSublicense(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  itemId: string,
  input: SublicenseInput,
): Promise<SublicenseChange & { key: LicenseKey }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    return addSublicense(trx, actor, { accountId, subscriptionId, itemId }, input, deps.clock.now());
  });
}

/**
 * The creation of a sublicense inside the caller's transaction, once the caller is authorized:
 * the one way a key is added, by the License Keys table or with a user group (user-groups.ts).
 */
export async function addSublicense(
  trx: InTransaction,
  actor: Actor,
  to: { accountId: string; subscriptionId: string; itemId: string },
  input: SublicenseInput,
  now: Date,
): Promise<SublicenseChange & { key: LicenseKey }> {
  const { accountId, subscriptionId } = to;
  checkExpiry(input.expiresAt, now);
  const subscription = await subscriptionOfAccount(trx, accountId, subscriptionId);
  const item = await lockItem(trx, to.itemId);
  if (!item || item.subscription_id !== subscriptionId) throw notFound('Product of this subscription');
  const product = await productOf(trx, item);
  if (!licenseTypeRule(product, item.license_type).sublicenses) {
    throw new AppError('sublicenses_not_offered', `${product.name} (${item.license_type}) offers no sublicenses: its seats go to the people who sign in`, { field: 'itemId' });
  }
  const keys = await listKeysOfSubscription(trx, subscriptionId);
  const reportedUse = await reportedUseOf(trx, item, keys, product);
  const refusal = checkQuota(poolOfItem(item, keys, reportedUse), { keyId: null, kind: input.kind, quota: input.quota });
  if (refusal) refuseQuota(refusal);
  if (input.kind === 'reserved') await adjustReserved(trx, item.id, input.quota);
  const { key, hash } = generateLicenseKey();
  const created = await insertLicenseKey(trx, {
    subscriptionId,
    itemId: item.id,
    accountId,
    kind: input.kind,
    name: input.name,
    quota: input.quota,
    keyHash: hash,
    keyText: key,
    expiresAt: input.expiresAt,
    createdBy: actor.userId,
  });
  await recordChange(trx, actor, { accountId, action: 'license_key.created', targetType: 'license_key', targetId: created.id, details: { name: input.name, kind: input.kind, quota: input.quota } }, now);
  // A new key holds no installation yet: the pool after it is the one read plus the key.
  const after = [...keys, { ...created, profile_name: null }];
  return { subscription, key: created, seats: seatsOfItem(item, after, poolOfItem(item, after, reportedUse)) };
}

export type SublicenseChanges = Partial<Pick<SublicenseInput, 'name' | 'quota' | 'expiresAt'>>;

/**
 * Edits a sublicense. A quota below what the key uses deactivates its least recently seen
 * installations (move them to another key first to keep them); a key bound to one installation
 * keeps it, and its next certificate carries the fewer seats (excessAfterQuotaChange).
 */
export async function updateSublicense(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  keyId: string,
  changes: SublicenseChanges,
): Promise<SublicenseChange & { deactivated: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    return changeSublicense(trx, actor, { accountId, subscriptionId, keyId }, changes, deps.clock.now());
  });
}

const groupNameTaken = (name: string) => new AppError('group_name_taken', `A user group named “${name}” exists already in this subscription`, { field: 'name' });

/**
 * The edit of a sublicense inside the caller's transaction, once the caller is authorized: by the
 * License Keys table or through its user group (user-groups.ts). The key's row is locked first,
 * as every seat change does; a key bound to a user group gives the group its new name, which must
 * be free among the subscription's groups.
 */
export async function changeSublicense(
  trx: InTransaction,
  actor: Actor,
  target: { accountId: string; subscriptionId: string; keyId: string },
  changes: SublicenseChanges,
  now: Date,
): Promise<SublicenseChange & { deactivated: number }> {
  const { accountId, subscriptionId, keyId } = target;
  const locked = await lockSublicense(trx, accountId, subscriptionId, keyId);
  const { subscription, key, item } = locked;
  if (changes.expiresAt !== undefined) checkExpiry(changes.expiresAt, now);
  let deactivated = 0;
  if (changes.quota !== undefined && changes.quota !== key.quota) {
    const kind = key.kind as 'dynamic' | 'reserved';
    const refusal = checkQuota(locked.pool, { keyId, kind, quota: changes.quota });
    if (refusal) refuseQuota(refusal);
    // The key's counter is the installations holding one of its seats.
    const excess = excessAfterQuotaChange(key.used, changes.quota, locked.product.params.installationsPerKey);
    if (excess > 0) deactivated = (await deactivateLeastRecentlySeen(trx, key, excess, 'quota_lowered', now)).length;
    if (kind === 'reserved') await adjustReserved(trx, item.id, changes.quota - key.quota!);
  }
  const { name } = changes;
  if (name !== undefined && name !== key.name) {
    const group = await findGroupOfKey(trx, keyId);
    if (group) {
      const unique = { taken: () => isGroupNameTaken(trx, subscriptionId, name, group.id), conflict: isGroupNameConflict, refusal: () => groupNameTaken(name) };
      await savingUniqueName(unique, () => renameGroupOfKey(trx, keyId, name, now));
    }
  }
  const updated = await updateKey(
    trx,
    keyId,
    {
      ...(name !== undefined ? { name } : {}),
      ...(changes.quota !== undefined ? { quota: changes.quota } : {}),
      ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt } : {}),
    },
    now,
  );
  await recordChange(trx, actor, { accountId, action: 'license_key.updated', targetType: 'license_key', targetId: keyId, details: { ...changes, deactivated } }, now);
  return { subscription, seats: seatsAfter(locked, updated, deactivated), deactivated };
}

/** Deletes a sublicense: its installations are deactivated and its seats return to the pool; a user group bound to it goes with it. */
export async function deleteSublicense(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, keyId: string): Promise<SublicenseChange & { deactivated: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    const now = deps.clock.now();
    const locked = await lockSublicense(trx, accountId, subscriptionId, keyId);
    const { subscription, key, item } = locked;
    const released = await deactivateLeastRecentlySeen(trx, key, null, 'key_deleted', now);
    if (key.kind === 'reserved') await adjustReserved(trx, item.id, -key.quota!);
    const group = await findGroupOfKey(trx, keyId);
    await deleteKey(trx, keyId);
    const details = { name: key.name, deactivated: released.length, ...(group ? { userGroupDeleted: { id: group.id, name: group.name } } : {}) };
    await recordChange(trx, actor, { accountId, action: 'license_key.deleted', targetType: 'license_key', targetId: keyId, details }, now);
    return { subscription, seats: seatsAfter(locked, null, released.length), deactivated: released.length };
  });
}
