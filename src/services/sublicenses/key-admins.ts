import { grantKey, listAdminsOfKey, revokeKeyGrant } from '../../data/repositories/key-admins.js';
import { findKey } from '../../data/repositories/license-keys.js';
import { findMembership } from '../../data/repositories/memberships.js';
import type { Executor } from '../../data/executor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { runTransaction } from '../../data/transactions.js';

async function keyOfAccount(db: Executor, accountId: string, keyId: string) {
  const key = await findKey(db, keyId);
  if (!key || key.account_id !== accountId) throw notFound('License key');
  return key;
}

export async function listKeyAdmins(deps: Deps, actor: Actor, accountId: string, keyId: string) {
  await authorizeAccount(deps.db, actor, accountId, 'members.view');
  await keyOfAccount(deps.db, accountId, keyId);
  return listAdminsOfKey(deps.db, accountId, keyId);
}

/**
 * Makes a Regular Member a License Administrator of a key. Account Administrators already manage
 * every key, so granting them one would mean nothing and is refused.
 */
export async function grantKeyAdmin(deps: Deps, actor: Actor, accountId: string, keyId: string, userId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'members.manage');
    await keyOfAccount(trx, accountId, keyId);
    const member = await findMembership(trx, accountId, userId);
    if (!member) throw notFound('Member');
    if (member.role === 'admin') throw new AppError('validation_failed', 'Account Administrators already manage every key', { field: 'userId' });
    if (await grantKey(trx, { accountId, keyId, userId, grantedBy: actor.userId })) {
      await recordChange(trx, actor, { accountId, action: 'license_key.admin_granted', targetType: 'membership', targetId: userId, details: { keyId } }, deps.clock.now());
    }
  });
}

export async function revokeKeyAdmin(deps: Deps, actor: Actor, accountId: string, keyId: string, userId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'members.manage');
    await keyOfAccount(trx, accountId, keyId);
    if (!(await revokeKeyGrant(trx, accountId, keyId, userId))) throw notFound('License Administrator');
    await recordChange(trx, actor, { accountId, action: 'license_key.admin_revoked', targetType: 'membership', targetId: userId, details: { keyId } }, deps.clock.now());
  });
}
