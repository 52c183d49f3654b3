import type { OrderRow } from '../../data/repositories/orders.js';
import type { Subscription, SubscriptionItem } from '../../data/schema.js';
import type { OrderItem } from '../../domain/order.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { applyAddition } from '../orders/apply-addition.js';
import { lockForChange } from '../orders/common.js';
import { runTransaction } from '../../data/transactions.js';

/** The vendor operator adds licenses to any subscription. */
export async function addLicenses(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  lines: OrderItem[],
): Promise<{ subscription: Subscription; items: SubscriptionItem[]; order: OrderRow }> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => applyAddition(trx, actor, await lockForChange(trx, subscriptionId), lines, deps.clock.now()));
}
