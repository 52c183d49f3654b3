import { sql } from 'kysely';
import type { KeyKind } from '../../domain/seat-pool.js';
import type { Executor, InTransaction } from '../executor.js';
import { PRODUCT_COLUMNS, productFromRow } from './products.js';
import type { Product } from '../../domain/catalog.js';
import { lockPayloadSet, PAYLOAD_SET_COLUMNS, type PayloadSetRecord } from './payload-sets.js';

/** A profile with the keys it is assigned to, as the Configuration Profiles page lists it. */
export interface ProfileRecord extends PayloadSetRecord {
  keys: { id: string; name: string; kind: KeyKind; subscription_id: string }[];
}

function withKeys(db: Executor) {
  return db
    .selectFrom('configuration_profiles as cp')
    .select(PAYLOAD_SET_COLUMNS.map((c) => `cp.${c}` as const))
    .select(
      sql<ProfileRecord['keys']>`(SELECT coalesce(jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'kind', k.kind, 'subscription_id', k.subscription_id)
        ORDER BY k.subscription_id, k.kind <> 'primary', k.created_at, k.id), '[]'::jsonb) FROM license_keys k WHERE k.profile_id = cp.id)`.as('keys'),
    );
}

export function listAccountProfiles(db: Executor, accountId: string): Promise<ProfileRecord[]> {
  return withKeys(db).where('cp.account_id', '=', accountId).orderBy(sql`lower(cp.name)`).orderBy('cp.id').execute();
}

export function findAccountProfile(db: Executor, accountId: string, profileId: string): Promise<ProfileRecord | undefined> {
  return withKeys(db).where('cp.account_id', '=', accountId).where('cp.id', '=', profileId).executeTakeFirst();
}

/** Locks a profile to be changed or deleted; its keys' assignments are read under the lock. */
export async function lockAccountProfile(db: InTransaction, accountId: string, profileId: string): Promise<ProfileRecord | undefined> {
  return (await lockPayloadSet(db, 'configuration_profiles', accountId, profileId)) ? findAccountProfile(db, accountId, profileId) : undefined;
}

/** Moves every key of one profile to another (null: the built-in Default); how many moved. */
export async function reassignProfileKeys(db: Executor, fromId: string, toId: string | null, now: Date): Promise<number> {
  const moved = await db.updateTable('license_keys').set({ profile_id: toId, updated_at: now }).where('profile_id', '=', fromId).executeTakeFirst();
  return Number(moved.numUpdatedRows);
}

export async function setKeyProfile(db: Executor, keyId: string, profileId: string | null, now: Date): Promise<void> {
  await db.updateTable('license_keys').set({ profile_id: profileId, updated_at: now }).where('id', '=', keyId).execute();
}

/** The products the account's subscriptions hold, by name: what its profiles can be made for. */
export async function listAccountProducts(db: Executor, accountId: string): Promise<Product[]> {
  const rows = await db
    .selectFrom('products as p')
    .select(PRODUCT_COLUMNS.map((c) => `p.${c}` as const))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscription_items as it')
          .innerJoin('subscriptions as s', 's.id', 'it.subscription_id')
          .select('it.id')
          .where('s.account_id', '=', accountId)
          .whereRef('it.product_code', '=', 'p.code'),
      ),
    )
    .orderBy('p.name')
    .orderBy('p.code')
    .execute();
  return rows.map(productFromRow);
}
