import { lockAccount, setOfflineActivation } from '../../data/repositories/accounts.js';
import type { Account } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { runTransaction } from '../../data/transactions.js';

/**
 * Offline activation stays off until the vendor turns it on for a customer account. The audit
 * entry belongs to that account, so its administrators see who changed it and when.
 */
export async function setAccountOfflineActivation(deps: Deps, actor: Actor, accountId: string, enabled: boolean): Promise<Account> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const current = await lockAccount(trx, accountId);
    if (!current) throw notFound('Account');
    if (current.offline_activation_enabled === enabled) return current;
    const now = deps.clock.now();
    const account = await setOfflineActivation(trx, accountId, enabled, now);
    const action = enabled ? 'account.offline_activation_enabled' : 'account.offline_activation_disabled';
    await recordChange(trx, actor, { accountId, action, targetType: 'account', targetId: accountId }, now);
    return account;
  });
}
