import { sql, type Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * What the portal's installation lists need (PRODUCT.md, capability 7): an alias and notes, and
 * every filter and sort answerable from the installations row alone, so that one account's list
 * pages by keyset over an index even at 100,000 installations.
 *
 * Two facts live on other tables and are copied onto the row by triggers, so no code path (a
 * renewal, a sublicense's new date, a move, a blacklisting, by whichever service) can forget them:
 * - `license_expires_at`: the expiry that applies, the key's own date or else its subscription's
 *   (the earlier of the two, as the certificate has it);
 * - `blacklisted_at`: when the machine was blacklisted for the key it is on, null when it is not.
 * A renewal rewrites the subscription's installations once; check-ins, the frequent writes,
 * never fire the triggers.
 *
 * `search_text` gathers what the list's search looks in (name, alias, user name, host OS,
 * fingerprint, serial number, MAC and IP addresses) in lower case, with a trigram index (pg_trgm,
 * a trusted extension shipped with PostgreSQL and loaded into PGlite) so that a search matching
 * few rows does not scan the account; one matching many stops early on the sort's index.
 * Blacklisted and deactivated installations (few, and rarely written) have partial sort indexes
 * of their own, so those lists never wade through the active ones that sort before them.
 */
const triggerFunctions = [
  `
  CREATE FUNCTION installations_derive() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.license_expires_at := (SELECT LEAST(k.expires_at, s.expires_at) FROM subscriptions s LEFT JOIN license_keys k ON k.id = NEW.license_key_id WHERE s.id = NEW.subscription_id);
    NEW.blacklisted_at := (SELECT b.created_at FROM blacklisted_machines b WHERE b.license_key_id = NEW.license_key_id AND b.fingerprint = NEW.fingerprint);
    RETURN NEW;
  END $$
  `,
  `
  CREATE FUNCTION subscriptions_expiry_to_installations() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE installations i SET license_expires_at = LEAST((SELECT k.expires_at FROM license_keys k WHERE k.id = i.license_key_id), NEW.expires_at) WHERE i.subscription_id = NEW.id;
    RETURN NULL;
  END $$
  `,
  `
  CREATE FUNCTION license_keys_expiry_to_installations() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE installations i SET license_expires_at = LEAST(NEW.expires_at, s.expires_at) FROM subscriptions s WHERE i.license_key_id = NEW.id AND s.id = i.subscription_id;
    RETURN NULL;
  END $$
  `,
  `
  CREATE FUNCTION blacklist_to_installations() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      UPDATE installations SET blacklisted_at = NEW.created_at WHERE license_key_id = NEW.license_key_id AND fingerprint = NEW.fingerprint;
    ELSE
      UPDATE installations SET blacklisted_at = NULL WHERE license_key_id = OLD.license_key_id AND fingerprint = OLD.fingerprint;
    END IF;
    RETURN NULL;
  END $$
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    ALTER TABLE installations ADD COLUMN alias text;
    ALTER TABLE installations ADD COLUMN notes text NOT NULL DEFAULT '';
    ALTER TABLE installations ADD COLUMN license_expires_at timestamptz;
    ALTER TABLE installations ADD COLUMN blacklisted_at timestamptz;
    ALTER TABLE installations ADD COLUMN search_text text GENERATED ALWAYS AS (lower(
      coalesce(name, '') || ' ' || coalesce(alias, '') || ' ' || coalesce(user_name, '') || ' ' || coalesce(host_os, '') || ' ' ||
      fingerprint || ' ' || coalesce(hardware ->> 'serialNumber', '') || ' ' ||
      coalesce(hardware ->> 'macAddresses', '') || ' ' || coalesce(hardware ->> 'ipAddresses', '')
    )) STORED;

    UPDATE installations i SET
      license_expires_at = (SELECT LEAST(k.expires_at, s.expires_at) FROM subscriptions s LEFT JOIN license_keys k ON k.id = i.license_key_id WHERE s.id = i.subscription_id),
      blacklisted_at = (SELECT b.created_at FROM blacklisted_machines b WHERE b.license_key_id = i.license_key_id AND b.fingerprint = i.fingerprint);
  `,
  );
  // A function body holds semicolons of its own, so each goes whole rather than through runStatements.
  for (const definition of triggerFunctions) await sql.raw(definition).execute(db);
  await runStatements(
    db,
    `
    CREATE TRIGGER installations_derive BEFORE INSERT OR UPDATE OF license_key_id, subscription_id, fingerprint ON installations
      FOR EACH ROW EXECUTE FUNCTION installations_derive();

    CREATE TRIGGER subscriptions_expiry_to_installations AFTER UPDATE OF expires_at ON subscriptions
      FOR EACH ROW WHEN (OLD.expires_at IS DISTINCT FROM NEW.expires_at) EXECUTE FUNCTION subscriptions_expiry_to_installations();

    CREATE TRIGGER license_keys_expiry_to_installations AFTER UPDATE OF expires_at ON license_keys
      FOR EACH ROW WHEN (OLD.expires_at IS DISTINCT FROM NEW.expires_at) EXECUTE FUNCTION license_keys_expiry_to_installations();

    CREATE TRIGGER blacklist_to_installations AFTER INSERT OR DELETE ON blacklisted_machines
      FOR EACH ROW EXECUTE FUNCTION blacklist_to_installations();

    CREATE INDEX installations_key_machine ON installations (license_key_id, fingerprint);
    CREATE INDEX installations_subscription ON installations (subscription_id, id);
    CREATE INDEX installations_list_last_seen ON installations (account_id, last_seen_at, id);
    CREATE INDEX installations_list_activated ON installations (account_id, activated_at, id);
    CREATE INDEX installations_list_name ON installations (account_id, (coalesce(alias, name, '')), id);
    CREATE INDEX installations_list_expires ON installations (account_id, (coalesce(license_expires_at, 'infinity')), id);
    CREATE INDEX installations_blacklisted_last_seen ON installations (account_id, last_seen_at, id) WHERE blacklisted_at IS NOT NULL;
    CREATE INDEX installations_blacklisted_activated ON installations (account_id, activated_at, id) WHERE blacklisted_at IS NOT NULL;
    CREATE INDEX installations_blacklisted_name ON installations (account_id, (coalesce(alias, name, '')), id) WHERE blacklisted_at IS NOT NULL;
    CREATE INDEX installations_blacklisted_expires ON installations (account_id, (coalesce(license_expires_at, 'infinity')), id) WHERE blacklisted_at IS NOT NULL;
    CREATE INDEX installations_deactivated_last_seen ON installations (account_id, last_seen_at, id) WHERE state = 'deactivated';
    CREATE INDEX installations_deactivated_activated ON installations (account_id, activated_at, id) WHERE state = 'deactivated';
    CREATE INDEX installations_deactivated_name ON installations (account_id, (coalesce(alias, name, '')), id) WHERE state = 'deactivated';
    CREATE INDEX installations_deactivated_expires ON installations (account_id, (coalesce(license_expires_at, 'infinity')), id) WHERE state = 'deactivated';
    CREATE INDEX installations_key_order ON installations (license_key_id, id);
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX installations_search ON installations USING gin (search_text gin_trgm_ops);
  `,
  );
}
