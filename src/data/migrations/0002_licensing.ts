import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Subscriptions, license keys and installations. Seat counters live on the rows they bound
 * (`subscription_items.main_used`, `license_keys.used`) so an activation takes its seat with one
 * conditional UPDATE per counter, and CHECK constraints make overselling impossible even if a
 * code path forgot a rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE accounts ADD COLUMN offline_activation_enabled boolean NOT NULL DEFAULT false;

    CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      private_key_pem text NOT NULL,
      public_jwk jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    );

    CREATE TABLE subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
      customer_email text NOT NULL,
      name text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
      channel text NOT NULL CHECK (channel IN ('online', 'reseller', 'trial')),
      support_plan text NOT NULL CHECK (support_plan IN ('standard', 'premium')),
      auto_renew boolean NOT NULL DEFAULT false,
      starts_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      registered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (expires_at > starts_at)
    );
    CREATE INDEX subscriptions_account ON subscriptions (account_id, expires_at);
    CREATE INDEX subscriptions_customer ON subscriptions (lower(customer_email));

    CREATE TABLE subscription_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
      product_code text NOT NULL REFERENCES products (code),
      license_type text,
      quantity integer NOT NULL CHECK (quantity > 0),
      reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
      main_used integer NOT NULL DEFAULT 0 CHECK (main_used >= 0),
      CHECK (reserved + main_used <= quantity),
      UNIQUE NULLS NOT DISTINCT (subscription_id, product_code, license_type)
    );

    CREATE TABLE license_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      item_id uuid REFERENCES subscription_items (id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
      kind text NOT NULL CHECK (kind IN ('primary', 'dynamic', 'reserved')),
      name text NOT NULL,
      quota integer CHECK (quota > 0),
      used integer NOT NULL DEFAULT 0 CHECK (used >= 0),
      moves_used integer NOT NULL DEFAULT 0,
      key_hash text NOT NULL UNIQUE,
      key_text text NOT NULL,
      expires_at timestamptz,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'primary') = (quota IS NULL)),
      CHECK ((kind = 'primary') = (item_id IS NULL)),
      CHECK (quota IS NULL OR used <= quota)
    );
    CREATE INDEX license_keys_subscription ON license_keys (subscription_id);
    CREATE UNIQUE INDEX license_keys_one_primary ON license_keys (subscription_id) WHERE kind = 'primary';

    CREATE TABLE installations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      subscription_id uuid REFERENCES subscriptions (id) ON DELETE CASCADE,
      item_id uuid REFERENCES subscription_items (id) ON DELETE CASCADE,
      license_key_id uuid REFERENCES license_keys (id) ON DELETE SET NULL,
      product_code text NOT NULL REFERENCES products (code),
      license_type text,
      fingerprint text NOT NULL,
      public_key text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deactivated')),
      trial boolean NOT NULL DEFAULT false,
      name text,
      app_version text,
      host_os text,
      user_name text,
      hardware jsonb NOT NULL DEFAULT '{}'::jsonb,
      site jsonb NOT NULL DEFAULT '{}'::jsonb,
      activated_at timestamptz NOT NULL DEFAULT now(),
      activated_by text,
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      next_check_in_at timestamptz NOT NULL,
      deactivated_at timestamptz,
      deactivation_reason text,
      pending_action text CHECK (pending_action IN ('deactivate', 'move')),
      pending_key_id uuid REFERENCES license_keys (id) ON DELETE SET NULL
    );
    CREATE UNIQUE INDEX installations_one_active_per_key ON installations (license_key_id, fingerprint) WHERE state = 'active';
    CREATE INDEX installations_account ON installations (account_id, state, last_seen_at);
    CREATE INDEX installations_key ON installations (license_key_id, state, last_seen_at);

    CREATE TABLE blacklisted_machines (
      license_key_id uuid NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
      fingerprint text NOT NULL,
      account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (license_key_id, fingerprint)
    );

    CREATE TABLE trials (
      product_code text NOT NULL REFERENCES products (code),
      fingerprint text NOT NULL,
      installation_id uuid REFERENCES installations (id) ON DELETE SET NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (product_code, fingerprint)
    );

    CREATE TABLE orders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number bigserial UNIQUE,
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
      kind text NOT NULL CHECK (kind IN ('new', 'renewal', 'add_licenses', 'trial')),
      channel text NOT NULL CHECK (channel IN ('online', 'reseller', 'trial')),
      duration text CHECK (duration IN ('1m', '1y', '2y', '3y')),
      items jsonb NOT NULL,
      previous_expires_at timestamptz,
      new_expires_at timestamptz NOT NULL,
      placed_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX orders_subscription ON orders (subscription_id, created_at);
  `,
  );
}
