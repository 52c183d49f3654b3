import { sql, type Kysely } from 'kysely';
import { demoCatalog } from '../../domain/catalog.js';
import { runStatements } from './statements.js';

/**
 * Configuration profiles (capability 9). A product lists the features its license enables, the
 * payload types it understands and the edition it upgrades to; the demo products get the values
 * the demo catalog has now. A profile belongs to one account and one product; a key without one
 * uses the built-in Default (no payloads). `content_hash` is the hash of what the profile
 * delivers, so a check-in compares hashes instead of payloads; an installation's
 * `applied_profile_hash` is the one it last reported having applied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE products ADD COLUMN features jsonb NOT NULL DEFAULT '[]';
    ALTER TABLE products ADD COLUMN payload_types jsonb NOT NULL DEFAULT '[]';
    ALTER TABLE products ADD COLUMN upgrade_to text;
    CREATE TABLE configuration_profiles (
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
    CREATE UNIQUE INDEX configuration_profiles_name ON configuration_profiles (account_id, lower(name));
    ALTER TABLE license_keys ADD COLUMN profile_id uuid REFERENCES configuration_profiles (id) ON DELETE SET NULL;
    CREATE INDEX license_keys_profile ON license_keys (profile_id) WHERE profile_id IS NOT NULL;
    ALTER TABLE installations ADD COLUMN applied_profile_hash text;
  `,
  );
  for (const p of demoCatalog) {
    await sql`UPDATE products SET features = ${JSON.stringify(p.features)}::jsonb, payload_types = ${JSON.stringify(p.payloadTypes)}::jsonb, upgrade_to = ${p.upgradeTo} WHERE code = ${p.code}`.execute(db);
  }
}
