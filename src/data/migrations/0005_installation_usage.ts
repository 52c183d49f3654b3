import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * What an installation's check-ins report. `holds_seat` says whether the installation took a seat
 * from the key and item counters (one per installation) or is a bound installation whose seats are
 * its reported usage, so any code that deactivates installations gives back only seats taken.
 * The latest usage sits on the installation for the rules; every report is kept for the history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE installations ADD COLUMN holds_seat boolean NOT NULL DEFAULT false;
    ALTER TABLE installations ADD COLUMN usage_peak integer CHECK (usage_peak >= 0);
    ALTER TABLE installations ADD COLUMN usage_current integer CHECK (usage_current >= 0);
    ALTER TABLE installations ADD COLUMN usage_measured_at timestamptz;
    ALTER TABLE installations ADD COLUMN over_limit_since timestamptz;

    CREATE TABLE installation_usage (
      id bigserial PRIMARY KEY,
      installation_id uuid NOT NULL REFERENCES installations (id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      peak integer NOT NULL CHECK (peak >= 0),
      current integer NOT NULL CHECK (current >= 0),
      measured_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL
    );
    CREATE INDEX installation_usage_installation ON installation_usage (installation_id, measured_at);
  `,
  );
}
