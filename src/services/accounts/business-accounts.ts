import { updateAccount, type CompanyDetails } from '../../data/repositories/accounts.js';
import { listMembers } from '../../data/repositories/memberships.js';
import { checkCountryAndState } from '../../domain/address.js';
import { AppError } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { insertAccountWithAdmin } from './create-account.js';
import { runTransaction } from '../../data/transactions.js';

export async function createBusinessAccount(deps: Deps, actor: Actor, company: CompanyDetails) {
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const account = await insertAccountWithAdmin(trx, { kind: 'business', company, adminUserId: actor.userId });
    await recordChange(trx, actor, { accountId: account.id, action: 'account.created', targetType: 'account', targetId: account.id }, now);
    return account;
  });
}

/** The profile every member sees: the company, the caller's own membership and the administrators. */
export async function getAccountProfile(deps: Deps, actor: Actor, accountId: string) {
  const { account, membership } = await authorizeAccount(deps.db, actor, accountId, 'account.view');
  const admins = await listMembers(deps.db, accountId, { role: 'admin', status: 'active', limit: 100 });
  return { account, membership, admins };
}

export async function updateBusinessProfile(deps: Deps, actor: Actor, accountId: string, changes: Partial<CompanyDetails>) {
  return runTransaction(deps.db, async (trx) => {
    const { account } = await authorizeAccount(trx, actor, accountId, 'account.edit');
    if (account.kind !== 'business') {
      throw new AppError('personal_account', 'A personal account has no company profile; edit your personal profile instead');
    }
    if (changes.country !== undefined || changes.state !== undefined) {
      // The pair is checked as it will stand, so a new country cannot keep a state of the old one.
      const checked = checkCountryAndState(changes.country ?? account.country ?? '', changes.state !== undefined ? changes.state : account.state);
      if (!checked.ok) throw new AppError('validation_failed', checked.problem.message, { field: checked.problem.field });
      changes = { ...changes, state: checked.state };
    }
    const now = deps.clock.now();
    const updated = await updateAccount(trx, accountId, changes, now);
    await recordChange(trx, actor, { accountId, action: 'account.updated', targetType: 'account', targetId: accountId, details: changes }, now);
    return updated;
  });
}
