import { checkOrder, defaultSubscriptionName, type OrderItem } from '../../domain/order.js';
import { extendBy, type Duration, type SupportPlan } from '../../domain/subscription.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { loadCatalog, orderRefused } from '../orders/common.js';
import { issueSubscription, type IssuedSubscription } from './issue-subscription.js';
import { runTransaction } from '../../data/transactions.js';

export type { IssuedSubscription } from './issue-subscription.js';

export interface PlaceOrderInput {
  customerEmail: string;
  items: OrderItem[];
  duration: Duration;
  channel: 'online' | 'reseller';
  supportPlan: SupportPlan;
  autoRenew: boolean;
}

/** A vendor order for a customer: a new subscription for the ordered term, its primary key emailed. */
export async function placeOrder(deps: Deps, actor: Actor, input: PlaceOrderInput): Promise<IssuedSubscription> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const catalog = await loadCatalog(trx);
    const problem = checkOrder(input, catalog);
    if (problem) throw orderRefused(problem);
    const now = deps.clock.now();
    const expiresAt = extendBy(now, input.duration);
    return issueSubscription(trx, deps, actor, { ...input, kind: 'new', accountId: null, name: defaultSubscriptionName(input.items, catalog, expiresAt), expiresAt }, now);
  });
}
