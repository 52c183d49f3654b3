import type { LicenseKey } from '../schema.js';
import type { Executor, InTransaction } from '../executor.js';
import type { KeyKind } from '../../domain/seat-pool.js';

export interface NewLicenseKey {
  subscriptionId: string;
  itemId: string | null;
  accountId: string | null;
  kind: KeyKind;
  name: string;
  quota: number | null;
  keyHash: string;
  keyText: string;
  expiresAt: Date | null;
  createdBy: string | null;
}

export function insertLicenseKey(db: Executor, k: NewLicenseKey): Promise<LicenseKey> {
  return db
    .insertInto('license_keys')
    .values({
      subscription_id: k.subscriptionId,
      item_id: k.itemId,
      account_id: k.accountId,
      kind: k.kind,
      name: k.name,
      quota: k.quota,
      key_hash: k.keyHash,
      key_text: k.keyText,
      expires_at: k.expiresAt,
      created_by: k.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findKeyByHash(db: Executor, keyHash: string): Promise<LicenseKey | undefined> {
  return db.selectFrom('license_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export function findKey(db: Executor, keyId: string): Promise<LicenseKey | undefined> {
  return db.selectFrom('license_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
}

export function findPrimaryKey(db: Executor, subscriptionId: string): Promise<LicenseKey | undefined> {
  return db.selectFrom('license_keys').selectAll().where('subscription_id', '=', subscriptionId).where('kind', '=', 'primary').executeTakeFirst();
}

/** A key with the name of its configuration profile (null: the built-in Default), as the License Keys table shows it. */
export type KeyRecord = LicenseKey & { profile_name: string | null };

export function listKeysOfSubscription(db: Executor, subscriptionId: string): Promise<KeyRecord[]> {
  return db
    .selectFrom('license_keys as k')
    .leftJoin('configuration_profiles as cp', 'cp.id', 'k.profile_id')
    .selectAll('k')
    .select('cp.name as profile_name')
    .where('k.subscription_id', '=', subscriptionId)
    .orderBy((eb) => eb.case().when('k.kind', '=', 'primary').then(0).else(1).end())
    .orderBy('k.created_at')
    .orderBy('k.id')
    .execute();
}

/** Moves a subscription's keys into the account that registered it. */
export function assignKeysToAccount(db: Executor, subscriptionId: string, accountId: string) {
  return db.updateTable('license_keys').set({ account_id: accountId }).where('subscription_id', '=', subscriptionId).execute();
}

/** A key locked to be changed itself (its quota, its binding) or deleted; see lockKeysForSeats for the order. */
export function lockKey(db: InTransaction, keyId: string): Promise<LicenseKey | undefined> {
  return db.selectFrom('license_keys').selectAll().where('id', '=', keyId).forUpdate().executeTakeFirst();
}

/**
 * Locks the keys whose seats, installations or invitations a transaction is about to change, the
 * first thing it locks. The lock order of everything that touches seats, on every server process:
 *
 *   1. license key rows, by id when there are several (lockKey or this);
 *   2. then, of those keys only: an install invitation, the subscription item's counters, the
 *      installations.
 *
 * No transaction waits for a key while holding one of the rows of step 2, so no cycle can form:
 * two transactions on one key take turns at its row (a deletion and an activation with one of
 * its codes, say), and ones on different keys share at most an item row, which nobody holds while
 * waiting for a key. The expiry job takes its keys with SKIP LOCKED and never waits for one.
 * FOR NO KEY UPDATE is what taking a seat (UPDATE used) locks anyway, and leaves foreign keys to
 * the key free. A key deleted meanwhile is simply missing from the answer.
 */
export function lockKeysForSeats(db: InTransaction, keyIds: readonly string[]): Promise<LicenseKey[]> {
  if (keyIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('license_keys').selectAll().where('id', 'in', [...keyIds]).orderBy('id').forNoKeyUpdate().execute();
}

export function updateKey(
  db: Executor,
  keyId: string,
  changes: Partial<{ name: string; quota: number; expires_at: Date | null }>,
  now: Date,
): Promise<LicenseKey> {
  return db.updateTable('license_keys').set({ ...changes, updated_at: now }).where('id', '=', keyId).returningAll().executeTakeFirstOrThrow();
}

export function deleteKey(db: Executor, keyId: string) {
  return db.deleteFrom('license_keys').where('id', '=', keyId).execute();
}

/** Counts one move of a key bound to one installation to another machine. */
export async function countKeyMove(db: InTransaction, keyId: string): Promise<void> {
  await db.updateTable('license_keys').set((eb) => ({ moves_used: eb('moves_used', '+', 1) })).where('id', '=', keyId).execute();
}

/**
 * Custom-dated sublicenses whose date has passed and whose seats are still held, locked for one
 * job run; SKIP LOCKED lets several server processes share the work without doing it twice.
 */
export function claimExpiredSublicenses(db: InTransaction, now: Date, limit: number): Promise<LicenseKey[]> {
  return db
    .selectFrom('license_keys')
    .selectAll()
    .where('kind', '<>', 'primary')
    .where('released_at', 'is', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function markKeyReleased(db: Executor, keyId: string, now: Date) {
  return db.updateTable('license_keys').set({ released_at: now, updated_at: now }).where('id', '=', keyId).execute();
}
