import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Invitations to install: one temporary activation code per invited address, for one license key.
 * Codes are looked up by hash; their text is kept so administrators can download the invitation
 * list (like license_keys.key_text). `installation_id` is the installation the code activated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE install_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      license_key_id uuid NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
      email text NOT NULL,
      language text NOT NULL,
      code_hash text NOT NULL UNIQUE,
      code_text text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      installation_id uuid REFERENCES installations (id) ON DELETE SET NULL,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CHECK (expires_at > created_at)
    );
    CREATE INDEX install_invitations_account ON install_invitations (account_id, created_at DESC, id);
    CREATE INDEX install_invitations_key ON install_invitations (license_key_id, created_at DESC, id);
  `,
  );
}
