import { findPersonalAccount, listAccountsOfUser, updateAccount } from '../../data/repositories/accounts.js';
import { findUserById, updateUser } from '../../data/repositories/users.js';
import type { User } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import { heldPermissions } from '../../domain/membership.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { fullName } from './sign-up.js';
import { runTransaction } from '../../data/transactions.js';

export async function getProfile(deps: Deps, actor: Actor): Promise<User> {
  const user = await findUserById(deps.db, actor.userId);
  if (!user) throw notFound('User');
  return user;
}

/**
 * The accounts the user may switch between (their personal account and each business account),
 * each with what they may do in it, so the portal offers only what the API would allow.
 */
export async function listMyAccounts(deps: Deps, actor: Actor) {
  const accounts = await listAccountsOfUser(deps.db, actor.userId);
  return accounts.map(({ granted_keys, ...a }) => ({ ...a, permissions: heldPermissions(a, Number(granted_keys ?? 0)) }));
}

export async function updateProfile(deps: Deps, actor: Actor, changes: { firstName?: string | undefined; lastName?: string | undefined }): Promise<User> {
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const user = await updateUser(
      trx,
      actor.userId,
      {
        ...(changes.firstName !== undefined ? { first_name: changes.firstName } : {}),
        ...(changes.lastName !== undefined ? { last_name: changes.lastName } : {}),
      },
      now,
    );
    const personal = await findPersonalAccount(trx, actor.userId);
    if (personal) {
      await updateAccount(trx, personal.id, { name: fullName(user) }, now);
    }
    await recordChange(trx, actor, { accountId: personal?.id ?? null, action: 'user.profile_updated', targetType: 'user', targetId: user.id, details: changes }, now);
    return user;
  });
}
