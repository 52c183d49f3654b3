import { sql, type RawBuilder } from 'kysely';
import { catalogProductSchema, productSchema, type CatalogProduct, type LicensedProduct, type Product } from '../../domain/catalog.js';
import type { Executor } from '../executor.js';

export type ProductRow = {
  code: string;
  name: string;
  model: string;
  license_types: string[];
  license_type_rules: Record<string, unknown>;
  license_type_required: boolean;
  params: Record<string, unknown>;
  features: string[];
  payload_types: unknown[];
  upgrade_to: string | null;
};

/** The columns a Product is made of, for every query that reads one. */
export const PRODUCT_COLUMNS = ['code', 'name', 'model', 'license_types', 'license_type_rules', 'license_type_required', 'params', 'features', 'payload_types', 'upgrade_to'] as const;

// Rows are checked against the catalog schema on the way out: a hand-edited row with a broken
// rule fails loudly where it is read instead of misbehaving during an activation.
export const productFromRow = (r: ProductRow): Product =>
  productSchema.parse({
    code: r.code,
    name: r.name,
    model: r.model,
    licenseTypes: r.license_types,
    licenseTypeRules: r.license_type_rules,
    licenseTypeRequired: r.license_type_required,
    params: r.params,
    features: r.features,
    payloadTypes: r.payload_types,
    upgradeTo: r.upgrade_to,
  });

/** A product row with the codes of the products that upgrade to it, as licensedProductJson reads it. */
export type LicensedProductRow = ProductRow & { upgrade_of: string[] };

/**
 * The product of this code as JSON (null for none), with the products whose upgrade it is: what a
 * certificate of it licenses. A subquery of the statement it is in, so no extra round trip; the
 * catalog is a handful of rows.
 */
export const licensedProductJson = (code: RawBuilder<unknown>) =>
  sql<LicensedProductRow | null>`(SELECT to_jsonb(lp) || jsonb_build_object('upgrade_of',
    (SELECT coalesce(jsonb_agg(u.code ORDER BY u.code), '[]'::jsonb) FROM products u WHERE u.upgrade_to = lp.code))
    FROM products lp WHERE lp.code = ${code})`;

export const licensedProductFromRow = (r: LicensedProductRow): LicensedProduct => ({ ...productFromRow(r), upgradeOf: r.upgrade_of });

/** A product as its certificates license it (see licensedProductJson). */
export async function findLicensedProduct(db: Executor, code: string): Promise<LicensedProduct | undefined> {
  const { rows } = await sql<{ product: LicensedProductRow | null }>`SELECT ${licensedProductJson(sql`${code}::text`)} AS product`.execute(db);
  const row = rows[0]?.product;
  return row ? licensedProductFromRow(row) : undefined;
}

/** The whole catalog as it is sold, support addresses included. */
export async function listProducts(db: Executor): Promise<CatalogProduct[]> {
  const rows = await db.selectFrom('products').select([...PRODUCT_COLUMNS, 'support_url']).orderBy('code').execute();
  return rows.map((r) => catalogProductSchema.parse({ ...productFromRow(r), supportUrl: r.support_url }));
}

export async function findProduct(db: Executor, code: string): Promise<Product | undefined> {
  const row = await db.selectFrom('products').select(PRODUCT_COLUMNS).where('code', '=', code).executeTakeFirst();
  return row ? productFromRow(row) : undefined;
}

/** A catalog product as the columns of its row. */
export function productValues(p: CatalogProduct) {
  return {
    name: p.name,
    model: p.model,
    license_types: JSON.stringify(p.licenseTypes),
    license_type_rules: JSON.stringify(p.licenseTypeRules),
    license_type_required: p.licenseTypeRequired,
    params: JSON.stringify(p.params),
    features: JSON.stringify(p.features),
    payload_types: JSON.stringify(p.payloadTypes),
    upgrade_to: p.upgradeTo,
    support_url: p.supportUrl,
  };
}

export function upsertProduct(db: Executor, p: CatalogProduct) {
  const values = productValues(p);
  return db
    .insertInto('products')
    .values({ code: p.code, ...values })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .execute();
}
