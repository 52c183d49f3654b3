import { reportedUseByKey } from '../../data/repositories/installations.js';
import type { Executor } from '../../data/executor.js';
import type { Product } from '../../domain/catalog.js';
import { isBound } from '../../domain/license-basis.js';
import { poolOfItem, type PoolItem, type PoolState, type SubscriptionKey } from '../../domain/seat-pool.js';

type Licensing = Pick<Product, 'params'>;

/**
 * The use the keys of a product's pool count when it is not their seat counters: for a product
 * whose key binds one installation (a farm, a proxy), what those installations report; null for
 * a product of many installations per key, whose counters hold it.
 */
export async function reportedUseOf(db: Executor, item: PoolItem, keys: readonly SubscriptionKey[], product: Licensing): Promise<ReadonlyMap<string, number> | null> {
  return isBound(product) ? reportedUseByKey(db, item.id, keys.map((k) => k.id)) : null;
}

/** The seat pool of one product of a subscription as it stands, for any licensing model (seat-pool.ts). */
export async function itemPoolOf(db: Executor, item: PoolItem, keys: readonly SubscriptionKey[], product: Licensing): Promise<PoolState> {
  return poolOfItem(item, keys, await reportedUseOf(db, item, keys, product));
}
