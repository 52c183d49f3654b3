import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Where a product's customers get support until the support desk exists: a web page or a mailto:
 * address the vendor sets (the service checks its form), null for none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE products ADD COLUMN support_url text;
  `,
  );
}
