import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Activation with a corporate account (issue 14).
 *
 * A product's license types carry rules (`products.license_type_rules`): the per-user type that
 * SSO activation needs, its minimum quantity, whether it is sold online. A product whose types
 * are optional (`license_type_required = false`) is also sold without one, per device.
 *
 * `identity_providers` is a business account's OpenID Connect provider: the client secret is
 * sealed (services/security/secrets.ts). `tested_version` is the configuration version a test
 * sign-in succeeded with; switching SSO on needs it equal to `version`, so an edit after the test
 * asks for a new one. A domain belongs to one account (`identity_provider_domains`), which is how
 * `--account example.com` finds it.
 *
 * A user seat is a directory user's seat in a subscription item: counted in the same key and item
 * counters as a key's installations (through the subscription's primary key), one open seat per
 * user and item however many machines the user has. Installations activated by signing in name it
 * (`installations.user_seat_id`) and hold no seat themselves. A released seat keeps its row for
 * the record: who held it, until when, and why it was taken back.
 *
 * An SSO grant is one sign-in in progress: the device authorization grant (RFC 8628) of an
 * installation, or an administrator's test sign-in. The device code and user code identify it to
 * the machine and the person; `oidc_state` to the provider's redirect back. Once approved it names
 * the directory user, and an activation consumes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE products
      ADD COLUMN license_type_rules jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN license_type_required boolean NOT NULL DEFAULT true;
    CREATE TABLE identity_providers (
      account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
      issuer text NOT NULL,
      client_id text NOT NULL,
      client_secret_sealed text NOT NULL,
      groups_claim text,
      enabled boolean NOT NULL DEFAULT false,
      inactivity_days integer CHECK (inactivity_days BETWEEN 1 AND 3650),
      version integer NOT NULL DEFAULT 1,
      tested_version integer,
      tested_at timestamptz,
      tested_claims jsonb,
      updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE identity_provider_domains (
      domain text PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES identity_providers (account_id) ON DELETE CASCADE
    );
    CREATE INDEX identity_provider_domains_account ON identity_provider_domains (account_id);
    CREATE TABLE user_seats (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      item_id uuid NOT NULL REFERENCES subscription_items (id) ON DELETE CASCADE,
      license_key_id uuid NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
      directory_user_id uuid NOT NULL REFERENCES directory_users (id) ON DELETE CASCADE,
      taken_at timestamptz NOT NULL,
      released_at timestamptz,
      release_reason text
    );
    CREATE UNIQUE INDEX user_seats_open ON user_seats (item_id, directory_user_id) WHERE released_at IS NULL;
    CREATE INDEX user_seats_user ON user_seats (directory_user_id) WHERE released_at IS NULL;
    CREATE INDEX user_seats_account ON user_seats (account_id, taken_at) WHERE released_at IS NULL;
    CREATE INDEX user_seats_key ON user_seats (license_key_id) WHERE released_at IS NULL;
    ALTER TABLE installations ADD COLUMN user_seat_id uuid REFERENCES user_seats (id) ON DELETE SET NULL;
    CREATE INDEX installations_user_seat ON installations (user_seat_id) WHERE user_seat_id IS NOT NULL;
    CREATE TABLE sso_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('activation', 'test')),
      product_code text,
      device_code_hash text UNIQUE,
      user_code text UNIQUE,
      oidc_state text UNIQUE,
      nonce text,
      code_verifier_sealed text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'consumed')),
      directory_user_id uuid REFERENCES directory_users (id) ON DELETE CASCADE,
      denial text,
      requested_by uuid REFERENCES users (id) ON DELETE CASCADE,
      provider_version integer,
      consumed_fingerprint text,
      interval_seconds integer NOT NULL DEFAULT 5,
      last_polled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sso_grants_expiry ON sso_grants (expires_at);
    CREATE INDEX sso_grants_account ON sso_grants (account_id);
  `,
  );
}
