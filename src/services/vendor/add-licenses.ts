import type { OrderRow } from '../../data/repositories/orders.js';
import type { OrderItem, Subscription, SubscriptionItem } from '../../data/schema.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor, Deps } from '../context.js';
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
