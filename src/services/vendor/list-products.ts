import { listProducts } from '../../data/repositories/products.js';
import type { CatalogProduct } from '../../domain/catalog.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';

export function listCatalog(deps: Deps, actor: Actor): Promise<CatalogProduct[]> {
  requireOperator(actor);
  return listProducts(deps.db);
}
