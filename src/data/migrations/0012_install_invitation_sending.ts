import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Invitations to install can be sent again, like member invitations: how many times and when last.
 * Invitations sent before this were sent once, when they were made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE install_invitations ADD COLUMN sent_count integer NOT NULL DEFAULT 1;
    ALTER TABLE install_invitations ADD COLUMN last_sent_at timestamptz;
    UPDATE install_invitations SET last_sent_at = created_at;
    ALTER TABLE install_invitations ALTER COLUMN last_sent_at SET NOT NULL;
  `,
  );
}
