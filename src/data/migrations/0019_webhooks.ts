import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Webhooks (capability 14). An endpoint belongs to an account, or to the vendor (account_id
 * null), which hears every account's events. Its signing secret is kept encrypted
 * (services/security/secrets.ts); after a rotation the previous one keeps signing too until
 * `previous_secret_until`. `failure_streak` and `failing_since` count the attempts that failed
 * since the last success: the rule of disabling an endpoint reads them (domain/webhooks.ts).
 *
 * A delivery is one event for one endpoint, queued in the transaction of the change (the audit
 * entry's statement inserts it), with the exact body that is signed and sent. `attempts` counts
 * every attempt, for the log; `round_attempts` those since it was last queued, for the retry
 * schedule, so a manual redelivery starts the schedule again. Each attempt is logged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      event_types text[] NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      secret_sealed text NOT NULL,
      previous_secret_sealed text,
      previous_secret_until timestamptz,
      failure_streak integer NOT NULL DEFAULT 0,
      failing_since timestamptz,
      disabled_at timestamptz,
      disabled_reason text,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id, created_at);
    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      event_type text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      round_attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
    CREATE INDEX webhook_deliveries_age ON webhook_deliveries (created_at);
    CREATE TABLE webhook_attempts (
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      error text,
      response_excerpt text,
      PRIMARY KEY (delivery_id, attempt)
    );
  `,
  );
}
