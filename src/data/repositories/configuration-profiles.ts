import { sql } from 'kysely';
import type { Payload } from '../../domain/payloads.js';
import type { KeyKind } from '../../domain/seat-pool.js';
import type { Executor, InTransaction } from '../executor.js';
import { PRODUCT_COLUMNS, productFromRow } from './products.js';
import type { Product } from '../../domain/catalog.js';
import type { KeyProfile } from '../../domain/configuration-profile.js';
import { keyProfileJson } from './installations.js';

/** A profile with the keys it is assigned to, as the Configuration Profiles page lists it. */
export interface ProfileRecord {
  id: string;
  account_id: string;
  product_code: string;
  name: string;
  payloads: Payload[];
  version: number;
  content_hash: string;
  created_at: Date;
  updated_at: Date;
  keys: { id: string; name: string; kind: KeyKind; subscription_id: string }[];
}

function withKeys(db: Executor) {
  return db
    .selectFrom('configuration_profiles as cp')
    .select(['cp.id', 'cp.account_id', 'cp.product_code', 'cp.name', 'cp.payloads', 'cp.version', 'cp.content_hash', 'cp.created_at', 'cp.updated_at'])
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
  const locked = await db.selectFrom('configuration_profiles').select('id').where('account_id', '=', accountId).where('id', '=', profileId).forUpdate().executeTakeFirst();
  return locked && findAccountProfile(db, accountId, profileId);
}

/** Whether another profile of the account has this name, letter case aside (the unique index's rule). */
export async function isProfileNameTaken(db: Executor, accountId: string, name: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('configuration_profiles').select('id').where('account_id', '=', accountId).where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** True for the error of a second profile of one name in one account (a racing request). */
export function isProfileNameConflict(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'configuration_profiles_name';
}

export interface NewProfile {
  accountId: string;
  productCode: string;
  name: string;
  payloads: Payload[];
  contentHash: string;
  createdBy: string | null;
  now: Date;
  /** A copy keeps the version of what it copies, which its installations have applied; a new profile starts at 1. */
  version?: number;
}

export async function insertProfile(db: Executor, p: NewProfile): Promise<string> {
  const row = await db
    .insertInto('configuration_profiles')
    .values({
      account_id: p.accountId,
      product_code: p.productCode,
      name: p.name,
      payloads: JSON.stringify(p.payloads),
      content_hash: p.contentHash,
      ...(p.version !== undefined ? { version: p.version } : {}),
      created_by: p.createdBy,
      created_at: p.now,
      updated_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProfile(db: Executor, id: string, p: { name: string; payloads: Payload[]; contentHash: string; version: number }, now: Date): Promise<void> {
  await db
    .updateTable('configuration_profiles')
    .set({ name: p.name, payloads: JSON.stringify(p.payloads), content_hash: p.contentHash, version: p.version, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deleteProfile(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('configuration_profiles').where('id', '=', id).execute();
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

/** A key's profile for its installations of `productCode` (see keyProfileJson); null: the built-in Default. */
export async function findKeyProfile(db: Executor, keyId: string, productCode: string): Promise<KeyProfile | null> {
  const { rows } = await sql<{ profile: KeyProfile | null }>`SELECT ${keyProfileJson(sql`${keyId}::uuid`, sql`${productCode}::text`)} AS profile`.execute(db);
  return rows[0]?.profile ?? null;
}
