import type { Kysely } from 'kysely';
import { demoCatalog } from '../domain/catalog.js';
import { productValues } from './repositories/products.js';
import type { DB } from './schema.js';

/** Inserts the demo catalog where it is missing; running it again changes nothing. */
export async function seedCatalog(db: Kysely<DB>): Promise<number> {
  const inserted = await db
    .insertInto('products')
    .values(demoCatalog.map((p) => ({ code: p.code, ...productValues(p) })))
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute();
  return inserted.length;
}
