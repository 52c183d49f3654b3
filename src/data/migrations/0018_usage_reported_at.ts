import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * When the server recorded an installation's latest usage report: the weekly (or daily) report
 * schedule runs from it. It sits on the installation beside the latest usage, so the check-in
 * reads it with the row it reads anyway; `usage_measured_at` is the installation's own clock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE installations ADD COLUMN usage_reported_at timestamptz;
    UPDATE installations i SET usage_reported_at = u.reported_at
      FROM (SELECT installation_id, max(reported_at) AS reported_at FROM installation_usage GROUP BY installation_id) u
      WHERE u.installation_id = i.id;
  `,
  );
}
