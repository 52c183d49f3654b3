import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Offline files: every request nonce the portal accepted, so a request file works once, and which
 * installations were activated with files (they never check in, so their certificates run longer).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE offline_nonces (
      nonce text PRIMARY KEY,
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      installation_id uuid REFERENCES installations (id) ON DELETE SET NULL,
      kind text NOT NULL CHECK (kind IN ('activation-request', 'refresh-request', 'deactivation-request')),
      accepted_at timestamptz NOT NULL
    );
    ALTER TABLE installations ADD COLUMN offline boolean NOT NULL DEFAULT false;
  `,
  );
}
