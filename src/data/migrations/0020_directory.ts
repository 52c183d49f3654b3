import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * An account's directory (capability 1's corporate accounts, issue 14): the people and groups of
 * the business account's identity provider, as SCIM provisions them (`source = 'scim'`) or as a
 * first single sign-on creates them (`source = 'sign_in'`). A directory user is not a portal
 * user: they hold per-user seats and never sign in to the portal.
 *
 * `user_name` is SCIM's userName (unique per account, letter case aside, as RFC 7643 asks);
 * `subject` is the identity provider's `sub` once the person has signed in, unique per account;
 * `email` is the address the allowed-domain rule reads. `attributes` keeps the SCIM resource's
 * other attributes as the directory sent them, so a GET answers what was written. `version`
 * grows with every change (SCIM's meta.version / ETag). An inactive user keeps their row:
 * deprovisioning revokes seats, it does not forget who held them.
 *
 * Groups are matched to the account's user groups by `user_groups.directory_group`, which holds
 * the group's display name or the id a groups claim carries (Entra ID sends object ids).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE directory_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      source text NOT NULL CHECK (source IN ('scim', 'sign_in')),
      user_name text NOT NULL,
      external_id text,
      subject text,
      email text,
      display_name text,
      given_name text,
      family_name text,
      active boolean NOT NULL DEFAULT true,
      attributes jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      deactivated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX directory_users_user_name ON directory_users (account_id, lower(user_name));
    CREATE UNIQUE INDEX directory_users_subject ON directory_users (account_id, subject) WHERE subject IS NOT NULL;
    CREATE INDEX directory_users_email ON directory_users (account_id, lower(email)) WHERE email IS NOT NULL;
    CREATE INDEX directory_users_external_id ON directory_users (account_id, external_id) WHERE external_id IS NOT NULL;
    CREATE TABLE directory_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      display_name text NOT NULL,
      external_id text,
      attributes jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX directory_groups_display_name ON directory_groups (account_id, lower(display_name));
    CREATE INDEX directory_groups_external_id ON directory_groups (account_id, external_id) WHERE external_id IS NOT NULL;
    CREATE TABLE directory_group_members (
      group_id uuid NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES directory_users (id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX directory_group_members_user ON directory_group_members (user_id);
  `,
  );
}
