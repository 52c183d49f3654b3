import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DB } from './schema.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_licensing.js';
import * as m0003 from './migrations/0003_key_admins.js';
import * as m0004 from './migrations/0004_vendor.js';
import * as m0005 from './migrations/0005_installation_usage.js';
import * as m0006 from './migrations/0006_sublicense_expiry.js';
import * as m0007 from './migrations/0007_offline_files.js';
import * as m0008 from './migrations/0008_installation_admin.js';
import * as m0009 from './migrations/0009_install_invitations.js';
import * as m0010 from './migrations/0010_expiry_reminders.js';
import * as m0011 from './migrations/0011_product_support.js';
import * as m0012 from './migrations/0012_install_invitation_sending.js';
import * as m0013 from './migrations/0013_configuration_profiles.js';
import * as m0018 from './migrations/0018_usage_reported_at.js';
import * as m0014 from './migrations/0014_virtual_machines.js';
import * as m0015 from './migrations/0015_user_groups_policies.js';
import * as m0016 from './migrations/0016_edition_trials.js';
import * as m0019 from './migrations/0019_webhooks.js';
import * as m0020 from './migrations/0020_directory.js';
import * as m0021 from './migrations/0021_sso.js';

// The list is static so the server needs no file-system scan and a bundle keeps its migrations.
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_licensing': m0002,
  '0003_key_admins': m0003,
  '0004_vendor': m0004,
  '0005_installation_usage': m0005,
  '0006_sublicense_expiry': m0006,
  '0007_offline_files': m0007,
  '0008_installation_admin': m0008,
  '0009_install_invitations': m0009,
  '0010_expiry_reminders': m0010,
  '0011_product_support': m0011,
  '0012_install_invitation_sending': m0012,
  '0013_configuration_profiles': m0013,
  '0018_usage_reported_at': m0018,
  '0014_virtual_machines': m0014,
  '0015_user_groups_policies': m0015,
  '0016_edition_trials': m0016,
  '0019_webhooks': m0019,
  '0020_directory': m0020,
  '0021_sso': m0021,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  // Branches land in any order, so a data folder may hold a later number before an earlier one
  // arrives; each migration stands alone, and the pending ones run in name order.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
