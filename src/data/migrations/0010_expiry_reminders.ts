import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Which expiry reminders went out. A reminder is keyed by the expiry it announces, so a renewal
 * (a new expiry) earns a new round; the key also makes each reminder go out once when several
 * server processes run the job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE subscription_reminders (
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      days_before integer NOT NULL,
      sent_at timestamptz NOT NULL,
      PRIMARY KEY (subscription_id, expires_at, days_before)
    );
    CREATE INDEX subscriptions_expiry ON subscriptions (expires_at) WHERE status = 'active';
  `,
  );
}
