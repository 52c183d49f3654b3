import { isUniqueViolation } from '../failures.js';
import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';

/** User groups (capability 10): each bound to its own sublicense, with an optional policy. */

/** A group with its sublicense and policy, as the User Groups page lists it. */
function withKeyAndPolicy(db: Executor) {
  return db
    .selectFrom('user_groups as g')
    .innerJoin('license_keys as k', 'k.id', 'g.license_key_id')
    .innerJoin('subscription_items as it', 'it.id', 'k.item_id')
    .leftJoin('policies as po', 'po.id', 'g.policy_id')
    .select([
      'g.id',
      'g.account_id',
      'g.subscription_id',
      'g.name',
      'g.directory_group',
      'g.created_at',
      'g.updated_at',
      'it.product_code',
      'k.id as key_id',
      'k.name as key_name',
      'k.kind as key_kind',
      'k.key_text',
      'k.profile_id as key_profile_id',
      'k.quota as key_quota',
      'k.used as key_used',
      'po.id as policy_id',
      'po.name as policy_name',
      'po.version as policy_version',
    ]);
}

export type UserGroupRecord = Awaited<ReturnType<ReturnType<typeof withKeyAndPolicy>['executeTakeFirstOrThrow']>>;

export function listAccountGroups(db: Executor, accountId: string, subscriptionId: string | undefined): Promise<UserGroupRecord[]> {
  let q = withKeyAndPolicy(db).where('g.account_id', '=', accountId);
  if (subscriptionId) q = q.where('g.subscription_id', '=', subscriptionId);
  return q.orderBy(sql`lower(g.name)`).orderBy('g.id').execute();
}

export function findAccountGroup(db: Executor, accountId: string, groupId: string): Promise<UserGroupRecord | undefined> {
  return withKeyAndPolicy(db).where('g.account_id', '=', accountId).where('g.id', '=', groupId).executeTakeFirst();
}

/** The group a key is bound to, if any. */
export function findGroupOfKey(db: Executor, keyId: string) {
  return db.selectFrom('user_groups').select(['id', 'name', 'subscription_id']).where('license_key_id', '=', keyId).executeTakeFirst();
}

/** Whether another group of the subscription has this name, letter case aside (the unique index's rule). */
export async function isGroupNameTaken(db: Executor, subscriptionId: string, name: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('user_groups').select('id').where('subscription_id', '=', subscriptionId).where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** True for the error of a second group of one name in one subscription (a racing request). */
export function isGroupNameConflict(err: unknown): boolean {
  return isUniqueViolation(err, 'user_groups_name');
}

export interface NewUserGroup {
  accountId: string;
  subscriptionId: string;
  keyId: string;
  policyId: string | null;
  name: string;
  directoryGroup: string | null;
  createdBy: string | null;
  now: Date;
}

export async function insertGroup(db: InTransaction, g: NewUserGroup): Promise<string> {
  const row = await db
    .insertInto('user_groups')
    .values({
      account_id: g.accountId,
      subscription_id: g.subscriptionId,
      license_key_id: g.keyId,
      policy_id: g.policyId,
      name: g.name,
      directory_group: g.directoryGroup,
      created_by: g.createdBy,
      created_at: g.now,
      updated_at: g.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateGroup(db: InTransaction, id: string, changes: { name?: string; policy_id?: string | null; directory_group?: string | null }, now: Date): Promise<void> {
  await db.updateTable('user_groups').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
}

/** Renames the group bound to a key, which takes the name of its sublicense; false when the key has none. */
export async function renameGroupOfKey(db: InTransaction, keyId: string, name: string, now: Date): Promise<boolean> {
  const renamed = await db.updateTable('user_groups').set({ name, updated_at: now }).where('license_key_id', '=', keyId).executeTakeFirst();
  return Number(renamed.numUpdatedRows) > 0;
}

/** Binds a group to another sublicense, in another subscription of the account (a conversion carrying a trial's groups over). */
export async function moveGroup(db: InTransaction, id: string, to: { subscriptionId: string; keyId: string }, now: Date): Promise<void> {
  await db.updateTable('user_groups').set({ subscription_id: to.subscriptionId, license_key_id: to.keyId, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteGroup(db: InTransaction, id: string): Promise<void> {
  await db.deleteFrom('user_groups').where('id', '=', id).execute();
}

/** The key of a group of the account, as filters of the installations and VM lists narrow by it (null when there is none). */
export const groupKeyOf = (accountId: string, groupId: string) =>
  sql<string | null>`(SELECT g.license_key_id FROM user_groups g WHERE g.id = ${groupId}::uuid AND g.account_id = ${accountId}::uuid)`;
