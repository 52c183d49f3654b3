import type { OrderRow } from '../../data/repositories/orders.js';
import type { Subscription } from '../../data/schema.js';
import type { Duration } from '../../domain/subscription.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { applyRenewal } from '../orders/apply-renewal.js';
import { lockForChange } from '../orders/common.js';
import { runTransaction } from '../../data/transactions.js';

/** The vendor operator renews any subscription. */
export async function renewSubscription(deps: Deps, actor: Actor, subscriptionId: string, duration: Duration): Promise<{ subscription: Subscription; order: OrderRow }> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => applyRenewal(trx, actor, await lockForChange(trx, subscriptionId), duration, deps.clock.now()));
}
