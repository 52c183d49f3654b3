import type { Executor } from '../executor.js';

export function listKeyGrantsOfMember(db: Executor, accountId: string, userId: string): Promise<string[]> {
  return db
    .selectFrom('key_admins')
    .select('license_key_id')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute()
    .then((rows) => rows.map((r) => r.license_key_id));
}

export function listAdminsOfKey(db: Executor, accountId: string, keyId: string) {
  return db
    .selectFrom('key_admins')
    .innerJoin('users', 'users.id', 'key_admins.user_id')
    .select(['users.id as user_id', 'users.email', 'users.first_name', 'users.last_name', 'key_admins.created_at'])
    .where('key_admins.account_id', '=', accountId)
    .where('key_admins.license_key_id', '=', keyId)
    .orderBy('users.email')
    .execute();
}

export async function grantKey(db: Executor, g: { accountId: string; keyId: string; userId: string; grantedBy: string }): Promise<boolean> {
  const r = await db
    .insertInto('key_admins')
    .values({ account_id: g.accountId, license_key_id: g.keyId, user_id: g.userId, granted_by: g.grantedBy })
    .onConflict((oc) => oc.columns(['license_key_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function revokeKeyGrant(db: Executor, accountId: string, keyId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('key_admins')
    .where('account_id', '=', accountId)
    .where('license_key_id', '=', keyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
