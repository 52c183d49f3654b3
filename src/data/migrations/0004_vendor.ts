import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Indexes for the vendor back office, which lists and searches across every account: newest
 * subscriptions first, a key found by the last group a customer reads out, accounts by name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE INDEX subscriptions_newest ON subscriptions (starts_at DESC, id DESC);
    CREATE INDEX license_keys_last_group ON license_keys (right(key_text, 5));
    CREATE INDEX accounts_name ON accounts (name, id);
  `,
  );
}
