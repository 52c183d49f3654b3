import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/** License Administrators: regular members granted the management of chosen license keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE key_admins (
      account_id uuid NOT NULL,
      license_key_id uuid NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (license_key_id, user_id),
      FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
    );
    CREATE INDEX key_admins_member ON key_admins (account_id, user_id);
  `,
  );
}
