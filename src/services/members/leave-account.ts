import { findAccount } from '../../data/repositories/accounts.js';
import { deleteMembership, findMembership, lockAccountAdmins } from '../../data/repositories/memberships.js';
import { AppError, notFound } from '../../domain/errors.js';
import { requireMembershipManaged, wouldLoseLastAdmin } from '../../domain/membership.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { runTransaction } from '../../data/transactions.js';

/**
 * Ends the caller's own membership. Any member may leave, a blocked one too, which is why this
 * reads the membership itself rather than asking the account policy for a permission.
 */
export function leaveAccount(deps: Deps, actor: Actor, accountId: string): Promise<void> {
  return runTransaction(deps.db, async (trx) => {
    const admins = await lockAccountAdmins(trx, accountId);
    const membership = await findMembership(trx, accountId, actor.userId);
    const account = membership && (await findAccount(trx, accountId));
    if (!membership || !account) throw notFound('Account');
    requireMembershipManaged(account);
    if (wouldLoseLastAdmin(membership, admins.filter((a) => a.status === 'active').length)) {
      throw new AppError(
        'last_admin',
        'You are the only active Account Administrator; make another member an administrator before you leave',
      );
    }
    const now = deps.clock.now();
    await deleteMembership(trx, accountId, actor.userId);
    await recordChange(trx, actor, { accountId, action: 'member.left', targetType: 'membership', targetId: actor.userId, details: { role: membership.role } }, now);
  });
}
