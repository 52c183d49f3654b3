import { catalogProductSchema, productSchema, type CatalogProduct, type Product } from '../../domain/catalog.js';
import type { Executor } from '../executor.js';

export type ProductRow = { code: string; name: string; model: string; license_types: string[]; params: Record<string, unknown> };

// Rows are checked against the catalog schema on the way out: a hand-edited row with a broken
// rule fails loudly where it is read instead of misbehaving during an activation.
export const productFromRow = (r: ProductRow): Product =>
  productSchema.parse({ code: r.code, name: r.name, model: r.model, licenseTypes: r.license_types, params: r.params });

/** The whole catalog as it is sold, support addresses included. */
export async function listProducts(db: Executor): Promise<CatalogProduct[]> {
  const rows = await db.selectFrom('products').select(['code', 'name', 'model', 'license_types', 'params', 'support_url']).orderBy('code').execute();
  return rows.map((r) => catalogProductSchema.parse({ ...productFromRow(r), supportUrl: r.support_url }));
}

export async function findProduct(db: Executor, code: string): Promise<Product | undefined> {
  const row = await db.selectFrom('products').select(['code', 'name', 'model', 'license_types', 'params']).where('code', '=', code).executeTakeFirst();
  return row ? productFromRow(row) : undefined;
}

export function upsertProduct(db: Executor, p: CatalogProduct) {
  const values = { name: p.name, model: p.model, license_types: JSON.stringify(p.licenseTypes), params: JSON.stringify(p.params), support_url: p.supportUrl };
  return db
    .insertInto('products')
    .values({ code: p.code, ...values })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .execute();
}
