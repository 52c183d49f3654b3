import { findProduct, upsertProduct } from '../../data/repositories/products.js';
import { licenseTypesInUse } from '../../data/repositories/subscriptions.js';
import { checkProductChange, type CatalogProduct } from '../../domain/catalog.js';
import { AppError } from '../../domain/errors.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { runTransaction } from '../../data/transactions.js';

/**
 * Adds a product to the catalog or replaces its definition: a new product is configuration, not
 * code. Products are never deleted, since subscriptions refer to them, and a replacement must
 * keep selling every license type that subscriptions already hold.
 */
export async function putProduct(deps: Deps, actor: Actor, product: CatalogProduct): Promise<{ product: CatalogProduct; created: boolean }> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const existing = await findProduct(trx, product.code);
    if (existing) {
      const problem = checkProductChange(product, await licenseTypesInUse(trx, product.code));
      if (problem) throw new AppError('product_in_use', `Product ${product.code} cannot change this way: ${problem}`, { field: 'licenseTypes' });
    }
    await upsertProduct(trx, product);
    const now = deps.clock.now();
    await recordChange(trx, actor, { accountId: null, action: existing ? 'product.replaced' : 'product.created', targetType: 'product', targetId: product.code, details: { product } }, now);
    return { product, created: !existing };
  });
}
