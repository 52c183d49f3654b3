import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * The virtual machine inventory installations report at check-in (capability 10). A check-in
 * that carries one replaces the installation's rows; `installations.vm_inventory_hash` is the
 * digest of what is stored (virtual-machines.ts), so an unchanged inventory is not written again.
 * `id` names a row for paging only: a VM's uuid is unique per installation, not per account.
 * The rows stay when the installation is deactivated (the portal lists them with its state) and
 * go with it when it is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE installations ADD COLUMN vm_inventory_hash text;
    CREATE TABLE virtual_machines (
      installation_id uuid NOT NULL REFERENCES installations (id) ON DELETE CASCADE,
      uuid uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      name text NOT NULL,
      guest_os text,
      state text NOT NULL,
      architecture text NOT NULL,
      last_used_at timestamptz,
      reported_at timestamptz NOT NULL,
      PRIMARY KEY (installation_id, uuid)
    );
    CREATE INDEX virtual_machines_list_name ON virtual_machines (account_id, (lower(name)), id);
    CREATE INDEX virtual_machines_list_last_used ON virtual_machines (account_id, (coalesce(last_used_at, '-infinity')), id);
  `,
  );
}
