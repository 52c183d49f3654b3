import { deactivateLeastRecentlySeen } from '../../data/repositories/installation-release.js';
import { deleteKey, insertLicenseKey, listKeysOfSubscription, lockKey, updateKey } from '../../data/repositories/license-keys.js';
import { findProduct } from '../../data/repositories/products.js';
import { adjustReserved, findSubscription, lockItem } from '../../data/repositories/subscriptions.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { AppError, notFound } from '../../domain/errors.js';
import { checkQuota, excessAfterQuotaChange, poolOfItem, type QuotaProblem } from '../../domain/seat-pool.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { generateLicenseKey } from '../licensing/key-material.js';
import { runTransaction } from '../../data/transactions.js';

export interface SublicenseInput {
  name: string;
  kind: 'dynamic' | 'reserved';
  quota: number;
  /** null: the key expires with its subscription and follows its renewals. */
  expiresAt: Date | null;
}

const quotaMessages: Record<QuotaProblem, string> = {
  quota_not_positive: 'A key needs a quota of at least 1',
  reserved_exceeds_total: 'Reserved keys together cannot hold more seats than the subscription has',
  reserved_exceeds_free: 'Not enough free seats in the main pool to reserve that many',
  dynamic_exceeds_total: 'A dynamic key cannot be capped above the seats the subscription has',
};

function refuseQuota(problem: QuotaProblem): never {
  if (problem === 'quota_not_positive') throw new AppError('validation_failed', quotaMessages[problem], { field: 'quota' });
  throw new AppError('quota_exceeds_pool', quotaMessages[problem], { field: 'quota', reason: problem });
}

function checkExpiry(expiresAt: Date | null, now: Date): void {
  if (expiresAt && expiresAt <= now) throw new AppError('validation_failed', 'A custom expiration date must be in the future', { field: 'expiresAt' });
}

async function subscriptionOfAccount(trx: Executor, accountId: string, subscriptionId: string): Promise<Subscription> {
  const subscription = await findSubscription(trx, subscriptionId);
  if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
  return subscription;
}

/** The sublicense being changed, with its item, locked key first then item like every seat change. */
async function lockSublicense(trx: InTransaction, accountId: string, subscriptionId: string, keyId: string): Promise<{ key: LicenseKey; item: SubscriptionItem }> {
  await subscriptionOfAccount(trx, accountId, subscriptionId);
  const key = await lockKey(trx, keyId);
  if (!key || key.subscription_id !== subscriptionId || key.kind === 'primary' || !key.item_id) throw notFound('License key');
  const item = await lockItem(trx, key.item_id);
  if (!item) throw notFound('License key');
  return { key, item };
}

/**
 * Creates an additional key for one product of a subscription. Sublicenses split a pool of
 * per-installation seats; products whose key activates a single server have nothing to split.
 */
export async function createSublicense(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, itemId: string, input: SublicenseInput): Promise<LicenseKey> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    const now = deps.clock.now();
    checkExpiry(input.expiresAt, now);
    await subscriptionOfAccount(trx, accountId, subscriptionId);
    const item = await lockItem(trx, itemId);
    if (!item || item.subscription_id !== subscriptionId) throw notFound('Product of this subscription');
    const product = await findProduct(trx, item.product_code);
    if (product?.params.installationsPerKey !== null) {
      throw new AppError('validation_failed', `${product?.name ?? 'This product'} activates one server per key; additional keys are for per-device products`, { field: 'itemId' });
    }
    const pool = poolOfItem(item, await listKeysOfSubscription(trx, subscriptionId));
    const problem = checkQuota(pool, { keyId: null, kind: input.kind, quota: input.quota });
    if (problem) refuseQuota(problem);
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
    return created;
  });
}

/**
 * Edits a sublicense. A quota below what the key uses deactivates its least recently seen
 * installations (move them to another key first to keep them).
 */
export async function updateSublicense(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  keyId: string,
  changes: Partial<Pick<SublicenseInput, 'name' | 'quota' | 'expiresAt'>>,
): Promise<{ key: LicenseKey; deactivated: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    const now = deps.clock.now();
    const { key, item } = await lockSublicense(trx, accountId, subscriptionId, keyId);
    if (changes.expiresAt !== undefined) checkExpiry(changes.expiresAt, now);
    let deactivated = 0;
    if (changes.quota !== undefined && changes.quota !== key.quota) {
      const kind = key.kind as 'dynamic' | 'reserved';
      const pool = poolOfItem(item, await listKeysOfSubscription(trx, subscriptionId));
      const problem = checkQuota(pool, { keyId, kind, quota: changes.quota });
      if (problem) refuseQuota(problem);
      const excess = excessAfterQuotaChange(key.used, changes.quota);
      if (excess > 0) deactivated = (await deactivateLeastRecentlySeen(trx, key, excess, 'quota_lowered', now)).length;
      if (kind === 'reserved') await adjustReserved(trx, item.id, changes.quota - key.quota!);
    }
    const updated = await updateKey(
      trx,
      keyId,
      {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.quota !== undefined ? { quota: changes.quota } : {}),
        ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt } : {}),
      },
      now,
    );
    await recordChange(trx, actor, { accountId, action: 'license_key.updated', targetType: 'license_key', targetId: keyId, details: { ...changes, deactivated } }, now);
    return { key: updated, deactivated };
  });
}

/** Deletes a sublicense: its installations are deactivated and its seats return to the pool. */
export async function deleteSublicense(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, keyId: string): Promise<{ deactivated: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'keys.manage');
    const now = deps.clock.now();
    const { key, item } = await lockSublicense(trx, accountId, subscriptionId, keyId);
    const released = await deactivateLeastRecentlySeen(trx, key, null, 'key_deleted', now);
    if (key.kind === 'reserved') await adjustReserved(trx, item.id, -key.quota!);
    await deleteKey(trx, keyId);
    await recordChange(trx, actor, { accountId, action: 'license_key.deleted', targetType: 'license_key', targetId: keyId, details: { name: key.name, deactivated: released.length } }, now);
    return { deactivated: released.length };
  });
}
