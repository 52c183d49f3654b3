import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Editions (capability 10): an Enterprise trial beside a Business subscription, and the
 * conversion of a Business subscription to Enterprise.
 *
 * `edition_trials` links an account's trial of an upgrade product to the subscription it was
 * started beside. Its primary key is the rule "once per account and product": the row stays when
 * the trial is suspended or made permanent, so a second trial is refused for good. The trial
 * itself is an ordinary subscription on the trial channel, with its own primary key.
 *
 * `subscription_items.converted_from` keeps the product an item held before the vendor converted
 * it to its upgrade, so a second conversion is told apart from a product that has no upgrade.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE edition_trials (
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      product_code text NOT NULL REFERENCES products (code),
      subscription_id uuid NOT NULL UNIQUE REFERENCES subscriptions (id) ON DELETE CASCADE,
      beside_subscription_id uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, product_code)
    );
    CREATE INDEX edition_trials_beside ON edition_trials (beside_subscription_id);
    ALTER TABLE subscription_items ADD COLUMN converted_from text REFERENCES products (code);
  `,
  );
}
