import { findAccount } from '../data/repositories/accounts.js';
import { findMembership } from '../data/repositories/memberships.js';
import type { Executor } from '../data/executor.js';
import type { Account, Membership } from '../data/schema.js';
import { decideAccess, type AccountPermission } from '../domain/membership.js';
import { AppError, notFound } from '../domain/errors.js';
import type { Actor } from '../domain/actor.js';

export interface AccountAccess {
  account: Account;
  membership: Membership;
}

/**
 * The one gate in front of every account-scoped use case. It reads the membership on every call,
 * so a block, removal or role change applies to the very next request in every session. A caller
 * who is not a member learns nothing: the account is simply not found.
 */
export async function authorizeAccount(
  db: Executor,
  actor: Actor,
  accountId: string,
  permission: AccountPermission,
): Promise<AccountAccess> {
  const membership = await findMembership(db, accountId, actor.userId);
  if (!membership) throw notFound('Account');
  switch (decideAccess(membership, permission)) {
    case 'blocked':
      throw new AppError('membership_blocked', 'Your access to this account is blocked by its administrators');
    case 'denied':
      throw new AppError('forbidden', 'Your role in this account does not allow this', { permission });
    case 'allow': {
      const account = await findAccount(db, accountId);
      if (!account) throw notFound('Account');
      return { account, membership };
    }
  }
}
