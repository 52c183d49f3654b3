import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * User groups and policies (capability 10, Enterprise; the admin guide's "Dividing Users into
 * Groups with Sublicenses").
 *
 * A policy is a payload set like a configuration profile (same payloads, version and content
 * hash), of one account and one product whose catalog features include `policies`; its name is
 * unique per account and product, letter case aside.
 *
 * A user group belongs to one subscription (of a product with the feature `user_groups`) and is
 * bound to its own sublicense there: `license_key_id` is unique, and the group goes with its key.
 * Its policy is optional; deleting the policy leaves the group without one. `directory_group` is
 * the directory group (SSO/SCIM, issue 14) whose users it takes; nothing fills it yet.
 * `account_id` repeats the subscription's so that the account's groups are read without a join.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE policies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      product_code text NOT NULL REFERENCES products (code),
      name text NOT NULL,
      payloads jsonb NOT NULL DEFAULT '[]',
      version integer NOT NULL DEFAULT 1,
      content_hash text NOT NULL,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX policies_name ON policies (account_id, product_code, lower(name));
    CREATE TABLE user_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      license_key_id uuid NOT NULL UNIQUE REFERENCES license_keys (id) ON DELETE CASCADE,
      policy_id uuid REFERENCES policies (id) ON DELETE SET NULL,
      name text NOT NULL,
      directory_group text,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX user_groups_name ON user_groups (subscription_id, lower(name));
    CREATE INDEX user_groups_account ON user_groups (account_id, lower(name), id);
    CREATE INDEX user_groups_policy ON user_groups (policy_id) WHERE policy_id IS NOT NULL;
  `,
  );
}
