import { enqueueEmail } from '../../data/repositories/outbox.js';
import {
  deleteMembership,
  findMember,
  lockAccountAdmins,
  updateMembership,
  type Member,
} from '../../data/repositories/memberships.js';
import type { InTransaction } from '../../data/executor.js';
import type { Account } from '../../data/schema.js';
import { AppError, notFound } from '../../domain/errors.js';
import { requireMembershipManaged, wouldLoseLastAdmin, type MemberRole, type MemberStatus } from '../../domain/membership.js';
import { memberBlocked, memberRemoved, memberUnblocked } from '../../mail/templates.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { runTransaction } from '../../data/transactions.js';

interface MemberChange {
  trx: InTransaction;
  account: Account;
  target: Member;
  /** Read under lock, so a concurrent change to another administrator waits for this one. */
  activeAdmins: number;
  now: Date;
}

/**
 * Runs one administrator's change to a member in a transaction that holds the account's
 * administrator rows, so last-administrator checks see a set no concurrent change can shrink.
 */
function changeMember<T>(deps: Deps, actor: Actor, accountId: string, userId: string, change: (c: MemberChange) => Promise<T>): Promise<T> {
  return runTransaction(deps.db, async (trx) => {
    const { account } = await authorizeAccount(trx, actor, accountId, 'members.manage');
    requireMembershipManaged(account);
    const admins = await lockAccountAdmins(trx, accountId);
    const target = await findMember(trx, accountId, userId);
    if (!target) throw notFound('Member');
    const activeAdmins = admins.filter((a) => a.status === 'active').length;
    return change({ trx, account, target, activeAdmins, now: deps.clock.now() });
  });
}

const lastAdmin = () =>
  new AppError('last_admin', 'This is the only active Account Administrator; make another member an administrator first');

export function updateMember(deps: Deps, actor: Actor, accountId: string, userId: string, changes: { role?: MemberRole | undefined; notes?: string | undefined }) {
  return changeMember(deps, actor, accountId, userId, async ({ trx, target, activeAdmins, now }) => {
    const role = changes.role !== undefined && changes.role !== target.role ? changes.role : undefined;
    const notes = changes.notes !== undefined && changes.notes !== target.notes ? changes.notes : undefined;
    if (role === 'member' && wouldLoseLastAdmin(target, activeAdmins)) throw lastAdmin();
    if (role === undefined && notes === undefined) return target;
    const updated = await updateMembership(trx, accountId, userId, { ...(role ? { role } : {}), ...(notes !== undefined ? { notes } : {}) }, now);
    const event = { accountId, targetType: 'membership', targetId: userId };
    if (role) await recordChange(trx, actor, { ...event, action: 'member.role_changed', details: { from: target.role, to: role } }, now);
    if (notes !== undefined) await recordChange(trx, actor, { ...event, action: 'member.notes_changed' }, now);
    return { ...target, ...updated };
  });
}

function setMemberStatus(deps: Deps, actor: Actor, accountId: string, userId: string, status: MemberStatus) {
  return changeMember(deps, actor, accountId, userId, async ({ trx, account, target, activeAdmins, now }) => {
    if (status === 'blocked') {
      if (wouldLoseLastAdmin(target, activeAdmins)) throw lastAdmin();
      if (target.user_id === actor.userId) throw new AppError('cannot_target_self', 'You cannot block yourself');
    }
    if (target.status === status) return target;
    const updated = await updateMembership(trx, accountId, userId, { status }, now);
    const blocked = status === 'blocked';
    await recordChange(trx, actor, { accountId, action: blocked ? 'member.blocked' : 'member.unblocked', targetType: 'membership', targetId: userId }, now);
    const mail = (blocked ? memberBlocked : memberUnblocked)({ firstName: target.first_name, account: account.name });
    await enqueueEmail(trx, { ...mail, to: target.email, accountId }, now);
    return { ...target, ...updated };
  });
}

/** Access ends at once in every session of the member (every request reads the membership); the membership stays. */
export function blockMember(deps: Deps, actor: Actor, accountId: string, userId: string) {
  return setMemberStatus(deps, actor, accountId, userId, 'blocked');
}

export function unblockMember(deps: Deps, actor: Actor, accountId: string, userId: string) {
  return setMemberStatus(deps, actor, accountId, userId, 'active');
}

export function removeMember(deps: Deps, actor: Actor, accountId: string, userId: string): Promise<void> {
  return changeMember(deps, actor, accountId, userId, async ({ trx, account, target, activeAdmins, now }) => {
    if (wouldLoseLastAdmin(target, activeAdmins)) throw lastAdmin();
    if (target.user_id === actor.userId) throw new AppError('cannot_target_self', 'To remove yourself, leave the account instead');
    await deleteMembership(trx, accountId, userId);
    await recordChange(trx, actor, { accountId, action: 'member.removed', targetType: 'membership', targetId: userId, details: { role: target.role } }, now);
    await enqueueEmail(trx, { ...memberRemoved({ firstName: target.first_name, account: account.name }), to: target.email, accountId }, now);
  });
}
