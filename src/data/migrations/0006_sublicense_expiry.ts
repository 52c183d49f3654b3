import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/** When an expired custom-dated sublicense gave its seats back to the pool; the job looks for the rest. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE license_keys ADD COLUMN released_at timestamptz;
    CREATE INDEX license_keys_to_release ON license_keys (expires_at) WHERE released_at IS NULL AND expires_at IS NOT NULL;
  `,
  );
}
