import { updateSubscription } from '../../data/repositories/subscriptions.js';
import type { Subscription } from '../../data/schema.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { lockForChange } from '../orders/common.js';
import { runTransaction } from '../../data/transactions.js';
import type { SubscriptionStatus } from '../../domain/subscription.js';

/**
 * Suspending stops every key of the subscription from activating or checking in until it is
 * resumed; the dates are untouched. Asking for the state it is already in changes nothing.
 */
function setStatus(status: SubscriptionStatus, action: string) {
  return async (deps: Deps, actor: Actor, subscriptionId: string): Promise<Subscription> => {
    requireOperator(actor);
    return runTransaction(deps.db, async (trx) => {
      const current = await lockForChange(trx, subscriptionId);
      if (current.status === status) return current;
      const now = deps.clock.now();
      const subscription = await updateSubscription(trx, current.id, { status }, now);
      await recordChange(trx, actor, { accountId: current.account_id, action, targetType: 'subscription', targetId: current.id }, now);
      return subscription;
    });
  };
}

export const suspendSubscription = setStatus('suspended', 'subscription.suspended');
export const resumeSubscription = setStatus('active', 'subscription.resumed');
