import { keyBinding } from '../../data/repositories/installations.js';
import { countKeyMove, listKeysOfSubscription, lockKey } from '../../data/repositories/license-keys.js';
import { takeSeat } from '../../data/repositories/seats.js';
import type { InTransaction } from '../../data/executor.js';
import type { LicenseKey, SubscriptionItem } from '../../data/schema.js';
import { checkBinding, type Refusal } from '../../domain/activation-rules.js';
import type { Product } from '../../domain/catalog.js';
import { isBound } from '../../domain/license-basis.js';
import { activationLimit } from '../../domain/seat-pool.js';
import { recordChange } from '../changes.js';
import { itemPoolOf } from './item-pool.js';

/**
 * Makes the key hold one more installation: a seat from the key and item counters for a
 * per-installation product, or the binding of a key that serves one installation (a farm, a
 * proxy), where a new machine after a deactivated one is a counted move. Activation and the move
 * a check-in carries out both take their seat here.
 *
 * A bound key must also have seats to license its installation with, by the rule every key
 * activates by (seat-pool.ts): its quota not used up, and for the primary and dynamic keys a free
 * seat in the main pool, which the other farms' or proxies' reported use may have filled.
 *
 * A seat that was the last free one under the key's quota or in the pool is recorded as
 * `quota.exhausted`: from now on activations are refused until a seat is freed or bought.
 */
export async function occupyKey(
  trx: InTransaction,
  target: { key: LicenseKey; item: SubscriptionItem; product: Product; fingerprint: string },
  now: Date,
): Promise<{ ok: true; holdsSeat: boolean } | { ok: false; code: Refusal; details?: Record<string, unknown> }> {
  if (!isBound(target.product)) {
    const taken = await takeSeat(trx, target.key, target.item.id);
    if (!taken.ok) return { ok: false, code: 'quota_exhausted', details: { limit: taken.limit } };
    if (taken.filled) {
      const { key, item } = target;
      const details = { limit: taken.filled, subscriptionId: key.subscription_id, itemId: item.id, product: item.product_code };
      await recordChange(trx, null, { accountId: key.account_id, action: 'quota.exhausted', targetType: 'license_key', targetId: key.id, details }, now);
    }
    return { ok: true, holdsSeat: true };
  }
  // Two machines racing for one bound key take turns here, so only one of them gets it.
  const locked = await lockKey(trx, target.key.id);
  if (!locked) return { ok: false, code: 'key_bound_to_other_installation' };
  const binding = checkBinding({ ...(await keyBinding(trx, locked.id, target.item.id, target.fingerprint)), movesUsed: locked.moves_used, maxMoves: target.product.params.maxMoves });
  if (!binding.ok) return binding;
  const pool = await itemPoolOf(trx, target.item, await listKeysOfSubscription(trx, locked.subscription_id), target.product);
  const limit = activationLimit(pool.keys.find((k) => k.id === locked.id)!, pool);
  if (limit) return { ok: false, code: 'quota_exhausted', details: { limit } };
  if (binding.move) await countKeyMove(trx, locked.id);
  return { ok: true, holdsSeat: false };
}
